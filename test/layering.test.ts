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
