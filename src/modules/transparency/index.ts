import type { ModuleManifest } from '../../core/module.ts';
import { storagePath } from '../../core/files/index.ts';
import { migrations } from './migrations.ts';
import { transparencySearch } from './search.ts';
import * as docs from './documents/service.ts';
import { extractText } from './documents/files.ts';
import fr from './locales/fr.json' with { type: 'json' };
import ar from './locales/ar.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };

export const transparency: ModuleManifest = {
  name: 'transparency',
  migrations,
  permissions: {
    // Upload, edit, publish, supersede, withdraw documents: the OGP team, department staff for their own department.
    [docs.PUBLISH]: ['ogp_team', 'department_staff'],
  },
  catalogs: { fr, ar, en },
  search: transparencySearch,
  jobs: {
    [docs.EXTRACT_JOB]: (ctx, payload) => docs.runExtraction(ctx, payload, extractText, (sha, kind) => storagePath(ctx.config.dataDir, ctx.commune.id, sha, kind)),
    [docs.EMBARGO_JOB]: (ctx, payload) => docs.liftEmbargo(ctx, payload),
  },
};
