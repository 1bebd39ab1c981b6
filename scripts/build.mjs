#!/usr/bin/env node
// The server as production runs it: `src/main.ts` (or another entry, e.g. bench/server.ts) bundled by
// esbuild into one ES module under dist/, its npm packages left to node_modules. `npm start` builds,
// then runs `node dist/main.mjs`: no TypeScript loader in the serving process (tsx keeps a loader
// thread and the transpiled sources, about 40 MB; measured in docs/PERFORMANCE.md), and a start in
// a fraction of the time. The fault tests and the benchmark start this build; the CLI and the other
// tests run the sources through tsx.
//
//   node scripts/build.mjs [entry.ts] [out.mjs]      (default: src/main.ts → dist/main.mjs)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Builds `entry` into `outfile` (both relative to the project root); returns the output's absolute path. */
export async function build(entry = 'src/main.ts', outfile = 'dist/main.mjs') {
  const out = path.resolve(ROOT, outfile);
  // Written beside, then renamed: a server starting from the previous build never reads half a file.
  const partial = `${out}.${process.pid}.partial`;
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    outfile: partial,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  // The source map is named after the final file, so that --enable-source-maps finds it.
  const code = fs.readFileSync(partial, 'utf8').replace(/\/\/# sourceMappingURL=.*$/m, `//# sourceMappingURL=${path.basename(out)}.map`);
  fs.writeFileSync(partial, code);
  fs.renameSync(`${partial}.map`, `${out}.map`);
  fs.renameSync(partial, out);
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [entry, outfile] = process.argv.slice(2);
  try {
    const out = await build(entry, outfile);
    console.log(`Built ${path.relative(process.cwd(), out)}`);
  } catch (err) {
    console.error(`Build failed: ${err.message}`);
    process.exit(1);
  }
}
