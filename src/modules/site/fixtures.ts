import type { ModuleFixtures } from '../../core/module.ts';

const fixtures: ModuleFixtures = {
  build: async () => ({}),
  samples: {
    'GET /:locale': () => '/:locale/',
    'GET /:locale/about': () => '/:locale/about',
    'GET /:locale/open-data': () => '/:locale/open-data',
  },
};
export default fixtures;
