import { useView, href } from '../../../core/ui/view.ts';
import { Tr } from '../../../core/ui/components.tsx';
import { formatNumber, tr, type Translated } from '../../../core/i18n/index.ts';

/** Shared bits of the module's pages: badges, sub-navigation, numbers. */

const STATUS_BADGE: Record<string, string> = { planned: 'neutral', in_progress: 'neutral', done: 'ok', delayed: 'bad', cancelled: 'neutral' };
const STATE_BADGE: Record<string, string> = { pending: 'neutral', submitted: 'warn', returned: 'bad', validated: 'ok', published: 'ok' };

export function StatusBadge({ status }: { status: string }) {
  const { t } = useView();
  return <span class={`badge ${STATUS_BADGE[status] ?? 'neutral'}`}>{t(`plans.status.${status}`)}</span>;
}

export function StateBadge({ state }: { state: string }) {
  const { t } = useView();
  return <span class={`badge ${STATE_BADGE[state] ?? 'neutral'}`}>{t(`plans.state.${state}`)}</span>;
}

export function LateBadge() {
  const { t } = useView();
  return <span class="badge warn">{t('plans.late')}</span>;
}

export function Pct({ value }: { value: number | null }) {
  const { locale } = useView();
  return <>{value === null ? '—' : `${formatNumber(locale, Math.round(value))}\u00a0%`}</>;
}

export function Num({ value, unit }: { value: number | null | undefined; unit?: Translated }) {
  const { locale } = useView();
  if (value === null || value === undefined) return <>—</>;
  const u = unit ? tr(unit, locale) : '';
  return <>{formatNumber(locale, value, { maximumFractionDigits: 2 })}{u && <>{'\u00a0'}<Tr value={unit} /></>}</>;
}

/** A code inside a translated sentence, isolated (core's `isolate`). */
export { isolate as iso } from '../../../core/i18n/index.ts';

/** Dashboard · About · Data: the plan's public pages. */
export function PlanNav({ slug, current }: { slug: string; current: 'dashboard' | 'about' }) {
  const view = useView();
  const { t } = view;
  const items = [
    { key: 'dashboard', label: t('plans.subnav.dashboard'), path: `/plans/${slug}` },
    { key: 'about', label: t('plans.subnav.about'), path: `/plans/${slug}/about` },
  ];
  return (
    <nav class="subnav" aria-label={t('plans.subnav.label')}>
      <ul>
        {items.map((i) => <li><a href={href(view, i.path)} aria-current={i.key === current ? 'page' : undefined}>{i.label}</a></li>)}
        <li><a href={href(view, `/plans/${slug}.csv`)}>{t('plans.subnav.csv')}</a></li>
        <li><a href={`/api/plans/${slug}.json`}>{t('plans.subnav.json')}</a></li>
      </ul>
    </nav>
  );
}

export function InstitutionName({ value }: { value: { name: Translated } | null | undefined }) {
  return value ? <Tr value={value.name} /> : <>—</>;
}

export function fileSize(view: { locale: Parameters<typeof formatNumber>[0]; t: (k: string, p?: Record<string, unknown>) => string }, bytes: number | null): string {
  if (bytes === null) return '';
  if (bytes < 1024 * 1024) return view.t('plans.sizeKb', { n: formatNumber(view.locale, Math.max(1, Math.round(bytes / 1024))) });
  return view.t('plans.sizeMb', { n: formatNumber(view.locale, bytes / 1024 / 1024, { maximumFractionDigits: 1 }) });
}
