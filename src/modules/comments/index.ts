import type { ModuleManifest } from '../../core/module.ts';
import { migrations } from './migrations.ts';
import { commentPages, commentApi } from './routes.tsx';
import fr from './locales/fr.json' with { type: 'json' };
import ar from './locales/ar.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };

export { Comments } from './views.tsx';
export { loadThread, type CommentThread } from './service.ts';
export { type CommentTarget } from './targets.ts';
import { targetsFrom } from './targets.ts';

/**
 * Public debate under any page (commitments, monitoring reports, later requests), with moderation. The things
 * commented on are the other modules' (`commentTargets` in their manifests), read through `modules`.
 */
export function commentsModule(modules: () => readonly ModuleManifest[]): ModuleManifest {
  targetsFrom(modules);
  return {
    name: 'comments',
    migrations,
    permissions: { 'comments.moderate': ['moderator'] },
    catalogs: { fr, ar, en },
    admin: [{ key: 'comments.queueTitle', path: '/admin/comments', order: 70, permission: 'comments.moderate' }],
    pages: commentPages,
    routes: commentApi,
    access: {
      'GET /:locale/comments/new': 'public',
      // Posting and reporting: open to anyone (anonymous with a name and an email), rate-limited.
      'POST /:locale/comments': 'public',
      'GET /:locale/comments/:id/report': 'public',
      'POST /:locale/comments/:id/report': 'public',
      'GET /:locale/admin/comments': 'comments.moderate',
      'GET /:locale/admin/comments/:id': 'comments.moderate',
      'POST /:locale/admin/comments/:id/hide': 'comments.moderate',
      'POST /:locale/admin/comments/:id/restore': 'comments.moderate',
      'POST /:locale/admin/comments/:id/dismiss': 'comments.moderate',
      'GET /api/comments': 'public',
    },
    fixtures: () => import('./fixtures.ts').then((m) => m.default),
  };
}
