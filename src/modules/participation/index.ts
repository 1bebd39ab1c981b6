import type { ModuleManifest } from '../../core/module.ts';
import { migrations } from './migrations.ts';
import fr from './locales/fr.json' with { type: 'json' };
import ar from './locales/ar.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };

export const participation: ModuleManifest = {
  name: 'participation',
  migrations,
  catalogs: { fr, ar, en },
};
