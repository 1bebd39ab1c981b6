import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { spawnSync } from 'node:child_process';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { loadConfig } from './config.ts';
import { openDatabase } from './core/db/index.ts';
import { migrate } from './core/db/migrator.ts';
import { verifyAudit, type VerifyResult } from './core/audit/index.ts';
import { randomToken, sha256 } from './core/auth/passwords.ts';
import { appendAudit } from './core/audit/index.ts';
import { isRole, ROLES } from './core/auth/roles.ts';
import { iso } from './core/clock/index.ts';
import { Tenancy } from './core/tenancy/index.ts';
import { AppError } from './core/http/errors.ts';
import { allMigrations, systemCtx, i18n, searchSources } from './platform.ts';
import { rebuildIndex } from './core/search/index.ts';
import { prepare } from './app.ts';
import { addUserWithRole } from './modules/accounts/service.ts';
import * as platform from './modules/platform/service.ts';
import { listOperators } from './modules/platform/repo.ts';
import { publicOrigin } from './core/http/origin.ts';
import { parseSettings } from './core/tenancy/index.ts';

const USAGE = `Usage: npx commune <command>

  migrate                         apply pending database migrations
  demo                            create the Tétouan demo commune on an empty database
  user add --email E --role R [--name N] [--department SLUG | --operator SLUG]
                                  create an account with a role (prints its password)
  apikey add --name NAME          create an Open311 API key (prints it once)
  synthetic [--communes N] [--requests N] [--seed N] [--days N] [--until YYYY-MM-DD]
                                  load deterministic sample data for benchmarks (default 1 commune, 10,000 requests)
  backup FILE                     copy the database to FILE while the server runs
                                  (SQLite: online backup; PostgreSQL: pg_dump of the schema, custom format)
  restore FILE                    replace the database by the backup FILE (server stopped);
                                  PostgreSQL: into DATABASE_SCHEMA, the present one kept under another name
  audit verify                    check the audit log's hash chain
  search reindex                  rebuild the search index of every commune (or of --commune SLUG)
  commune add --slug S --name N [--host H]... [--population P] [--admin-email E]
                                  create a commune (served at H, else at /c/S); E is invited by mail as its administrator
  commune list                    the communes of this installation, their hosts and status
  operator grant EMAIL            make the accounts of EMAIL (in any commune) platform operators
  operator revoke EMAIL           take the operator role back
  operator list                   the platform operators
  help                            this text

Options for every command: --commune SLUG (default: DEFAULT_COMMUNE or tetouan).
Environment: DATA_DIR, DATABASE_URL, DATABASE_SCHEMA (see README).
Roles: ${ROLES.join(', ')}.`;

