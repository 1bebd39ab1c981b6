import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's root folder (where package.json is), found from this module's place: the same
 * whether the sources run through tsx (src/core/paths.ts) or the build runs (dist/main.mjs).
 */
export const ROOT = (() => {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error('package.json not found above the application');
  }
})();

/** Stylesheet, scripts and images served under /static/. */
export const PUBLIC_DIR = path.join(ROOT, 'public');
