import type { ModuleFixtures } from '../../core/module.ts';
import { postComment } from './service.ts';

/** A comment of the fixture citizen on the commitment of the accountability fixtures. */
const fixtures: ModuleFixtures = {
  async build(_ctx, f) {
    const comment = await postComment(f.citizen, { target_type: 'commitment', target_id: String(f.commitmentId), comment_body: `Commentaire ${f.marker}` });
    if (!comment.id) throw new Error('comments fixtures: comment not stored');
    return { commentId: comment.id };
  },
  samples: {
    'GET /:locale/comments/new': (f) => `/:locale/comments/new?target_type=commitment&target_id=${f.commitmentId}`,
    'POST /:locale/comments': () => '/:locale/comments',
    '* /:locale/comments/:id/report': (f) => `/:locale/comments/${f.commentId}/report`,
    'GET /:locale/admin/comments': () => '/:locale/admin/comments',
    'GET /:locale/admin/comments/:id': (f) => `/:locale/admin/comments/${f.commentId}`,
    'POST /:locale/admin/comments/:id/hide': (f) => `/:locale/admin/comments/${f.commentId}/hide`,
    'POST /:locale/admin/comments/:id/restore': (f) => `/:locale/admin/comments/${f.commentId}/restore`,
    'POST /:locale/admin/comments/:id/dismiss': (f) => `/:locale/admin/comments/${f.commentId}/dismiss`,
    'GET /api/comments': (f) => `/api/comments?target=commitment:${f.commitmentId}`,
  },
};
export default fixtures;