class CliError extends Error {}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: {
      email: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' },
      department: { type: 'string' }, operator: { type: 'string' }, commune: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      slug: { type: 'string' }, host: { type: 'string', multiple: true }, population: { type: 'string' }, 'admin-email': { type: 'string' },
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
    const where = config.databaseUrl ? await restorePostgres(file, config.databaseUrl, config.databaseSchema) : restoreSqlite(file, config.dataDir);
    const database = await openDatabase({ databaseUrl: config.databaseUrl, schema: config.databaseSchema, dataDir: config.dataDir });
    try {
      await migrate(database, allMigrations());
      const r = await verifyAudit(database.db);
      const users = await database.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      console.log(`Restored ${file} into ${where}: ${users.n} accounts, ${r.checked} audit entries, chain ${r.ok ? 'intact' : 'BROKEN'}.`);
      if (!r.ok) { console.error(auditBroken(r)); process.exitCode = 1; }
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

    if (cmd === 'commune' || cmd === 'operator') {
      // The platform acting as an operator; on an empty database, no commune's context is needed for these verbs.
      const anyCommune = commune ?? tenancy.all()[0] ?? { id: 0, slug: '', name: {}, region: {}, population: null, hosts: [], status: 'active' as const, settings: parseSettings('{}') };
      const op = platform.asPlatformOperator(await systemCtx(database, anyCommune, config));
      if (cmd === 'commune' && sub === 'add') {
        if (!values.slug || !values.name) throw new CliError('Give the commune\'s --slug and --name.');
        const c = await platform.createCommune(op, {
          slug: values.slug, name_fr: values.name, name_ar: '', name_en: '', hosts: (values.host ?? []).join(' '), population: values.population ?? '', admin_email: values['admin-email'] ?? '',
        });
        console.log(`Commune ${c.slug} created, served at ${publicOrigin(config, c)}/.`);
        if (values['admin-email']) console.log(`Invitation for ${values['admin-email']} queued in the outbox (link valid ${platform.INVITE_DAYS} days).`);
        return;
      }
      if (cmd === 'commune' && sub === 'list') {
        for (const c of await platform.listCommunes(op)) console.log(`${c.slug}\t${c.status}\t${c.hosts.join(' ') || `/c/${c.slug}`}\t${c.name.fr ?? ''}`);
        return;
      }
      if (cmd === 'operator' && (sub === 'grant' || sub === 'revoke')) {
        if (!arg) throw new CliError(`Name the email: npx commune operator ${sub} EMAIL`);
        if (sub === 'grant') {
          const r = await platform.grantOperator(op, arg);
          console.log(`${arg} ${r.granted ? 'is now' : 'was already'} a platform operator${r.communes.length ? ` (accounts in: ${r.communes.join(', ')})` : ' (no account yet: create one with `user add` in a commune)'}.`);
        } else console.log(await platform.revokeOperator(op, arg) ? `${arg} is no longer a platform operator.` : `${arg} was not a platform operator.`);
        return;
      }
      if (cmd === 'operator' && sub === 'list') {
        for (const o of await listOperators(database.db)) console.log(`${o.email_normalized}\tsince ${o.granted_at}`);
        return;
      }
      throw new CliError(`Unknown command "${[cmd, sub].filter(Boolean).join(' ')}".\n\n${USAGE}`);
    }
    if (cmd === 'audit' && sub === 'verify') {
      const r = await verifyAudit(database.db);
      if (r.ok) {
        console.log(`Audit chain intact: ${r.checked} entries checked.`);
        // The heads, for the monitoring body to note: a later verification must find the same entry with the same hash.
        for (const h of r.heads) console.log(`  ${tenancy.all().find((c) => c.id === h.communeId)?.slug ?? `commune ${h.communeId}`}: last entry #${h.lastId}, hash ${h.hash}`);
      } else { console.error(auditBroken(r)); process.exitCode = 1; }
      return;
    }
    if (cmd === 'backup') {
      const file = sub;
      if (!file) throw new CliError('Name the backup file: npx commune backup FILE');
      if (fs.existsSync(file)) throw new CliError(`${file} already exists; choose a new file name.`);
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      // Written under a temporary name, then renamed: a backup interrupted half-way never looks like one.
      const partial = `${file}.partial-${process.pid}`;
      try {
        if (database.sqlite) await backupSqlite(database.sqlite, partial);
        else backupPostgres(config.databaseUrl!, database.schema ?? 'public', partial);
        const fd = fs.openSync(partial, 'r');
        try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
        fs.renameSync(partial, file);
      } finally { fs.rmSync(partial, { force: true }); }
      console.log(`Backup written to ${file} (${fs.statSync(file).size} bytes).`);
      return;
    }
    if (cmd === 'search' && sub === 'reindex') {
      const targets = values.commune ? (commune ? [commune] : []) : tenancy.all();
      if (!targets.length) throw new CliError(`No commune "${communeSlug}" in this database.`);
      for (const c of targets) {
        console.log(`${c.slug}:`);
        const t0 = performance.now();
        const r = await rebuildIndex(await systemCtx(database, c, config), searchSources(), { log: (l) => console.log(l) });
        console.log(`  ${r.reduce((s, x) => s + x.indexed, 0).toLocaleString('en')} items indexed in ${((performance.now() - t0) / 1000).toFixed(1)} s.`);
      }
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

function auditBroken(r: VerifyResult): string {
  if (r.reason === 'head') {
    return `Audit chain BROKEN for commune ${r.communeId}: it ends at entry #${r.lastId}, but its recorded head is entry #${r.headId} (entries at its end were removed, or its head was altered).`;
  }
  return `Audit chain BROKEN at entry #${r.brokenId} of commune ${r.communeId} (${r.reason === 'link' ? 'it does not link to the entry before it' : 'its content does not match its hash'}); ${r.checked - 1} entries before it are intact.`;
}

/**
 * SQLite online backup in one step: the copy is one read transaction over the whole file, a
 * consistent snapshot that writers (the running server, in WAL mode) do not block. Copied a few
 * pages at a time instead, as the backup API does by default, the copy restarts whenever another
 * process writes, and may never finish while the server keeps accepting requests.
 */
async function backupSqlite(sqlite: SQLite.Database, file: string) {
  await sqlite.backup(file, { progress: () => 0x7fffffff });
}

/** pg_dump of the schema, custom format: one snapshot (a repeatable-read transaction) while the server runs. */
function backupPostgres(url: string, schema: string, file: string) {
  const r = spawnSync('pg_dump', ['--format=custom', `--schema=${schema}`, `--file=${file}`, `--dbname=${url}`], { encoding: 'utf8' });
  if (r.error) throw new CliError(`pg_dump could not run (${(r.error as NodeJS.ErrnoException).code ?? r.error.message}): install the PostgreSQL client tools.`);
  if (r.status !== 0) throw new CliError(`pg_dump failed: ${r.stderr.trim()}`);
}

/**
 * Restores a pg_dump backup (custom format) into SCHEMA (default: public). A schema of that name
 * that holds tables is kept, renamed SCHEMA_before_restore_<time>; a backup of another schema is
 * restored under its own name, then renamed SCHEMA, which needs its own name to be free in this
 * database. The whole restore is one transaction: it happens entirely or not at all.
 */
async function restorePostgres(file: string, url: string, schema = 'public'): Promise<string> {
  if (!fs.existsSync(file)) throw new CliError(`${file} does not exist.`);
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new CliError(`Invalid schema name: ${schema}`);
  const list = spawnSync('pg_restore', ['--list', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (list.error) throw new CliError(`pg_restore could not run (${(list.error as NodeJS.ErrnoException).code ?? list.error.message}): install the PostgreSQL client tools.`);
  if (list.status !== 0) throw new CliError(`${file} is not a PostgreSQL backup made by \`npx commune backup\` (pg_dump custom format).`);
  // Table of contents lines: "217; 1259 16390 TABLE myschema audit_log owner".
  const tables = [...list.stdout.matchAll(/^\d+; \d+ \d+ TABLE (\S+) (\S+) /gm)].map((m) => ({ schema: m[1], name: m[2] }));
  const from = tables.find((t) => t.name === 'audit_log' && tables.some((u) => u.schema === t.schema && u.name === 'communes'))?.schema;
  if (!from) throw new CliError(`${file} is not a Commune Ouverte backup.`);
  if (!/^[a-z_][a-z0-9_]*$/.test(from)) throw new CliError(`${file} holds schema "${from}", whose name this command does not handle.`);
  const hasSchemaEntry = new RegExp(`^\\d+; \\d+ \\d+ SCHEMA - ${from} `, 'm').test(list.stdout);

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const exists = async (n: string) => ((await client.query('select 1 from pg_namespace where nspname = $1', [n])).rowCount ?? 0) > 0;
    if (from !== schema && await exists(from)) {
      throw new CliError(`${file} is a backup of schema "${from}", which exists in this database: restore it with DATABASE_SCHEMA=${from} (the present one is kept under another name), or into another database.`);
    }
    let setAside: string | undefined;
    if (await exists(schema)) {
      const n = (await client.query('select count(*)::int n from pg_tables where schemaname = $1', [schema])).rows[0].n as number;
      if (n > 0) {
        setAside = `${schema}_before_restore_${Date.now()}`;
        await client.query(`ALTER SCHEMA ${schema} RENAME TO ${setAside}`);
      } else await client.query(`DROP SCHEMA ${schema}`);
    }
    try {
      if (!hasSchemaEntry) await client.query(`CREATE SCHEMA ${from}`);
      const r = spawnSync('pg_restore', ['--exit-on-error', '--single-transaction', '--no-owner', '--no-privileges', `--dbname=${url}`, file], { encoding: 'utf8' });
      if (r.status !== 0) throw new CliError(`pg_restore failed: ${(r.stderr || r.error?.message || '').trim()}`);
      if (from !== schema) await client.query(`ALTER SCHEMA ${from} RENAME TO ${schema}`);
    } catch (e) {
      // Put things back as they were (a schema named `from` did not exist before: it is what this restore created).
      await client.query(`DROP SCHEMA IF EXISTS ${from} CASCADE`).catch(() => {});
      if (setAside) await client.query(`ALTER SCHEMA ${setAside} RENAME TO ${schema}`).catch(() => {});
      throw e;
    }
    return `schema ${schema}${setAside ? ` (the previous one is kept as ${setAside})` : ''}`;
  } finally { await client.end(); }
}

/** Checks that FILE is a sound Commune Ouverte SQLite database, then puts it in place of DATA_DIR/commune.db. */
function restoreSqlite(file: string, dataDir: string): string {
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
  return target;
}

try {
  await main(process.argv.slice(2));
} catch (e) {
  if (e instanceof CliError) console.error(e.message);
  else if (e instanceof AppError) {
    const t = (await i18n()).t('en');
    const fields = (e as AppError & { fields?: Record<string, { key: string; params?: Record<string, unknown> }> }).fields;
    console.error(fields ? Object.entries(fields).map(([k, v]) => `${k}: ${t(v.key, v.params as any)}`).join('\n') : t(e.messageKey, e.params));
  }
  else if (e instanceof Error && /Unknown option|Unexpected argument/.test(e.message)) console.error(`${e.message}\n\n${USAGE}`);
  else console.error(`Failed: ${(e as Error).message}`);
  process.exitCode = 1;
}
