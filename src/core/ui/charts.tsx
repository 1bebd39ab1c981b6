import type { ComponentChildren } from 'preact';
import { scaleLinear, scaleTime } from 'd3-scale';
import { line } from 'd3-shape';
import { useView } from './view.ts';
import { formatNumber, formatDate } from '../i18n/index.ts';

/**
 * Server-rendered SVG charts: they work without JavaScript, in print and in PDF. Every chart is a
 * `<figure class="chart">` whose `<svg role="img">` is named by its `<title>` and summarised by its
 * `<desc>`, followed by the data table it draws (in a `<details>`), so nothing is only visual.
 * Right-to-left pages mirror the geometry. Colours come from the stylesheet's palette and keep at
 * least 3:1 against white (graphics) and 4.5:1 (text). No inline styles: SVG attributes only.
 */

export const CHART_COLORS = {
  bar: '#0b4f6c', // primary, 8.9:1 on white
  track: '#e3ebf0',
  trackEdge: '#4a5561',
  target: '#b5452b', // 5.4:1
  baseline: '#505a66', // 7:1
  grid: '#c5cdd5',
  text: '#1a1f24',
  met: '#1e6b3a', // 6.6:1
} as const;

const W = 640;

function fmt(locale: Parameters<typeof formatNumber>[0], n: number | null, digits = 1): string {
  return n === null ? '—' : formatNumber(locale, n, { maximumFractionDigits: digits });
}

