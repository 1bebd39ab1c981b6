import type { ModuleManifest } from '../../core/module.ts';
import { migrations } from './migrations.ts';
import { commentPages, commentApi } from './routes.tsx';
import fr from './locales/fr.json' with { type: 'json' };
import ar from './locales/ar.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };

export { Comments } from './views.tsx';
export { loadThread, type CommentThread } from './service.ts';
export { registerCommentTarget, type CommentTarget } from './targets.ts';

/** Public debate under any page (commitments, monitoring reports, later requests), with moderation. */
export const comments: ModuleManifest = {
  name: 'comments',
  migrations,
  permissions: { 'comments.moderate': ['moderator'] },
  catalogs: { fr, ar, en },
  admin: [{ key: 'comments.queueTitle', path: '/admin/comments', order: 70, permission: 'comments.moderate' }],
  pages: commentPages,
  routes: commentApi,
};
