import { loadConfig } from './config.ts';
import { prepare, buildApp } from './app.ts';
import { createTransport, drainOutbox } from './core/mail/index.ts';

const config = loadConfig();
const started = Date.now();
let prepared;
try {
  prepared = await prepare(config);
} catch (err) {
  console.error(`Cannot start: ${(err as Error).message}`);
  process.exit(1);
}
const { database, firstRun } = prepared;
const app = await buildApp(config, database);

if (firstRun) {
  console.log('\n  First start: the commune was created.');
  console.log(`  Administrator: ${firstRun.adminEmail}`);
  console.log(`  One-time password: ${firstRun.password}   (shown once; change it after signing in)`);
  if (firstRun.demoPassword) console.log(`  Demo staff accounts (sample, one per role, see README): password ${firstRun.demoPassword}`);
  console.log('');
}

await app.listen({ port: config.port, host: config.host });
console.log(`Commune Ouverte serves ${config.baseUrl} (${database.engine}) — ready in ${Date.now() - started} ms`);

let timer: NodeJS.Timeout | undefined;
if (config.mailWorker) {
  const transport = createTransport(config.smtpUrl);
  let busy = false;
  timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try { await drainOutbox(database.db, transport, config.mailFrom); } catch (err) { app.log.error({ err }, 'outbox'); } finally { busy = false; }
  }, 2000);
  timer.unref();
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, async () => {
    if (timer) clearInterval(timer);
    await app.close();
    await database.close();
    process.exit(0);
  });
}
