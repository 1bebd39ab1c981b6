import { useView, href } from '../../core/ui/view.ts';
import { ErrorSummary, Field, TextArea, Select, Form, Button, Breadcrumbs, Table, Pager, Tr, emptyForm, type FormState } from '../../core/ui/components.tsx';
import { formatDate, formatNumber } from '../../core/i18n/index.ts';
import type { CommentThread, PublicComment, QueueItem } from './service.ts';
import type { CommentTarget } from './targets.ts';
import { REPORT_REASONS, BODY_MIN, BODY_MAX, NAME_MAX, REASON_MAX } from './schema.ts';
import { QUEUE_PAGE, type QueueTab } from './repo.ts';

/**
 * Plain text shown as paragraphs (blank lines) and line breaks: everything is escaped,
 * no markup is ever interpreted. `dir="auto"` lets an Arabic paragraph sit in a French page.
 */
export function Paragraphs({ text, lang }: { text: string | null | undefined; lang?: string }) {
  if (!text) return null;
  const paras = text.replace(/\r\n?/g, '\n').split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  return (
    <>
      {paras.map((p) => {
        const lines = p.split('\n');
        return <p dir="auto" lang={lang}>{lines.map((l, i) => (i === 0 ? l : <><br />{l}</>))}</p>;
      })}
    </>
  );
}

const withQuery = (path: string, q: Record<string, string | number>) =>
  `${path}?${new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)])).toString()}`;

function OneComment({ c, returnTo }: { c: PublicComment; returnTo: string }) {
  const view = useView();
  const { t, locale } = view;
  if (c.hidden) {
    return (
      <li class="card" id={`comment-${c.id}`}>
        <p class="muted">{t('comments.hiddenNotice', { reason: c.hiddenReason ?? '' })}</p>
      </li>
    );
  }
  return (
    <li class="card" id={`comment-${c.id}`}>
      <p class="muted"><strong dir="auto">{c.authorName}</strong> · <time dateTime={c.createdAt}>{formatDate(locale, c.createdAt, true)}</time></p>
      <Paragraphs text={c.body} />
      <p><a href={href(view, withQuery(`/comments/${c.id}/report`, { return_to: returnTo }))}>
        {t('comments.report')}<span class="visually-hidden"> — {t('comments.reportWhose', { name: c.authorName })}</span>
      </a></p>
    </li>
  );
}

export const commentLabels = (t: (k: string, p?: any) => string) => ({
  comment_name: t('comments.name'), comment_email: t('comments.email'), comment_body: t('comments.body'),
});

/** The form itself; `standalone` when it is the page (after an error), so its heading is the page's. */
export function CommentForm({ targetType, targetId, returnTo, form }: { targetType: string; targetId: number; returnTo: string; form: FormState }) {
  const view = useView();
  const { t, actor } = view;
  const labels = commentLabels(t);
  return (
    <>
      <ErrorSummary form={form} labels={labels} />
      <Form action={href(view, '/comments')}>
        <input type="hidden" name="target_type" value={targetType} />
        <input type="hidden" name="target_id" value={String(targetId)} />
        <input type="hidden" name="return_to" value={returnTo} />
        {actor ? (
          <p>{t('comments.signedInAs', { name: actor.name })}</p>
        ) : (
          <>
            <p class="hint">{t('comments.anonymousIntro')} <a href={href(view, withQuery('/login', { next: href(view, returnTo) }))}>{t('comments.signInLink')}</a></p>
            <Field name="comment_name" label={labels.comment_name} form={form} required autocomplete="name" maxlength={NAME_MAX} hint={t('comments.nameHint')} />
            <Field name="comment_email" type="email" label={labels.comment_email} form={form} required autocomplete="email" dir="ltr" hint={t('comments.emailHint')} />
          </>
        )}
        <TextArea name="comment_body" label={labels.comment_body} form={form} required rows={5} maxlength={BODY_MAX} hint={t('comments.bodyHint', { min: BODY_MIN, max: BODY_MAX })} />
        {/* A field people never see: a robot that fills it is ignored. */}
        <div hidden>
          <label for="f-comment_website">{t('comments.honeypot')}</label>
          <input id="f-comment_website" name="comment_website" type="text" value="" tabindex={-1} autocomplete="off" />
        </div>
        <div class="actions"><Button>{t('comments.submit')}</Button></div>
      </Form>
    </>
  );
}