/** Truncates a label drawn in the SVG (the full text is in the data table). */
function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1).trimEnd()}…` : s;
}

function ChartFrame({ id, title, description, children, table, height, caption }: {
  id: string; title: string; description: string; children: ComponentChildren; table: ComponentChildren; height: number; caption?: ComponentChildren;
}) {
  const { t, locale } = useView();
  const rtl = locale === 'ar';
  return (
    <figure class="chart">
      <figcaption id={`${id}-cap`}>{caption ?? title}</figcaption>
      <svg role="img" aria-labelledby={`${id}-t ${id}-d`} viewBox={`0 0 ${W} ${height}`} width={W} height={height} direction={rtl ? 'rtl' : 'ltr'} font-size="14" preserveAspectRatio="xMidYMin meet">
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{description}</desc>
        {children}
      </svg>
      <details>
        <summary>{t('chart.showData')}</summary>
        {table}
      </details>
    </figure>
  );
}

function DataTable({ caption, head, rows, numeric }: { caption: string; head: string[]; rows: ComponentChildren[][]; numeric: number[] }) {
  return (
    <div class="table-wrap" role="region" aria-label={caption} tabindex={0}>
      <table>
        <caption>{caption}</caption>
        <thead><tr>{head.map((h, i) => <th scope="col" class={numeric.includes(i) ? 'num' : undefined}>{h}</th>)}</tr></thead>
        <tbody>{rows.map((r) => <tr>{r.map((c, i) => (i === 0 ? <th scope="row">{c}</th> : <td class={numeric.includes(i) ? 'num' : undefined}>{c}</td>))}</tr>)}</tbody>
      </table>
    </div>
  );
}

export interface BarDatum {
  label: string;
  /** null: no value (drawn as an empty track, "—" in the table). */
  value: number | null;
  /** Text shown for the value (defaults to the number, with `unit`). */
  display?: string;
}

/**
 * Horizontal bars, one per datum, each label above its bar: readable on a 320 px phone and in
 * Arabic. `max` is the full length of a bar (100 for percentages).
 */
export function BarChart({ id, title, description, data, max = 100, unit = '%', labelHeader, valueHeader, caption }: {
  id: string; title: string; description?: string; data: BarDatum[]; max?: number; unit?: string; labelHeader: string; valueHeader: string; caption?: ComponentChildren;
}) {
  const { locale, t } = useView();
  const rtl = locale === 'ar';
  const rowH = 46;
  const height = Math.max(rowH, data.length * rowH) + 8;
  const valueW = 84;
  const x = scaleLinear().domain([0, max || 1]).range([0, W - valueW]).clamp(true);
  const show = (d: BarDatum) => d.display ?? (d.value === null ? '—' : `${fmt(locale, d.value)}${unit ? (unit === '%' ? '\u00a0%' : `\u00a0${unit}`) : ''}`);
  const summary = description ?? data.map((d) => `${d.label}: ${show(d)}`).join(' ; ');
  return (
    <ChartFrame id={id} title={title} description={summary} height={height} caption={caption}
      table={<DataTable caption={title} head={[labelHeader, valueHeader]} numeric={[1]} rows={data.map((d) => [d.label, show(d)])} />}>
      {data.length === 0 && <text x={rtl ? W : 0} y={28} fill={CHART_COLORS.text} text-anchor="start">{t('chart.noData')}</text>}
      {data.map((d, i) => {
        const y = i * rowH + 4;
        const len = d.value === null ? 0 : x(Math.max(0, d.value));
        const track = W - valueW;
        const bx = rtl ? W - len : 0;
        return (
          <g>
            <text x={rtl ? W : 0} y={y + 14} fill={CHART_COLORS.text} text-anchor="start">{clip(d.label, 78)}</text>
            <rect x={rtl ? valueW : 0} y={y + 20} width={track} height={16} fill={CHART_COLORS.track} stroke={CHART_COLORS.trackEdge} stroke-width={0.5} />
            {len > 0 && <rect x={bx} y={y + 20} width={len} height={16} fill={CHART_COLORS.bar} />}
            <text x={rtl ? valueW - 8 : track + 8} y={y + 33} fill={CHART_COLORS.text} font-weight="700" text-anchor={rtl ? 'end' : 'start'} direction="ltr">{show(d)}</text>
          </g>
        );
      })}
    </ChartFrame>
  );
}

/**
 * A small progress bar (0–100) beside its number. The number is printed next to it, so the
 * drawing itself is hidden from assistive technologies.
 */
export function ProgressBar({ value, label }: { value: number | null; label?: string }) {
  const { locale } = useView();
  const rtl = locale === 'ar';
  const v = value === null ? 0 : Math.max(0, Math.min(100, value));
  const w = 120;
  const len = (v / 100) * w;
  return (
    <span class="progress">
      <svg aria-hidden="true" focusable="false" viewBox={`0 0 ${w} 12`} width={w} height={12}>
        <rect x={0} y={0} width={w} height={12} fill={CHART_COLORS.track} stroke={CHART_COLORS.trackEdge} stroke-width={1} />
        {len > 0 && <rect x={rtl ? w - len : 0} y={0} width={len} height={12} fill={CHART_COLORS.bar} />}
      </svg>
      <span class="progress-value">{label ?? (value === null ? '—' : `${formatNumber(locale, Math.round(v))}\u00a0%`)}</span>
    </span>
  );
}

export interface LinePoint { label: string; date: string; value: number }

/**
 * An indicator's measurements over time against its baseline and target (horizontal reference
 * lines, the target also marked at its date). Dates are YYYY-MM-DD.
 */
export function LineChart({ id, title, points, baseline, target, unit, caption, periodHeader, valueHeader }: {
  id: string; title: string; points: LinePoint[];
  baseline?: { value: number; date?: string | null; label: string } | null;
  target?: { value: number; date?: string | null; label: string } | null;
  unit?: string; caption?: ComponentChildren; periodHeader: string; valueHeader: string;
}) {
  const { locale, t } = useView();
  const rtl = locale === 'ar';
  const height = 260;
  const m = { top: 16, bottom: 40, side: 56, end: 16 };
  const dates = [...points.map((p) => p.date), baseline?.date, target?.date].filter((d): d is string => !!d).map((d) => new Date(`${d}T12:00:00Z`));
  const values = [...points.map((p) => p.value), baseline?.value, target?.value].filter((v): v is number => v !== undefined && v !== null);
  const lo = Math.min(0, ...values);
  const hi = Math.max(1, ...values);
  const minDate = dates.length ? new Date(Math.min(...dates.map((d) => d.getTime()))) : new Date();
  const maxDate = dates.length ? new Date(Math.max(...dates.map((d) => d.getTime()))) : new Date();
  if (maxDate.getTime() - minDate.getTime() < 86_400_000 * 30) { minDate.setUTCDate(minDate.getUTCDate() - 180); maxDate.setUTCDate(maxDate.getUTCDate() + 180); }
  const x = scaleTime().domain([minDate, maxDate]).range(rtl ? [W - m.side, m.end] : [m.side, W - m.end]);
  const y = scaleLinear().domain([lo, hi + (hi - lo) * 0.08]).nice().range([height - m.bottom, m.top]);
  const u = unit ? `\u00a0${unit}` : '';
  const at = (d: string) => x(new Date(`${d}T12:00:00Z`));
  const path = line<LinePoint>().x((p) => at(p.date)).y((p) => y(p.value))(points) ?? '';
  const ticks = y.ticks(5);
  const xLabels = points.length <= 8 ? points : points.filter((_, i) => i % Math.ceil(points.length / 8) === 0 || i === points.length - 1);
  const describe = [
    baseline ? `${baseline.label}: ${fmt(locale, baseline.value, 2)}${u}${baseline.date ? ` (${formatDate(locale, baseline.date)})` : ''}` : '',
    target ? `${target.label}: ${fmt(locale, target.value, 2)}${u}${target.date ? ` (${formatDate(locale, target.date)})` : ''}` : '',
    ...points.map((p) => `${p.label}: ${fmt(locale, p.value, 2)}${u}`),
  ].filter(Boolean).join(' ; ') || t('chart.noData');
  const axisX = rtl ? W - m.side : m.side;
  const [left, right] = rtl ? [m.end, W - m.side] : [m.side, W - m.end];
  const rows: ComponentChildren[][] = [
    ...(baseline ? [[`${baseline.label}${baseline.date ? ` (${formatDate(locale, baseline.date)})` : ''}`, `${fmt(locale, baseline.value, 2)}${u}`]] : []),
    ...points.map((p) => [<bdi>{p.label}</bdi>, `${fmt(locale, p.value, 2)}${u}`]),
    ...(target ? [[`${target.label}${target.date ? ` (${formatDate(locale, target.date)})` : ''}`, `${fmt(locale, target.value, 2)}${u}`]] : []),
  ];
  return (
    <ChartFrame id={id} title={title} description={describe} height={height} caption={caption}
      table={<DataTable caption={title} head={[periodHeader, valueHeader]} numeric={[1]} rows={rows} />}>
      {ticks.map((v) => (
        <g>
          <line x1={left} x2={right} y1={y(v)} y2={y(v)} stroke={CHART_COLORS.grid} stroke-width={1} />
          <text x={rtl ? W - m.side + 6 : m.side - 6} y={y(v) + 5} fill={CHART_COLORS.text} text-anchor={rtl ? 'start' : 'end'} direction="ltr">{fmt(locale, v, 2)}</text>
        </g>
      ))}
      <line x1={axisX} x2={axisX} y1={m.top} y2={height - m.bottom} stroke={CHART_COLORS.trackEdge} stroke-width={1} />
      <line x1={left} x2={right} y1={height - m.bottom} y2={height - m.bottom} stroke={CHART_COLORS.trackEdge} stroke-width={1} />
      {baseline && (
        <g>
          <line x1={left} x2={right} y1={y(baseline.value)} y2={y(baseline.value)} stroke={CHART_COLORS.baseline} stroke-width={2} stroke-dasharray="2 4" />
          <text x={rtl ? left + 4 : right - 4} y={y(baseline.value) - 6} fill={CHART_COLORS.baseline} text-anchor="end" direction={rtl ? 'rtl' : 'ltr'}>{baseline.label}</text>
        </g>
      )}
      {target && (
        <g>
          <line x1={left} x2={right} y1={y(target.value)} y2={y(target.value)} stroke={CHART_COLORS.target} stroke-width={2} stroke-dasharray="8 4" />
          <text x={rtl ? left + 4 : right - 4} y={y(target.value) - 6} fill={CHART_COLORS.target} text-anchor="end" direction={rtl ? 'rtl' : 'ltr'}>{target.label}</text>
          {target.date && <path d={`M${at(target.date)},${y(target.value) - 7}l7,7l-7,7l-7,-7z`} fill={CHART_COLORS.target} />}
        </g>
      )}
      {points.length > 1 && <path d={path} fill="none" stroke={CHART_COLORS.bar} stroke-width={3} />}
      {points.map((p) => <circle cx={at(p.date)} cy={y(p.value)} r={5} fill={CHART_COLORS.bar} stroke="#fff" stroke-width={1.5} />)}
      {xLabels.map((p) => <text x={at(p.date)} y={height - m.bottom + 20} fill={CHART_COLORS.text} text-anchor="middle" direction="ltr">{clip(p.label, 10)}</text>)}
      {points.length === 0 && <text x={W / 2} y={height / 2} fill={CHART_COLORS.text} text-anchor="middle">{t('chart.noData')}</text>}
    </ChartFrame>
  );
}
