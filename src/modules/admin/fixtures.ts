import type { ModuleFixtures } from '../../core/module.ts';

const fixtures: ModuleFixtures = {
  build: async () => ({}),
  samples: {
    'GET /:locale/admin': () => '/:locale/admin',
    'GET /:locale/admin/audit': () => '/:locale/admin/audit',
  },
};
export default fixtures;
