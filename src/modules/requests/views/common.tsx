import type { ComponentChildren } from 'preact';
import { useView, href } from '../../../core/ui/view.ts';
import { Tr } from '../../../core/ui/components.tsx';
import { formatDate, formatNumber, tr, type Translated } from '../../../core/i18n/index.ts';
import type { Category, District, Question } from '../service.ts';

const STATUS_BADGE: Record<string, string> = {
  submitted: 'neutral', acknowledged: 'neutral', in_progress: 'warn', reopened: 'warn', resolved: 'ok', rejected: 'bad',
};

export function StatusBadge({ status }: { status: string }) {
  const { t } = useView();
  return <span class={`badge ${STATUS_BADGE[status] ?? 'neutral'}`}>{t(`requests.status.${status}`)}</span>;
}

export function OverdueBadge() {
  const { t } = useView();
  return <span class="badge bad">{t('requests.overdue')}</span>;
}

/** Text a citizen typed: its language is unknown, so the browser picks the direction. */
export function UserText({ text, as = 'p' }: { text: string | null | undefined; as?: 'p' | 'span' | 'div' }) {
  if (!text) return null;
  const parts = text.split(/\r?\n/);
  const body = parts.map((line, i) => <>{i > 0 && <br />}{line}</>);
  if (as === 'span') return <span dir="auto">{body}</span>;
  if (as === 'div') return <div dir="auto" class="user-text">{body}</div>;
  return <p dir="auto" class="user-text">{body}</p>;
}

export function excerpt(s: string, max = 120): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

export function nameOf<T extends { id: number; name: Translated }>(items: T[], id: number | null | undefined, locale: Parameters<typeof tr>[1]): string {
  const x = items.find((i) => i.id === id);
  return x ? tr(x.name, locale) : '';
}

export function CategoryName({ categories, id }: { categories: Category[]; id: number }) {
  const c = categories.find((x) => x.id === id);
  return c ? <Tr value={c.name} /> : null;
}

export function DistrictName({ districts, id }: { districts: District[]; id: number | null }) {
  const { t } = useView();
  const d = districts.find((x) => x.id === id);
  return d ? <Tr value={d.name} /> : <span class="muted">{t('requests.noDistrict')}</span>;
}

/** The answers to a category's extra questions, as a definition list. */
export function Answers({ questions, answers }: { questions: Question[]; answers: Record<string, unknown> }) {
  const { locale } = useView();
  const shown = questions.filter((q) => answers[q.code] !== undefined && answers[q.code] !== '');
  if (!shown.length) return null;
  const label = (q: Question, v: unknown) => {
    if (q.kind === 'single') return tr(q.options.find((o) => o.value === v)?.label, locale) || String(v);
    if (q.kind === 'multiple') return (Array.isArray(v) ? v : [v]).map((x) => tr(q.options.find((o) => o.value === x)?.label, locale) || String(x)).join(', ');
    if (q.kind === 'date') return formatDate(locale, String(v));
    if (q.kind === 'number') return formatNumber(locale, Number(v));
    return String(v);
  };
  return (
    <dl class="kv">
      {shown.map((q) => <><dt><Tr value={q.label} /></dt><dd>{q.kind === 'text' ? <UserText text={label(q, answers[q.code])} as="span" /> : label(q, answers[q.code])}</dd></>)}
    </dl>
  );
}

export function Photos({ photos, caption }: { photos: { id: number; kind: string }[]; caption: string }) {
  const view = useView();
  if (!photos.length) return null;
  return (
    <ul class="photos">
      {photos.map((p, i) => (
        <li><a href={href(view, `/requests/photos/${p.id}`)}><img src={href(view, `/requests/photos/${p.id}`)} alt={`${caption} ${i + 1}`} loading="lazy" width={320} height={240} /></a></li>
      ))}
    </ul>
  );
}

/** A public timeline entry, in words. */
export function EventText({ kind, data, body }: { kind: string; data: Record<string, unknown>; body: string | null }) {
  const view = useView();
  const { t } = view;
  const what: ComponentChildren =
    kind === 'submitted' ? t('requests.event.submitted', { channel: t(`requests.channel.${data.channel ?? 'web'}`) })
    : kind === 'rejected' ? t(`requests.event.rejected_${data.reason ?? 'invalid'}`)
    : kind === 'merged' && typeof data.into === 'string' ? <>{t('requests.event.merged')} <a href={href(view, `/requests/${data.into}`)}>{data.into}</a></>
    : kind === 'duplicate_merged' && typeof data.from === 'string' ? <>{t('requests.event.duplicate_merged')} <a href={href(view, `/requests/${data.from}`)}>{data.from}</a></>
    : kind === 'feedback' ? t(data.fixed ? 'requests.event.feedbackFixed' : 'requests.event.feedbackNotFixed', { rating: data.satisfaction })
    : kind === 'ruled' ? t(`requests.event.ruled_${data.decision === 'upheld' ? 'upheld' : 'dismissed'}`)
    : kind === 'assigned' ? t(data.assigneeId ? 'requests.event.assigned' : 'requests.event.unassigned')
    : t(`requests.event.${kind}`, { defaultValue: kind });
  return (
    <>
      <strong>{what}</strong>
      {kind === 'rejected' && typeof data.referral === 'string' && <UserText text={`${t('requests.referral')} : ${data.referral}`} />}
      {body && <UserText text={body} />}
    </>
  );
}

export function Timeline({ events, showActors = false }: { events: { id: number; at: string; kind: string; public?: number; body: string | null; data: Record<string, unknown>; actor_name?: string | null }[]; showActors?: boolean }) {
  const { t, locale } = useView();
  return (
    <ol class="timeline">
      {events.map((e) => (
        <li>
          <p class="muted"><time dateTime={e.at}>{formatDate(locale, e.at, true)}</time>
            {showActors && e.actor_name && <> · {e.actor_name}</>}
            {showActors && e.public === 0 && <> · <span class="badge neutral">{t('requests.internal')}</span></>}
          </p>
          <EventText kind={e.kind} data={e.data} body={e.body} />
        </li>
      ))}
    </ol>
  );
}

export function statusOptions(t: (k: string) => string, withGroups = true) {
  const statuses = ['submitted', 'acknowledged', 'in_progress', 'reopened', 'resolved', 'rejected'];
  return [
    ...(withGroups ? [{ value: 'open', label: t('requests.filter.open') }, { value: 'closed', label: t('requests.filter.closed') }] : []),
    ...statuses.map((s) => ({ value: s, label: t(`requests.status.${s}`) })),
  ];
}
