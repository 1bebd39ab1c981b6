import type { ComponentChildren } from 'preact';
import { hierarchy, treemap, treemapSquarify } from 'd3-hierarchy';
import { scaleLinear, scaleBand } from 'd3-scale';
import { useView } from '../../../core/ui/view.ts';
import { CHART_COLORS } from '../../../core/ui/charts.tsx';

/**
 * The budget's own charts (a treemap of where the money goes, a year-on-year chart), drawn like the core ones
 * (core/ui/charts.tsx): a `<figure class="chart">`, an `<svg role="img">` named by its title and summarised by
 * its description, and the data table it draws. SVG attributes only (no inline style), RTL mirrored.
 */
const W = 640;
/** Dark fills: white text on each keeps at least 4.5:1. */
export const TREEMAP_FILLS = ['#0b4f6c', '#7a3b00', '#1e6b3a', '#6b2c5f', '#3d4a8a', '#8a1c1c', '#2f5d62', '#5a4a00', '#4a2f7a', '#205072'];

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, Math.max(1, max - 1)).trimEnd()}…` : s;
}

export function Frame({ id, title, description, height, table, children }: {
  id: string; title: string; description: string; height: number; table: ComponentChildren; children: ComponentChildren;
}) {
  const { t, locale } = useView();
  return (
    <figure class="chart">
      <figcaption id={`${id}-cap`}>{title}</figcaption>
      <svg role="img" aria-labelledby={`${id}-t ${id}-d`} viewBox={`0 0 ${W} ${height}`} width={W} height={height} direction={locale === 'ar' ? 'rtl' : 'ltr'} font-size="14" preserveAspectRatio="xMidYMin meet">
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

export interface TreemapDatum { label: string; value: number; display: string }

/** Areas proportional to the values; each tile names its label and amount when it is large enough. */
export function Treemap({ id, title, data, table }: { id: string; title: string; data: TreemapDatum[]; table: ComponentChildren }) {
  const { locale, t } = useView();
  const rtl = locale === 'ar';
  const height = 360;
  const positive = data.filter((d) => d.value > 0);
  const root = hierarchy<{ children?: TreemapDatum[] } & Partial<TreemapDatum>>({ children: positive }).sum((d) => d.value ?? 0).sort((a, b) => (b.value ?? 0) - (a.value ?? 0));
  treemap<any>().tile(treemapSquarify).size([W, height]).paddingInner(2).round(true)(root);
  const leaves = root.leaves() as any[];
  const description = positive.map((d) => `${d.label}: ${d.display}`).join(' ; ') || t('chart.noData');
  return (
    <Frame id={id} title={title} description={description} height={height} table={table}>
      {leaves.length === 0 && <text x={W / 2} y={height / 2} fill={CHART_COLORS.text} text-anchor="middle">{t('chart.noData')}</text>}
      {leaves.map((leaf, i) => {
        const x0 = rtl ? W - leaf.x1 : leaf.x0;
        const w = leaf.x1 - leaf.x0, h = leaf.y1 - leaf.y0;
        const chars = Math.floor((w - 12) / 7.5);
        const tx = rtl ? x0 + w - 6 : x0 + 6;
        return (
          <g>
            <rect x={x0} y={leaf.y0} width={w} height={h} fill={TREEMAP_FILLS[i % TREEMAP_FILLS.length]} />
            {h >= 24 && chars >= 4 && <text x={tx} y={leaf.y0 + 18} fill="#fff" font-weight="700" text-anchor="start">{clip(leaf.data.label, chars)}</text>}
            {h >= 44 && chars >= 4 && <text x={tx} y={leaf.y0 + 36} fill="#fff" text-anchor="start" direction="ltr">{clip(leaf.data.display, chars)}</text>}
          </g>
        );
      })}
    </Frame>
  );
}

export interface YearBar { year: number; a: number | null; b: number | null }

/** Two bars per year (the voted budget and what was executed), oldest year first in reading order. */
export function YearBars({ id, title, description, data, labels, format, table }: {
  id: string; title: string; description: string; data: YearBar[]; labels: [string, string]; format: (n: number) => string; table: ComponentChildren;
}) {
  const { locale, t } = useView();
  const rtl = locale === 'ar';
  const height = 280;
  const m = { top: 36, bottom: 32, side: 70, end: 10 };
  const max = Math.max(1, ...data.flatMap((d) => [d.a ?? 0, d.b ?? 0]));
  const y = scaleLinear().domain([0, max]).nice().range([height - m.bottom, m.top]);
  const years = data.map((d) => String(d.year));
  const x = scaleBand().domain(years).range(rtl ? [W - m.side, m.end] : [m.side, W - m.end]).paddingInner(0.3).paddingOuter(0.15);
  const bw = x.bandwidth() / 2;
  const ticks = y.ticks(4);
  const fills = [CHART_COLORS.bar, CHART_COLORS.target];
  const [left, right] = rtl ? [m.end, W - m.side] : [m.side, W - m.end];
  return (
    <Frame id={id} title={title} description={description} height={height} table={table}>
      {ticks.map((v) => (
        <g>
          <line x1={left} x2={right} y1={y(v)} y2={y(v)} stroke={CHART_COLORS.grid} stroke-width={1} />
          <text x={rtl ? W - m.side + 6 : m.side - 6} y={y(v) + 5} fill={CHART_COLORS.text} text-anchor={rtl ? 'start' : 'end'} direction="ltr">{format(v)}</text>
        </g>
      ))}
      {labels.map((l, i) => (
        <g>
          <rect x={rtl ? W - m.end - 14 - i * 220 : m.side + i * 220} y={6} width={14} height={14} fill={fills[i]} />
          <text x={rtl ? W - m.end - 20 - i * 220 : m.side + 20 + i * 220} y={18} fill={CHART_COLORS.text} text-anchor="start">{l}</text>
        </g>
      ))}
      {data.map((d) => {
        const x0 = x(String(d.year)) ?? 0;
        const bars = [d.a, d.b];
        return (
          <g>
            {bars.map((v, i) => v === null ? null : (
              <rect x={rtl ? x0 + bw * (1 - i) : x0 + bw * i} y={y(v)} width={Math.max(1, bw - 2)} height={Math.max(0, y(0) - y(v))} fill={fills[i]} />
            ))}
            <text x={x0 + x.bandwidth() / 2} y={height - m.bottom + 20} fill={CHART_COLORS.text} text-anchor="middle" direction="ltr">{d.year}</text>
          </g>
        );
      })}
      {data.length === 0 && <text x={W / 2} y={height / 2} fill={CHART_COLORS.text} text-anchor="middle">{t('chart.noData')}</text>}
    </Frame>
  );
}
