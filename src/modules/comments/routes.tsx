import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as svc from './service.ts';
import { NewCommentPage, ReportPage, QueuePage, ModerationPage } from './views.tsx';
import { resolveTarget, type CommentTarget } from './targets.ts';
import { emptyForm, type FormState } from '../../core/ui/components.tsx';
import { submitForm, limited, pageParam, queryString, intParam } from '../../core/http/form-route.ts';
import { safeLocalPath } from '../../core/http/index.tsx';
import { NotFoundError } from '../../core/http/errors.ts';

/** Posting and reporting are open to anyone: a few per minute and per address. */
export const POST_LIMIT = 5;
export const REPORT_LIMIT = 10;

const field = (src: unknown, name: string) => {
  const v = (src as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
};

/** Where to go back to, inside the current locale: the page that embeds the thread, else the target's own page. */
function returnPath(raw: string, fallback: string): string {
  const p = safeLocalPath(raw, fallback);
  return /^\/(fr|ar|en)(\/|$)/.test(p) ? fallback : p;
}

export async function commentPages(app: FastifyInstance) {
  const cfg = () => app.appConfig;

  const newPage = async (req: FastifyRequest, reply: FastifyReply, src: unknown, form: FormState, status: number) => {
    const type = field(src, 'target_type');
    const id = Number(field(src, 'target_id'));
    const target = await resolveTarget(req.ctx, type, id);
    if (!target) throw new NotFoundError();
    const back = returnPath(field(src, 'return_to'), target.path);
    return reply.page(req.t('comments.add'), <NewCommentPage targetType={type} targetId={id} target={target} returnTo={back} form={form} />, status);
  };

  app.get('/comments/new', (req, reply) => newPage(req, reply, req.query, emptyForm(), 200));

  // A failed submission re-renders the form on a page of its own (with the input and the
  // messages), whatever page embedded it: no state to carry across a redirect.
  app.post('/comments', limited(cfg(), POST_LIMIT), async (req, reply) =>
    submitForm(req, reply, () => svc.postComment(req.ctx, req.body),
      (form, status) => newPage(req, reply, req.body, form, status),
      ({ id, target }: { id: number | null; target: CommentTarget }) => {
        reply.flash('success', 'comments.posted');
        return reply.to(`${returnPath(field(req.body, 'return_to'), target.path)}${id ? `#comment-${id}` : ''}`);
      }));

  const reportPage = async (req: FastifyRequest, reply: FastifyReply, src: unknown, form: FormState, status: number) => {
    const comment = await svc.getPublicComment(req.ctx, intParam(req.params, 'id'));
    const back = returnPath(field(src, 'return_to'), comment.target?.path ?? '/');
    return reply.page(req.t('comments.reportTitle'), <ReportPage comment={comment} returnTo={back} form={form} />, status);
  };
  app.get('/comments/:id/report', (req, reply) => reportPage(req, reply, req.query, emptyForm(), 200));
  app.post('/comments/:id/report', limited(cfg(), REPORT_LIMIT), async (req, reply) => {
    const id = intParam(req.params, 'id');
    return submitForm(req, reply, () => svc.reportComment(req.ctx, id, req.body),
      (form, status) => reportPage(req, reply, req.body, form, status),
      (target) => {
        reply.flash('success', 'comments.reported');
        return reply.to(returnPath(field(req.body, 'return_to'), target?.path ?? '/'));
      });
  });

  app.get('/admin/comments', async (req, reply) => {
    const tab = queryString(req.query, 'tab') === 'hidden' ? 'hidden' : 'reported';
    const page = pageParam(req.query);
    const q = await svc.moderationQueue(req.ctx, tab, page);
    return reply.page(req.t('comments.queueTitle'), <QueuePage tab={tab} page={page} {...q} />);
  });

  const moderationPage = async (req: FastifyRequest, reply: FastifyReply, form: FormState = emptyForm(), status = 200) => {
    const data = await svc.commentForModeration(req.ctx, intParam(req.params, 'id'));
    return reply.page(req.t('comments.review', { id: data.comment.id }), <ModerationPage data={data} form={form} />, status);
  };
  app.get('/admin/comments/:id', (req, reply) => moderationPage(req, reply));
  const moderate = (path: string, action: (req: FastifyRequest, id: number) => Promise<void>, done: string) =>
    app.post(`/admin/comments/:id/${path}`, async (req, reply) => {
      const id = intParam(req.params, 'id');
      return submitForm(req, reply, () => action(req, id),
        (form, status) => moderationPage(req, reply, form, status),
        () => { reply.flash('success', done); return reply.to(`/admin/comments/${id}`); });
    });
  moderate('hide', (req, id) => svc.hideComment(req.ctx, id, req.body), 'comments.hidden');
  moderate('restore', (req, id) => svc.restoreComment(req.ctx, id), 'comments.restored');
  moderate('dismiss', (req, id) => svc.dismissReports(req.ctx, id), 'comments.dismissed');
}

/** `GET /api/comments?target=commitment:12`: the public thread as JSON (never an email). */
export async function commentApi(app: FastifyInstance) {
  app.get('/api/comments', async (req, reply) => {
    const m = /^([a-z_]{1,40}):(\d{1,9})$/.exec(queryString(req.query, 'target', 60));
    if (!m) throw new NotFoundError();
    const target = await resolveTarget(req.ctx, m[1], Number(m[2]));
    if (!target) throw new NotFoundError();
    const thread = await svc.loadThread(req.ctx, m[1], Number(m[2]), target);
    return reply.send({
      target: { type: thread.targetType, id: thread.targetId, open: thread.open },
      total: thread.total,
      comments: thread.comments.map((c) => ({
        id: c.id, author: c.authorName, body: c.body, createdAt: c.createdAt, hidden: c.hidden, hiddenReason: c.hiddenReason, hiddenAt: c.hiddenAt,
      })),
    });
  });
}
