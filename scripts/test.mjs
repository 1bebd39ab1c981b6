#!/usr/bin/env node
// `npm test`: the whole suite on SQLite, then again on PostgreSQL when one is configured
// (DATABASE_URL or TEST_DATABASE_URL = postgres://…). REQUIRE_POSTGRES=1 turns a missing server into a failure.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

const files = fs.readdirSync('test').filter((f) => f.endsWith('.test.ts')).map((f) => path.join('test', f)).sort();
const only = process.argv.slice(2);
const selected = only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files;
const concurrency = String(Math.max(2, Number(process.env.TEST_CONCURRENCY ?? 3)));

// Browser tests check what pages render, which does not depend on the engine: they run in the SQLite pass only,
// so that CI stays within its time budget. Every other file runs on both engines.
const usesBrowser = (f) => fs.readFileSync(f, 'utf8').includes("from './browser.ts'");

/**
 * One pass of the suite on one engine. The demo commune is seeded once for the pass into a template (test/template.ts)
 * that each test app copies, instead of seeding it again in every test file.
 */
function run(label, env, files = selected) {
  console.log(`\n# ${label}: ${files.length} test files`);
  const penv = { ...process.env, ...env };
  const started = Date.now();
  const tpl = spawnSync(process.execPath, ['--import', 'tsx', 'test/template.ts', 'build', env.TEST_DATABASE_URL ? 'postgres' : 'sqlite'], { env: penv, encoding: 'utf8' });
  if (tpl.status !== 0) { console.error(`Cannot build the ${label} template:\n${tpl.stderr}`); return 1; }
  const template = tpl.stdout.trim().split('\n').at(-1);
  console.log(`# ${label} template seeded in ${Date.now() - started} ms`);
  try {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files], { stdio: 'inherit', env: { ...penv, TEST_TEMPLATE: template } });
    return r.status ?? 1;
  } finally {
    spawnSync(process.execPath, ['--import', 'tsx', 'test/template.ts', 'drop', template], { env: penv, stdio: 'inherit' });
  }
}

const { DATABASE_URL, ...rest } = process.env;
let status = run('SQLite', { ...rest, DATABASE_URL: '', TEST_DATABASE_URL: '' });

const pgUrl = process.env.TEST_DATABASE_URL || (DATABASE_URL && /^postgres/.test(DATABASE_URL) ? DATABASE_URL : '');
if (pgUrl) {
  let reachable = true;
  const client = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 5000 });
  try { await client.connect(); await client.end(); } catch (err) { reachable = false; console.error(`PostgreSQL at ${pgUrl} is not reachable: ${err.message}`); }
  if (reachable) status = run('PostgreSQL', { DATABASE_URL: '', TEST_DATABASE_URL: pgUrl }, selected.filter((f) => !usesBrowser(f))) || status;
  else if (process.env.REQUIRE_POSTGRES === '1') status = 1;
} else if (process.env.REQUIRE_POSTGRES === '1') {
  console.error('REQUIRE_POSTGRES=1 but no DATABASE_URL or TEST_DATABASE_URL points to PostgreSQL.');
  status = 1;
} else {
  console.log('\n# PostgreSQL pass skipped: set DATABASE_URL=postgres://… (or TEST_DATABASE_URL) to run it.');
}
process.exit(status);
