import type { ModuleFixtures } from '../../core/module.ts';

/** The operator's routes aim at the fixtures' own commune (its slug); the logo routes answer 404 until one is uploaded. */
const fixtures: ModuleFixtures = {
  build: async () => ({}),
  samples: {
    '* /:locale/operator/communes': () => '/:locale/operator/communes',
    '* /:locale/operator/communes/:slug': (f) => `/:locale/operator/communes/${f.commune.slug}`,
    'POST /:locale/operator/communes/:slug/status': (f) => `/:locale/operator/communes/${f.commune.slug}/status`,
    'POST /:locale/operator/communes/:slug/invite': (f) => `/:locale/operator/communes/${f.commune.slug}/invite`,
    'POST /:locale/operator/communes/:slug/logo': (f) => `/:locale/operator/communes/${f.commune.slug}/logo`,
    'GET /:locale/operator/communes/:slug/logo.png': (f) => `/:locale/operator/communes/${f.commune.slug}/logo.png`,
    'GET /:locale/open-data/catalog.jsonld': () => '/:locale/open-data/catalog.jsonld',
    'GET /api/catalog.jsonld': () => '/api/catalog.jsonld',
    'GET /theme.css': () => '/theme.css',
    'GET /logo.png': () => '/logo.png',
  },
};
export default fixtures;
