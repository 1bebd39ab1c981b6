import { csvLine, BOM } from '../../../core/csv.ts';
import { publicOrigin } from '../../../core/http/origin.ts';
import { tr } from '../../../core/i18n/index.ts';
import type { Ctx } from '../../../core/service.ts';
import { PHASES } from './schema.ts';
import { exportLines, listYears, requireYear } from './service.ts';
import { formatCentimes } from './import.ts';

/**
 * Open data: per year, one CSV line per budget line with its four phases (a journalist's spreadsheet), and the
 * same data one line per line and phase (`fiscal.csv`) described by a Frictionless Fiscal Data Package.
 * Amounts in dirhams with two decimals; every language's label.
 */
const LINE_HEADER = ['year', 'code', 'chapter', 'parent', 'part', 'direction', 'label_fr', 'label_ar', 'label_en', 'source', 'function', 'district', ...PHASES];
const FISCAL_HEADER = ['fiscal_year', 'date', 'phase', 'amount', 'currency', 'direction', 'part', 'chapter', 'parent', 'code', 'label_fr', 'label_ar', 'function', 'source'];

const amount = (c: number | null) => (c === null ? '' : formatCentimes(c));

export async function* yearCsv(ctx: Ctx, year: number): AsyncGenerator<string> {
  await requireYear(ctx, year);
  yield BOM + csvLine(LINE_HEADER);
  for await (const l of exportLines(ctx, year)) {
    yield csvLine([year, l.code, l.chapter, l.parent, l.part, l.direction, l.label.fr, l.label.ar, l.label.en, l.source, l.fn, l.district, ...PHASES.map((p) => amount(l.sums[p]))]);
  }
}

export async function* fiscalCsv(ctx: Ctx, year: number): AsyncGenerator<string> {
  await requireYear(ctx, year);
  yield BOM + csvLine(FISCAL_HEADER);
  for await (const l of exportLines(ctx, year)) {
    for (const p of PHASES) {
      if (l.sums[p] === null) continue;
      yield csvLine([year, `${year}-01-01`, p, amount(l.sums[p]), 'MAD', l.direction, l.part, l.chapter, l.parent, l.code, l.label.fr, l.label.ar, l.fn, l.source]);
    }
  }
}

/** The Fiscal Data Package descriptor of a year (fields declared with their types and fiscal roles). */
export async function datapackage(ctx: Ctx, year: number) {
  const info = await requireYear(ctx, year);
  const origin = publicOrigin(ctx.config, ctx.commune);
  const name = tr(ctx.commune.name, 'fr') || ctx.commune.slug;
  const field = (n: string, type: string, title: string, columnType?: string, extra: Record<string, unknown> = {}) => ({ name: n, type, title, ...(columnType ? { columnType } : {}), ...extra });
  return {
    profile: 'fiscal-data-package',
    name: `${ctx.commune.slug}-budget-${year}`,
    title: `Budget ${year} — ${name}`,
    description: `Budget of the commune for ${year}: forecast (initial budget), amended, committed and executed amounts per budget line, in Moroccan dirhams.${info.sample ? ' Sample data (demonstration values).' : ''}`,
    homepage: `${origin}/fr/budget/${year}`,
    countryCode: 'MA',
    fiscalPeriod: { start: `${year}-01-01`, end: `${year}-12-31` },
    licenses: [{ name: 'ODbL-1.0', path: 'https://opendatacommons.org/licenses/odbl/1-0/', title: 'Open Data Commons Open Database License 1.0' }],
    sample: info.sample,
    resources: [{
      name: `budget-${year}`,
      path: `${origin}/fr/budget/${year}/fiscal.csv`,
      profile: 'tabular-data-resource',
      format: 'csv', mediatype: 'text/csv', encoding: 'utf-8-sig',
      dialect: { delimiter: ',', header: true, doubleQuote: true },
      schema: {
        fields: [
          field('fiscal_year', 'year', 'Fiscal year', 'date:fiscal-year'),
          field('date', 'date', 'Start of the fiscal year', 'date:generic', { format: 'default' }),
          field('phase', 'string', 'Budget phase', 'phase:id', { constraints: { enum: [...PHASES] } }),
          field('amount', 'number', 'Amount (MAD)', 'value', { decimalChar: '.', groupChar: '', constraints: { required: true, minimum: 0 } }),
          field('currency', 'string', 'Currency', 'currency:code'),
          field('direction', 'string', 'Receipt or expenditure', 'direction:id', { constraints: { enum: ['receipt', 'expenditure'] } }),
          field('part', 'string', 'Part of the budget', 'budget-part:id', { constraints: { enum: ['operating', 'equipment', 'special'] } }),
          field('chapter', 'string', 'Chapter code', 'economic-classification:generic:level1:code'),
          field('parent', 'string', 'Paragraph code', 'economic-classification:generic:level3:code'),
          field('code', 'string', 'Line code', 'economic-classification:generic:level4:code', { constraints: { required: true } }),
          field('label_fr', 'string', 'Line label (French)', 'economic-classification:generic:level4:label'),
          field('label_ar', 'string', 'Line label (Arabic)', 'economic-classification:generic:level4:label'),
          field('function', 'string', 'Function (plain-language purpose)', 'functional-classification:generic:level1:code'),
          field('source', 'string', 'Source of receipts', 'revenue-classification:generic:level1:code'),
        ],
        primaryKey: ['code', 'phase'],
      },
    }],
    model: {
      measures: { amount: { source: 'amount', currency: 'MAD', title: 'Amount' } },
      dimensions: {
        date: { dimensionType: 'datetime', primaryKey: 'fiscal_year', attributes: { fiscal_year: { source: 'fiscal_year' } } },
        phase: { dimensionType: 'other', primaryKey: 'phase', attributes: { phase: { source: 'phase' } } },
        direction: { dimensionType: 'other', primaryKey: 'direction', attributes: { direction: { source: 'direction' } } },
        economic: {
          dimensionType: 'classification', classificationType: 'economic', primaryKey: 'code',
          attributes: { part: { source: 'part' }, chapter: { source: 'chapter' }, parent: { source: 'parent' }, code: { source: 'code' }, label_fr: { source: 'label_fr', labelfor: 'code' }, label_ar: { source: 'label_ar', labelfor: 'code' } },
        },
        functional: { dimensionType: 'classification', classificationType: 'functional', primaryKey: 'function', attributes: { function: { source: 'function' } } },
      },
    },
  };
}

/** Every year's files (the open-data page's entry). */
export async function budgetIndex(ctx: Ctx) {
  const origin = publicOrigin(ctx.config, ctx.commune);
  return {
    years: (await listYears(ctx)).map((y) => ({
      year: y.year, sample: y.sample, page: `${origin}/fr/budget/${y.year}`,
      csv: `${origin}/fr/budget/${y.year}.csv`, fiscal_csv: `${origin}/fr/budget/${y.year}/fiscal.csv`, datapackage: `${origin}/api/budget/${y.year}/datapackage.json`,
    })),
  };
}
