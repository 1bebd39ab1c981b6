import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { loadConfig } from './config.ts';
import { openDatabase } from './core/db/index.ts';
import { migrate } from './core/db/migrator.ts';
import { verifyAudit } from './core/audit/index.ts';
import { randomToken, sha256 } from './core/auth/passwords.ts';
import { appendAudit } from './core/audit/index.ts';
import { isRole, ROLES } from './core/auth/roles.ts';
import { iso } from './core/clock/index.ts';
import { Tenancy } from './core/tenancy/index.ts';
import { AppError } from './core/http/errors.ts';
import { allMigrations, systemCtx, i18n } from './platform.ts';
import { prepare } from './app.ts';
import { addUserWithRole } from './modules/accounts/service.ts';

const USAGE = `Usage: npx commune <command>

  migrate                         apply pending database migrations
  demo                            create the Tétouan demo commune on an empty database
  user add --email E --role R [--name N] [--department SLUG | --operator SLUG]
                                  create an account with a role (prints its password)
  apikey add --name NAME          create an Open311 API key (prints it once)
  synthetic [--communes N] [--requests N] [--seed N] [--days N] [--until YYYY-MM-DD]
                                  load deterministic sample data for benchmarks (default 1 commune, 10,000 requests)
  backup FILE                     copy the SQLite database to FILE while the server runs
  restore FILE                    replace the SQLite database by the backup FILE (server stopped)
  audit verify                    check the audit log's hash chain
  help                            this text

Options for every command: --commune SLUG (default: DEFAULT_COMMUNE or tetouan).
Environment: DATA_DIR, DATABASE_URL (see README).
Roles: ${ROLES.join(', ')}.`;

class CliError extends Error {}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: {
      email: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' },
      department: { type: 'string' }, operator: { type: 'string' }, commune: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      communes: { type: 'string' }, requests: { type: 'string' }, seed: { type: 'string' }, days: { type: 'string' }, until: { type: 'string' },
    },
  });
  const [cmd, sub, arg] = positionals;
  const config = loadConfig();
  if (!cmd || cmd === 'help' || values.help) { console.log(USAGE); return; }

  if (cmd === 'demo') {
    const { database, firstRun } = await prepare({ ...config, demo: true });
    await database.close();
    if (!firstRun) throw new CliError('The database already holds a commune: the demo loads only into an empty database (use a new DATA_DIR).');
    console.log(`Demo commune created. Administrator ${firstRun.adminEmail}, one-time password: ${firstRun.password}`);
    if (firstRun.demoPassword) console.log(`Sample staff accounts (see README) share the password: ${firstRun.demoPassword}`);
    return;
  }

  if (cmd === 'synthetic') {
    const count = (name: 'communes' | 'requests' | 'seed' | 'days', fallback: number, max: number) => {
      const v = values[name];
      if (v === undefined) return fallback;
      if (!/^\d{1,9}$/.test(v) || Number(v) > max) throw new CliError(`--${name} takes a whole number up to ${max}.`);
      return Number(v);
    };
    if (values.until !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.until)) throw new CliError('--until takes a day, YYYY-MM-DD.');
    const opts = {
      communes: Math.max(1, count('communes', 1, 100)), requests: count('requests', 10_000, 50_000_000), seed: count('seed', 1, 2_000_000_000),
      days: Math.max(1, count('days', 3 * 365, 20 * 365)), until: values.until ? new Date(`${values.until}T00:00:00Z`) : undefined,
    };
    // An empty database first gets its commune (and the demo, unless DEMO=0), as on a first start.
    const { database, firstRun } = await prepare(config);
    try {
      if (firstRun) console.log(`The commune was created. Administrator ${firstRun.adminEmail}, one-time password: ${firstRun.password}`);
      const { synthesize } = await import('./modules/requests/synthetic.ts');
      const r = await synthesize(database, { ...opts, defaultCommune: values.commune ?? config.defaultCommune, log: (l) => console.log(l) });
      for (const c of r.communes) console.log(`  ${c.slug}${c.created ? ' (new)' : ''}: ${c.requests.toLocaleString('en')} requests`);
      for (const s of r.skipped) console.log(`  skipped: ${s}`);
      console.log(`Synthetic data: ${r.requests.toLocaleString('en')} requests, ${r.rows.toLocaleString('en')} rows in ${(r.ms / 1000).toFixed(1)} s (${r.rowsPerSecond.toLocaleString('en')} rows/s).`);
    } finally { await database.close(); }
    return;
  }

  if (cmd === 'restore') {
    const file = sub;
    if (!file) throw new CliError('Name the backup file to restore: npx commune restore FILE');
    if (config.databaseUrl) throw new CliError('restore works on the embedded SQLite database; for PostgreSQL use pg_restore.');
    restoreSqlite(file, config.dataDir);
    const database = await openDatabase({ dataDir: config.dataDir });
    try {
      await migrate(database, allMigrations());
      const r = await verifyAudit(database.db);
      const users = await database.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      console.log(`Restored ${file} into ${database.file}: ${users.n} accounts, ${r.checked} audit entries, chain ${r.ok ? 'intact' : `BROKEN at entry ${r.brokenId}`}.`);
      if (!r.ok) process.exitCode = 1;
    } finally { await database.close(); }
    return;
  }

  const database = await openDatabase({ databaseUrl: config.databaseUrl, schema: config.databaseSchema, dataDir: config.dataDir });
  try {
    if (cmd === 'migrate') {
      const r = await migrate(database, allMigrations());
      const done = (r.results ?? []).filter((x) => x.status === 'Success').map((x) => x.migrationName);
      console.log(done.length ? `Applied ${done.length} migration(s):\n  ${done.join('\n  ')}` : 'The database is up to date.');
      return;
    }
    await migrate(database, allMigrations());
    const tenancy = new Tenancy(database.db, values.commune ?? config.defaultCommune);
    await tenancy.reload();
    const communeSlug = values.commune ?? config.defaultCommune;
    const commune = tenancy.bySlugOrNull(communeSlug);

    if (cmd === 'audit' && sub === 'verify') {
      const r = await verifyAudit(database.db);
      if (r.ok) console.log(`Audit chain intact: ${r.checked} entries checked.`);
      else { console.error(`Audit chain BROKEN at entry #${r.brokenId} of commune ${r.communeId} (${r.reason === 'link' ? 'it does not link to the entry before it' : 'its content does not match its hash'}); ${r.checked - 1} entries before it are intact.`); process.exitCode = 1; }
      return;
    }
    if (cmd === 'backup') {
      const file = sub;
      if (!file) throw new CliError('Name the backup file: npx commune backup FILE');
      if (!database.sqlite) throw new CliError('backup works on the embedded SQLite database; for PostgreSQL use pg_dump.');
      if (fs.existsSync(file)) throw new CliError(`${file} already exists; choose a new file name.`);
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      await database.sqlite.backup(file);
      console.log(`Backup written to ${file} (${fs.statSync(file).size} bytes).`);
      return;
    }
    if (!commune) throw new CliError(`No commune "${communeSlug}" in this database. Start the server once (it creates the commune) or pass --commune SLUG.`);
    const ctx = await systemCtx(database, commune, config);

    if (cmd === 'user' && sub === 'add') {
      if (!values.email) throw new CliError('Give the account\'s email: --email name@example.ma');
      if (!values.role || !isRole(values.role)) throw new CliError(`Give a role with --role, one of: ${ROLES.join(', ')}.`);
      const password = randomToken(12);
      await addUserWithRole(ctx, {
        email: values.email, name: values.name ?? values.email.split('@')[0], password, role: values.role,
        institutionSlug: values.department ?? values.operator,
      });
      console.log(`Account ${values.email} created with role ${values.role}. One-time password: ${password}`);
      return;
    }
    if (cmd === 'apikey' && sub === 'add') {
      if (!values.name) throw new CliError('Name the key\'s holder: --name "Application X"');
      const key = `co_${randomToken(24)}`;
      await database.db.transaction().execute(async (trx) => {
        const { id } = await trx.insertInto('api_keys').values({ commune_id: commune.id, name: values.name!, key_hash: sha256(key), created_at: iso(), revoked_at: null }).returning('id').executeTakeFirstOrThrow();
        await appendAudit(trx, { communeId: commune.id, actorId: null, action: 'apikey.create', entity: 'api_key', entityId: id, after: { name: values.name } });
      });
      console.log(`API key for "${values.name}" (shown once, keep it secret):\n${key}`);
      return;
    }
    throw new CliError(`Unknown command "${[cmd, sub, arg].filter(Boolean).join(' ')}".\n\n${USAGE}`);
  } finally {
    await database.close();
  }
}

