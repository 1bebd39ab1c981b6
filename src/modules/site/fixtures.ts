import type { ModuleFixtures } from '../../core/module.ts';

const fixtures: ModuleFixtures = {
  build: async () => ({}),
  samples: {
    'GET /:locale': () => '/:locale/',
    'GET /:locale/about': () => '/:locale/about',
    'GET /:locale/open-data': () => '/:locale/open-data',
    'GET /:locale/search': () => '/:locale/search?q=budget',
    'GET /api/search.json': () => '/api/search.json?q=budget',
  },
};
export default fixtures;