/**
 * The public debate under any page: the comments (server-rendered), then the form.
 * The host route loads the thread with `loadThread(ctx, type, id)` and passes it here.
 */
export function Comments({ thread, returnTo, form }: { thread: CommentThread; returnTo: string; form?: FormState }) {
  const { t, locale } = useView();
  return (
    <section class="comments" aria-labelledby="comments-title" id="comments">
      <h2 id="comments-title">{t('comments.title')} ({formatNumber(locale, thread.total)})</h2>
      {thread.comments.length === 0 ? <p>{t('comments.none')}</p> : (
        <>
          {thread.total > thread.comments.length && <p class="muted">{t('comments.latestOnly', { shown: thread.comments.length, total: thread.total })}</p>}
          <ol class="cards">{thread.comments.map((c) => <OneComment c={c} returnTo={returnTo} />)}</ol>
        </>
      )}
      {thread.open ? (
        <>
          <h3>{t('comments.add')}</h3>
          <CommentForm targetType={thread.targetType} targetId={thread.targetId} returnTo={returnTo} form={form ?? emptyForm()} />
        </>
      ) : <p>{t('comments.closed')}</p>}
    </section>
  );
}

/** The form on a page of its own: where a failed submission lands, with the input and messages. */
export function NewCommentPage({ targetType, targetId, target, returnTo, form }: { targetType: string; targetId: number; target: CommentTarget; returnTo: string; form: FormState }) {
  const view = useView();
  const { t } = view;
  return (
    <section class="narrow">
      <h1>{t('comments.add')}</h1>
      <p class="lead">{t('comments.on')} <a href={href(view, returnTo)}><Tr value={target.title} /></a></p>
      {target.open ? <CommentForm targetType={targetType} targetId={targetId} returnTo={returnTo} form={form} /> : <p>{t('comments.closed')}</p>}
    </section>
  );
}

export function ReportPage({ comment, returnTo, form }: { comment: PublicComment & { target: CommentTarget | null }; returnTo: string; form: FormState }) {
  const view = useView();
  const { t, locale } = view;
  const labels = { reason: t('comments.reportReason'), note: t('comments.reportNote') };
  return (
    <section class="narrow">
      <h1>{t('comments.reportTitle')}</h1>
      {comment.hidden ? <p>{t('comments.hiddenNotice', { reason: comment.hiddenReason ?? '' })}</p> : (
        <>
          <blockquote class="card">
            <p class="muted"><strong dir="auto">{comment.authorName}</strong> · <time dateTime={comment.createdAt}>{formatDate(locale, comment.createdAt, true)}</time></p>
            <Paragraphs text={comment.body} />
          </blockquote>
          <p>{t('comments.reportIntro')}</p>
          <ErrorSummary form={form} labels={labels} />
          <Form action={href(view, `/comments/${comment.id}/report`)}>
            <input type="hidden" name="return_to" value={returnTo} />
            <Select name="reason" label={labels.reason} form={form} required blank={t('common.choose')}
              options={REPORT_REASONS.map((r) => ({ value: r, label: t(`comments.reasons.${r}`) }))} />
            <TextArea name="note" label={labels.note} form={form} rows={3} maxlength={500} hint={t('comments.reportNoteHint')} />
            <div class="actions"><Button>{t('comments.reportSubmit')}</Button></div>
          </Form>
        </>
      )}
      <p><a href={href(view, returnTo)}>{t('comments.back')}</a></p>
    </section>
  );
}

function TargetLink({ target }: { target: CommentTarget | null }) {
  const view = useView();
  return target ? <a href={href(view, target.path)}><Tr value={target.title} /></a> : <>{view.t('comments.targetGone')}</>;
}

