import type { ModuleManifest } from '../../core/module.ts';
import { migrations } from './migrations.ts';
import { accountabilityPages } from './routes.tsx';
import { seedPlan } from './demo.ts';
import fr from './locales/fr.json' with { type: 'json' };
import ar from './locales/ar.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };

export const accountability: ModuleManifest = {
  name: 'accountability',
  migrations,
  permissions: { 'plans.manage': ['ogp_team'] },
  catalogs: { fr, ar, en },
  nav: [{ key: 'plans.nav', path: '/plans', order: 20 }],
  pages: accountabilityPages,
  demo: seedPlan,
};