/** Checks that FILE is a sound Commune Ouverte SQLite database, then puts it in place of DATA_DIR/commune.db. */
function restoreSqlite(file: string, dataDir: string) {
  if (!fs.existsSync(file)) throw new CliError(`${file} does not exist.`);
  let src: SQLite.Database;
  try { src = new SQLite(file, { readonly: true, fileMustExist: true }); } catch { throw new CliError(`${file} is not a SQLite database.`); }
  try {
    const ok = src.pragma('integrity_check', { simple: true });
    if (ok !== 'ok') throw new CliError(`${file} is damaged (integrity check: ${ok}).`);
    const t = src.prepare("select count(*) n from sqlite_master where type='table' and name in ('communes','audit_log')").get() as { n: number };
    if (t.n !== 2) throw new CliError(`${file} is not a Commune Ouverte database.`);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${file} is not a readable SQLite database.`);
  } finally { src.close(); }
  fs.mkdirSync(dataDir, { recursive: true });
  const target = path.join(dataDir, 'commune.db');
  if (fs.existsSync(target)) fs.renameSync(target, `${target}.before-restore-${Date.now()}`);
  for (const ext of ['-wal', '-shm']) fs.rmSync(target + ext, { force: true });
  fs.copyFileSync(file, target);
}

try {
  await main(process.argv.slice(2));
} catch (e) {
  if (e instanceof CliError) console.error(e.message);
  else if (e instanceof AppError) console.error((await i18n()).t('en')(e.messageKey, e.params));
  else if (e instanceof Error && /Unknown option|Unexpected argument/.test(e.message)) console.error(`${e.message}\n\n${USAGE}`);
  else console.error(`Failed: ${(e as Error).message}`);
  process.exitCode = 1;
}