export function QueuePage({ tab, page, total, items, counts }: { tab: QueueTab; page: number; total: number; items: QueueItem[]; counts: Record<QueueTab, number> }) {
  const view = useView();
  const { t, locale } = view;
  return (
    <section>
      <Breadcrumbs items={[{ label: t('admin.home'), path: '/admin' }, { label: t('comments.queueTitle') }]} />
      <h1>{t('comments.queueTitle')}</h1>
      <p class="lead">{t('comments.queueIntro')}</p>
      <nav aria-label={t('comments.queueTabs')}>
        <ul class="tags">
          {(['reported', 'hidden'] as const).map((k) => (
            <li><a href={href(view, `/admin/comments?tab=${k}`)} aria-current={k === tab ? 'page' : undefined}>{t(`comments.tab.${k}`)} ({formatNumber(locale, counts[k])})</a></li>
          ))}
        </ul>
      </nav>
      <Table caption={t(`comments.tab.${tab}`)} numeric={tab === 'reported' ? [3] : []}
        head={[t('comments.comment'), t('comments.on'), t('comments.author'), tab === 'reported' ? t('comments.reports') : t('comments.hiddenReason')]}
        rows={items.map((c) => [
          <><a href={href(view, `/admin/comments/${c.id}`)}>{t('comments.review', { id: c.id })}</a><br /><span dir="auto">{c.body.length > 140 ? `${c.body.slice(0, 140)}…` : c.body}</span></>,
          <TargetLink target={c.target} />,
          <><span dir="auto">{c.authorName}</span><br /><span class="muted">{formatDate(locale, c.createdAt, true)}</span></>,
          tab === 'reported' ? formatNumber(locale, c.openReports) : <span dir="auto">{c.hiddenReason}</span>,
        ])} />
      <Pager page={page} pageSize={QUEUE_PAGE} total={total} base={`/admin/comments?tab=${tab}`} />
    </section>
  );
}

type Moderation = Awaited<ReturnType<typeof import('./service.ts').commentForModeration>>;

export function ModerationPage({ data, form }: { data: Moderation; form: FormState }) {
  const view = useView();
  const { t, locale } = view;
  const { comment: c, reports, target } = data;
  return (
    <section>
      <Breadcrumbs items={[{ label: t('admin.home'), path: '/admin' }, { label: t('comments.queueTitle'), path: '/admin/comments' }, { label: t('comments.review', { id: c.id }) }]} />
      <h1>{t('comments.review', { id: c.id })}</h1>
      <dl class="kv">
        <dt>{t('comments.on')}</dt><dd><TargetLink target={target} /></dd>
        <dt>{t('comments.author')}</dt><dd><span dir="auto">{c.authorName}</span> ({t(c.signedIn ? 'comments.signedIn' : 'comments.anonymous')})</dd>
        <dt>{t('comments.postedOn')}</dt><dd>{formatDate(locale, c.createdAt, true)}</dd>
        <dt>{t('comments.status')}</dt><dd><span class={`badge ${c.status === 'hidden' ? 'bad' : 'ok'}`}>{t(`comments.statuses.${c.status}`)}</span>{c.hiddenReason && <> — <span dir="auto">{c.hiddenReason}</span></>}</dd>
      </dl>
      <h2>{t('comments.comment')}</h2>
      <blockquote class="card"><Paragraphs text={c.body} /></blockquote>
      <Table caption={t('comments.reports')} head={[t('comments.reportReason'), t('comments.reportNote'), t('comments.postedOn'), t('comments.resolution')]}
        rows={reports.map((r) => [
          t(`comments.reasons.${r.reason}`), <span dir="auto">{r.note}</span>, formatDate(locale, r.created_at, true),
          r.resolution ? t(`comments.resolutions.${r.resolution}`) : t('comments.open'),
        ])} />
      {c.status === 'visible' ? (
        <>
          <h2>{t('comments.hideTitle')}</h2>
          <ErrorSummary form={form} labels={{ reason: t('comments.hiddenReason') }} />
          <Form action={href(view, `/admin/comments/${c.id}/hide`)}>
            <TextArea name="reason" label={t('comments.hiddenReason')} form={form} required rows={3} maxlength={REASON_MAX} hint={t('comments.hideHint')} />
            <div class="actions"><Button kind="danger">{t('comments.hide')}</Button></div>
          </Form>
          {c.openReports > 0 && (
            <Form action={href(view, `/admin/comments/${c.id}/dismiss`)}>
              <p>{t('comments.dismissIntro')}</p>
              <div class="actions"><Button kind="secondary">{t('comments.dismiss')}</Button></div>
            </Form>
          )}
        </>
      ) : (
        <>
          <h2>{t('comments.restoreTitle')}</h2>
          <ErrorSummary form={form} labels={{ reason: t('comments.hiddenReason') }} />
          <Form action={href(view, `/admin/comments/${c.id}/restore`)}>
            <p>{t('comments.restoreIntro')}</p>
            <div class="actions"><Button kind="secondary">{t('comments.restore')}</Button></div>
          </Form>
        </>
      )}
    </section>
  );
}
