// The architecture's rules, checked on the source (docs/ARCHITECTURE.md, "Arrows point one way"):
// route handlers map HTTP to service verbs only — they import no repo and run no SQL — and the
// reporter's contact details never reach route code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const MODULES = path.join(import.meta.dirname, '..', 'src', 'modules');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.tsx?$/.test(f)).map((f) => path.join(dir, f));
}

const rel = (f: string) => path.relative(MODULES, f);
/** Route files: `routes.ts(x)`, `routes-*.ts(x)`, `*-routes.ts(x)`, in any module or sub-module. */
const routeFiles = sourceFiles(MODULES).filter((f) => /(^|[-/])routes([-.][\w-]*)?\.tsx?$/.test(rel(f)) && /routes/.test(path.basename(f)));

/** The module paths a file imports (static and dynamic). */
function importsOf(src: string): string[] {
  return [...src.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g)].map((m) => m[1]);
}

test('the scan sees the route files of every module', () => {
  const names = routeFiles.map(rel);
  for (const f of ['requests/routes.tsx', 'requests/staff-routes.tsx', 'requests/settings-routes.tsx', 'requests/open311/routes.ts', 'requests/dashboards/routes.tsx', 'accounts/routes.tsx']) {
    assert.ok(names.includes(f), `${f} is scanned`);
  }
  assert.ok(names.length >= 12, `${names.length} route files`);
});

test('no route file imports a repo', () => {
  const bad = routeFiles.flatMap((f) => importsOf(fs.readFileSync(f, 'utf8')).filter((i) => /(^|\/)repo(\.tsx?)?$/.test(i)).map((i) => `${rel(f)} imports ${i}`));
  assert.deepEqual(bad, [], 'routes call services; services call repos');
});

test('no route file runs SQL or holds a reporter’s contact details', () => {
  const patterns: [RegExp, string][] = [
    [/\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(/, 'a query'],
    [/\bsql`/, 'raw SQL'],
    [/\b(withTables|getExecutor)\b/, 'a database handle'],
    [/\bfindFull\b/, 'the full request row'],
    [/\breporter_(email|phone)\b|\btracking_hash\b/, 'the reporter’s contact details'],
  ];
  const bad: string[] = [];
  for (const f of routeFiles) {
    const lines = fs.readFileSync(f, 'utf8').split('\n');
    lines.forEach((line, i) => { for (const [re, what] of patterns) if (re.test(line)) bad.push(`${rel(f)}:${i + 1}: ${what}: ${line.trim()}`); });
  }
  assert.deepEqual(bad, []);
});

test('modules read the time from the injected clock only', () => {
  // `ctx.clock.now()` (tests move it; a request sees one instant throughout). A measured duration
  // would use performance.now(), which this rule leaves alone; core/clock holds the system clock.
  const wallClock = /\bnew Date\(\s*\)|\bDate\.now\(\s*\)|\biso\(\s*\)/;
  const bad: string[] = [];
  for (const f of sourceFiles(MODULES)) {
    fs.readFileSync(f, 'utf8').split('\n').forEach((line, i) => { if (wallClock.test(line.replace(/\/\/.*$/, ''))) bad.push(`${rel(f)}:${i + 1}: ${line.trim()}`); });
  }
  assert.deepEqual(bad, []);
});

// ---------- repo.ts is the only SQL; a module reads its own tables only ----------

const INLINE_SQL = /\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(|\bsql`/;
/** Files that are not the service layer: a module's SQL, its schema, and the data it seeds for the demo and the tests. */
const NOT_SERVICE = /(^|\/)(repo|migrations|schema|fixtures|demo|demo-data)\.tsx?$/;
/**
 * Service files that still hold inline SQL, to be moved into their module's repo.ts (issue 11, item 4).
 * The list only shrinks: a file listed here that no longer holds SQL fails the test until removed.
 * requests/synthetic.ts stays: the CLI's bulk loader writes every module's tables in one transaction by design.
 */
const SQL_PENDING = new Set([
  'requests/synthetic.ts',
  'accountability/service.ts', 'accountability/matrix.ts', 'monitoring/service.ts',
  // Modules of issues 12–17, written in parallel with this rule: their queries still to move into their repo.ts.
  'participation/api.ts', 'participation/search.ts', 'participation/service.ts', 'platform/service.ts',
  'transparency/exports.ts', 'transparency/links.ts', 'participation/petitions/search.ts', 'participation/petitions/service.ts',
  'participation/surveys/search.ts', 'participation/surveys/service.ts', 'transparency/budget/service.ts', 'transparency/council/service.ts',
  'transparency/documents/service.ts', 'transparency/information/service.ts', 'transparency/register/service.ts',
]);

test('services hold no SQL: repo.ts is the only place with queries', () => {
  const bad: string[] = [];
  const still = new Set<string>();
  for (const f of sourceFiles(MODULES)) {
    const name = rel(f);
    if (NOT_SERVICE.test(name) || routeFiles.includes(f)) continue;
    const hits = fs.readFileSync(f, 'utf8').split('\n').map((l, i) => [l, i] as const).filter(([l]) => INLINE_SQL.test(l));
    if (!hits.length) continue;
    if (SQL_PENDING.has(name)) { still.add(name); continue; }
    for (const [l, i] of hits) bad.push(`${name}:${i + 1}: ${l.trim()}`);
  }
  assert.deepEqual(bad, [], 'move these queries into the module’s repo.ts');
  assert.deepEqual([...SQL_PENDING].filter((f) => !still.has(f)), [], 'no SQL left here: take it off SQL_PENDING');
});

/** Each table's module, from the migrations that create it (core's tables are shared). */
function tableOwners(): Map<string, string> {
  const owners = new Map<string, string>();
  for (const f of sourceFiles(MODULES)) {
    for (const m of fs.readFileSync(f, 'utf8').matchAll(/(?:createTable|communeTable\(db,)\s*\(?\s*['"](\w+)['"]/g)) owners.set(m[1], rel(f).split(path.sep)[0]);
  }
  return owners;
}

/** Reads of another module's tables still to go through that module's repo or service. */
const FOREIGN_PENDING = new Set([
  // The reports' lists join the plan and commitment for titles and order.
  'monitoring/repo.ts',
  'requests/synthetic.ts',
  // The budget lines' commitments: to go through accountability's repo.
  'transparency/budget/demo.ts', 'transparency/budget/repo.ts', 'transparency/budget/service.ts',
]);

test('a module reads and writes its own tables only', () => {
  const owners = tableOwners();
  assert.equal(owners.get('requests'), 'requests');
  assert.equal(owners.get('plans'), 'accountability');
  const bad: string[] = [];
  const still = new Set<string>();
  for (const f of sourceFiles(MODULES)) {
    const name = rel(f);
    const mod = name.split(path.sep)[0];
    fs.readFileSync(f, 'utf8').split('\n').forEach((line, i) => {
      for (const m of line.matchAll(/(?:selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin)\(\s*['"](\w+)/g)) {
        const owner = owners.get(m[1]);
        if (!owner || owner === mod) continue;
        if (FOREIGN_PENDING.has(name)) still.add(name);
        else bad.push(`${name}:${i + 1}: ${m[1]} belongs to ${owner}`);
      }
    });
  }
  assert.deepEqual(bad, [], 'go through the owning module’s exported repo or service function');
  assert.deepEqual([...FOREIGN_PENDING].filter((f) => !still.has(f)), [], 'no foreign table left here: take it off FOREIGN_PENDING');
});
