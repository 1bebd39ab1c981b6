import type { FastifyInstance } from 'fastify';
import * as svc from './service.ts';
import { LoginPage, RegisterPage, ForgotPage, ResetPage, AccountPage, UsersPage, UserPage } from './views.tsx';
import { emptyForm } from '../../core/ui/components.tsx';
import { submitForm, limited, pageParam, queryString, intParam, echoValues } from '../../core/http/form-route.ts';
import { safeLocalPath, sessionCookieOptions } from '../../core/http/index.tsx';
import { SESSION_COOKIE } from '../../core/auth/sessions.ts';

export async function accountPages(app: FastifyInstance) {
  const cfg = () => app.appConfig;

  app.get('/login', async (req, reply) => {
    const next = safeLocalPath((req.query as any)?.next, `/${req.locale}/`);
    return reply.page(req.t('accounts.loginTitle'), <LoginPage form={emptyForm()} next={next} />);
  });
  app.post('/login', limited(cfg(), 10), async (req, reply) => {
    const next = safeLocalPath((req.body as any)?.next, `/${req.locale}/`);
    return submitForm(req, reply, async () => {
      const token = await svc.login(req.ctx, req.body);
      // A fresh session id at every login; the old one is ended before the answer (awaited: no window, no unhandled rejection).
      if (req.sessionToken) await svc.logout(req.ctx, req.sessionToken);
      return token;
    },
      (form, status) => reply.page(req.t('accounts.loginTitle'), <LoginPage form={form} next={next} />, status),
      (token) => {
        reply.setCookie(SESSION_COOKIE, token, sessionCookieOptions(cfg()));
        reply.flash('success', 'accounts.welcome');
        return reply.redirect(next, 303);
      });
  });

  app.get('/register', async (req, reply) => reply.page(req.t('accounts.registerTitle'), <RegisterPage form={emptyForm()} />));
  app.post('/register', limited(cfg(), 5), async (req, reply) =>
    submitForm(req, reply, () => svc.register(req.ctx, req.body),
      (form, status) => reply.page(req.t('accounts.registerTitle'), <RegisterPage form={form} />, status),
      ({ token }) => {
        reply.setCookie(SESSION_COOKIE, token, sessionCookieOptions(cfg()));
        reply.flash('success', 'accounts.registered');
        return reply.to('/account');
      }));

  app.post('/logout', async (req, reply) => {
    await svc.logout(req.ctx, req.sessionToken);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    // The browser drops the pages it kept of the signed-in session (the back button shows nothing personal).
    reply.header('clear-site-data', '"cache"');
    reply.flash('info', 'accounts.loggedOut');
    return reply.to('/');
  });

  app.get('/password/forgot', async (req, reply) => reply.page(req.t('accounts.forgotTitle'), <ForgotPage form={emptyForm()} sent={false} />));
  app.post('/password/forgot', limited(cfg(), 5), async (req, reply) =>
    submitForm(req, reply, () => svc.requestPasswordReset(req.ctx, req.body, (token) => `${cfg().baseUrl}/${req.locale}/password/reset/${token}`),
      (form, status) => reply.page(req.t('accounts.forgotTitle'), <ForgotPage form={form} sent={false} />, status),
      () => reply.page(req.t('accounts.forgotTitle'), <ForgotPage form={emptyForm(echoValues(req.body))} sent />)));

  app.get('/password/reset/:token', async (req, reply) => {
    const token = (req.params as any).token as string;
    const valid = (await svc.checkResetToken(req.ctx, token)) !== null;
    return reply.noStore().page(req.t('accounts.resetTitle'), <ResetPage form={emptyForm()} token={token} valid={valid} />, valid ? 200 : 410);
  });
  app.post('/password/reset/:token', limited(cfg(), 10), async (req, reply) => {
    const token = (req.params as any).token as string;
    return submitForm(req, reply, () => svc.resetPassword(req.ctx, token, req.body),
      (form, status) => reply.page(req.t('accounts.resetTitle'), <ResetPage form={form} token={token} valid={!form.formError} />, status),
      () => { reply.flash('success', 'accounts.resetDone'); return reply.to('/login'); });
  });

  app.get('/account', async (req, reply) => {
    const grants = await svc.ownGrants(req.ctx);
    return reply.page(req.t('accounts.accountTitle'), <AccountPage grants={grants} />);
  });

  app.get('/admin/users', async (req, reply) => {
    const q = queryString(req.query, 'q', 100);
    const page = pageParam(req.query);
    const { users, total } = await svc.listUsers(req.ctx, q, page);
    return reply.page(req.t('accounts.usersTitle'), <UsersPage users={users} total={total} page={page} q={q} pageSize={svc.PAGE_SIZE} />);
  });

  const userPage = async (req: any, reply: any, form = emptyForm(), status = 200) => {
    const { user, grants } = await svc.getUserWithGrants(req.ctx, intParam(req.params, 'id'));
    const institutions = await svc.grantableInstitutions(req.ctx);
    return reply.page(user.name, <UserPage user={user} grants={grants} institutions={institutions} form={form} />, status);
  };
  app.get('/admin/users/:id', (req, reply) => userPage(req, reply));
  app.post('/admin/users/:id/grants', async (req, reply) => {
    const id = intParam(req.params, 'id');
    return submitForm(req, reply, () => svc.grantRole(req.ctx, id, req.body),
      (form, status) => userPage(req, reply, form, status),
      () => { reply.flash('success', 'accounts.granted'); return reply.to(`/admin/users/${id}`); });
  });
  app.post('/admin/users/:id/grants/:grant/revoke', async (req, reply) => {
    const id = intParam(req.params, 'id');
    return submitForm(req, reply, () => svc.revokeRole(req.ctx, id, intParam(req.params, 'grant')),
      (form, status) => userPage(req, reply, form, status),
      () => { reply.flash('success', 'accounts.revoked'); return reply.to(`/admin/users/${id}`); });
  });
}
