import type { ModuleFixtures } from '../../core/module.ts';
import { requestPasswordReset } from './service.ts';

/** The fixture citizen's grant, and a valid password-reset token of theirs. */
const fixtures: ModuleFixtures = {
  async build(ctx, f) {
    const grant = await ctx.db.selectFrom('role_grants').select('id').where('commune_id', '=', f.commune.id).where('user_id', '=', f.userId).orderBy('id').executeTakeFirstOrThrow();
    let resetToken = '';
    await requestPasswordReset(ctx, { email: f.userEmail }, (token) => { resetToken = token; return `/password/reset/${token}`; });
    if (!resetToken) throw new Error('accounts fixtures: no reset token');
    return { grantId: grant.id, resetToken };
  },
  samples: {
    '* /:locale/login': () => '/:locale/login',
    '* /:locale/register': () => '/:locale/register',
    'POST /:locale/logout': () => '/:locale/logout',
    '* /:locale/password/forgot': () => '/:locale/password/forgot',
    '* /:locale/password/reset/:token': (f) => `/:locale/password/reset/${f.resetToken}`,
    'GET /:locale/account': () => '/:locale/account',
    'GET /:locale/admin/users': () => '/:locale/admin/users',
    'GET /:locale/admin/users/:id': (f) => `/:locale/admin/users/${f.userId}`,
    'POST /:locale/admin/users/:id/grants': (f) => `/:locale/admin/users/${f.userId}/grants`,
    'POST /:locale/admin/users/:id/grants/:grant/revoke': (f) => `/:locale/admin/users/${f.userId}/grants/${f.grantId}/revoke`,
  },
};
export default fixtures;
