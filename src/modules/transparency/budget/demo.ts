import type { Ctx } from '../../../core/service.ts';
import { mutate } from '../../../core/service.ts';
import type { Translated } from '../../../core/i18n/index.ts';
import { addNomenclature, createFunction, prepareImport, applyImport, updateYear, saveTerm, linkCommitment, mapLine } from './service.ts';
import { bdb } from './repo.ts';

/**
 * A sample budget of the demo commune over three years (marked sample: these are not Tétouan's figures), in the
 * orders of magnitude of a commune of 380,000 inhabitants (about 680 MDH a year). Loaded as the finance
 * department would: nomenclature, then one import file, then the functions, explanations and glossary.
 */
const T = (fr: string, ar: string, en: string): Translated => ({ fr, ar, en });

export const DEMO_FUNCTIONS: { slug: string; label: Translated }[] = [
  { slug: 'waste', label: T('Propreté et déchets', 'النظافة والنفايات', 'Waste and cleanliness') },
  { slug: 'lighting', label: T('Éclairage public', 'الإنارة العمومية', 'Street lighting') },
  { slug: 'roads', label: T('Voirie et routes', 'الطرق والمسالك', 'Roads') },
  { slug: 'transport', label: T('Transport urbain', 'النقل الحضري', 'Urban transport') },
  { slug: 'culture-sport', label: T('Culture, sport et espaces verts', 'الثقافة والرياضة والمساحات الخضراء', 'Culture, sport and green spaces') },
  { slug: 'social', label: T('Action sociale', 'العمل الاجتماعي', 'Social action') },
  { slug: 'administration', label: T('Administration et services', 'الإدارة والخدمات', 'Administration and services') },
  { slug: 'debt', label: T('Dette', 'الدين', 'Debt') },
];

/** [code, label, MDH of the first year's forecast, function or source, executed share] */
type L = [string, Translated, number, string, number];
interface Group { part: 'operating' | 'equipment' | 'special'; direction: 'receipt' | 'expenditure'; chapter: string; label: Translated; lines: L[] }

const GROUPS: Group[] = [
  { part: 'operating', direction: 'receipt', chapter: '11.10', label: T('Taxes gérées par la commune', 'الرسوم المدبرة من طرف الجماعة', 'Taxes managed by the commune'), lines: [
    ['11', T('Taxe sur les terrains urbains non bâtis', 'الرسم على الأراضي الحضرية غير المبنية', 'Tax on undeveloped urban land'), 70, 'own_taxes', 0.88],
    ['12', T('Taxe sur les opérations de construction', 'الرسم على عمليات البناء', 'Tax on building works'), 35, 'own_taxes', 1.04],
    ['13', T('Taxe de séjour', 'رسم الإقامة بالمؤسسات السياحية', 'Tourist tax'), 8, 'own_taxes', 0.97],
    ['14', T('Taxe sur les débits de boissons', 'الرسم على محال بيع المشروبات', 'Tax on drinking establishments'), 6, 'own_taxes', 0.9],
  ] },
  { part: 'operating', direction: 'receipt', chapter: '11.20', label: T('Taxes transférées par l’État', 'الرسوم المحولة من طرف الدولة', 'Taxes collected by the State'), lines: [
    ['11', T('Taxe d’habitation et taxe de services communaux', 'رسم السكن ورسم الخدمات الجماعية', 'Housing and municipal services tax'), 95, 'own_taxes', 0.93],
    ['12', T('Taxe professionnelle', 'الرسم المهني', 'Business tax'), 60, 'own_taxes', 0.95],
    ['13', T('Part du produit de la TVA', 'حصة الجماعة من منتوج الضريبة على القيمة المضافة', 'Share of VAT revenue'), 230, 'vat_share', 1],
  ] },
  { part: 'operating', direction: 'receipt', chapter: '11.30', label: T('Produits domaniaux et redevances', 'مداخيل الأملاك والإتاوات', 'Property income and fees'), lines: [
    ['11', T('Occupation temporaire du domaine public', 'الاحتلال المؤقت للملك العمومي', 'Temporary use of public land'), 30, 'own_taxes', 0.84],
    ['12', T('Marchés et abattoirs', 'الأسواق والمجازر', 'Markets and slaughterhouses'), 12, 'other', 0.9],
    ['13', T('Loyers des biens communaux', 'أكرية الممتلكات الجماعية', 'Rents of commune property'), 6, 'other', 0.8],
    ['14', T('Dotations et subventions de fonctionnement', 'الإمدادات والإعانات للتسيير', 'Operating grants'), 8, 'transfers', 1],
  ] },
  { part: 'operating', direction: 'expenditure', chapter: '12.10', label: T('Dépenses de personnel', 'نفقات الموظفين', 'Staff costs'), lines: [
    ['11', T('Traitements et salaires', 'الأجور والتعويضات', 'Salaries'), 210, 'administration', 0.98],
    ['12', T('Indemnités et charges sociales', 'التعويضات والتكاليف الاجتماعية', 'Allowances and social charges'), 25, 'administration', 0.96],
  ] },
  { part: 'operating', direction: 'expenditure', chapter: '12.20', label: T('Services et biens', 'الخدمات والممتلكات', 'Goods and services'), lines: [
    ['11', T('Gestion déléguée de la propreté', 'التدبير المفوض للنظافة', 'Delegated waste collection'), 120, 'waste', 0.99],
    ['12', T('Électricité de l’éclairage public', 'كهرباء الإنارة العمومية', 'Street-lighting electricity'), 45, 'lighting', 0.97],
    ['13', T('Eau des espaces verts', 'ماء المساحات الخضراء', 'Water for green spaces'), 10, 'culture-sport', 0.92],
    ['14', T('Carburants et entretien du parc auto', 'المحروقات وصيانة حظيرة السيارات', 'Fuel and vehicle upkeep'), 6, 'administration', 0.95],
    ['15', T('Entretien courant de la voirie', 'الصيانة العادية للطرق', 'Road maintenance'), 12, 'roads', 0.86],
    ['16', T('Contribution au transport urbain délégué', 'المساهمة في النقل الحضري المفوض', 'Contribution to delegated urban transport'), 20, 'transport', 1],
  ] },
  { part: 'operating', direction: 'expenditure', chapter: '12.30', label: T('Subventions et dette', 'الإعانات والدين', 'Grants and debt'), lines: [
    ['11', T('Subventions aux associations culturelles et sportives', 'إعانات الجمعيات الثقافية والرياضية', 'Grants to cultural and sports associations'), 9, 'culture-sport', 0.9],
    ['12', T('Action sociale et solidarité', 'العمل الاجتماعي والتضامن', 'Social action and solidarity'), 11, 'social', 0.88],
    ['13', T('Intérêts des emprunts', 'فوائد القروض', 'Interest on loans'), 14, 'debt', 1],
    ['14', T('Excédent transféré à la deuxième partie', 'الفائض المحول إلى الجزء الثاني', 'Surplus carried to the equipment part'), 0, 'internal', 1],
  ] },
  { part: 'equipment', direction: 'receipt', chapter: '21.10', label: T('Recettes d’équipement', 'مداخيل التجهيز', 'Equipment receipts'), lines: [
    ['11', T('Excédent de la première partie', 'فائض الجزء الأول', 'Surplus of the operating part'), 0, 'internal', 1],
    ['12', T('Emprunts auprès du Fonds d’équipement communal', 'قروض صندوق التجهيز الجماعي', 'Loans from the Communal Equipment Fund'), 60, 'loans', 0.7],
    ['13', T('Subventions d’équipement (État, Région, INDH)', 'إعانات التجهيز (الدولة، الجهة، المبادرة الوطنية)', 'Equipment grants (State, Region, INDH)'), 52, 'transfers', 0.65],
  ] },
  { part: 'equipment', direction: 'expenditure', chapter: '22.10', label: T('Dépenses d’équipement', 'نفقات التجهيز', 'Equipment spending'), lines: [
    ['11', T('Aménagement et revêtement de voirie', 'تهيئة وتبليط الطرق', 'Road building and resurfacing'), 70, 'roads', 0.62],
    ['12', T('Extension de l’éclairage LED', 'توسيع الإنارة بتقنية LED', 'LED street-lighting extension'), 18, 'lighting', 0.55],
    ['13', T('Équipements sportifs et culturels de proximité', 'تجهيزات رياضية وثقافية للقرب', 'Neighbourhood sports and cultural facilities'), 30, 'culture-sport', 0.48],
    ['14', T('Bacs et engins de propreté', 'حاويات وآليات النظافة', 'Bins and cleaning vehicles'), 12, 'waste', 0.8],
    ['15', T('Centres sociaux de quartier', 'المراكز الاجتماعية بالأحياء', 'Neighbourhood social centres'), 10, 'social', 0.5],
    ['16', T('Remboursement du capital des emprunts', 'سداد أصل القروض', 'Loan capital repayments'), 25, 'debt', 1],
    ['17', T('Bâtiments administratifs et numérisation', 'البنايات الإدارية والرقمنة', 'Administrative buildings and digitalisation'), 15, 'administration', 0.6],
    ['18', T('Abribus et signalisation', 'محطات الانتظار والتشوير', 'Bus shelters and signage'), 10, 'transport', 0.58],
  ] },
  { part: 'special', direction: 'receipt', chapter: '31.10', label: T('Comptes d’affectation spéciale', 'الحسابات الخصوصية', 'Special accounts'), lines: [
    ['11', T('Recettes du compte des parcs et jardins', 'مداخيل حساب المنتزهات والحدائق', 'Parks and gardens account receipts'), 5, 'other', 0.9],
  ] },
  { part: 'special', direction: 'expenditure', chapter: '32.10', label: T('Comptes d’affectation spéciale', 'الحسابات الخصوصية', 'Special accounts'), lines: [
    ['11', T('Dépenses du compte des parcs et jardins', 'نفقات حساب المنتزهات والحدائق', 'Parks and gardens account spending'), 5, 'culture-sport', 0.85],
  ] },
];

const lineCode = (g: Group, l: L) => `${g.chapter}.10.10.${l[0]}`;
export const DEMO_YEARS = [2024, 2025, 2026];
const M = 100_000_000; // centimes in a million dirhams

/** Amounts of one year and phase, balanced part by part through the internal transfer lines. */
function yearAmounts(year: number, phase: 'forecast' | 'amended' | 'committed' | 'executed'): Map<string, number> {
  const growth = 1 + 0.05 * (year - DEMO_YEARS[0]);
  const out = new Map<string, number>();
  const tweak = (code: string) => 1 + ((code.split('').reduce((a, c) => a + c.charCodeAt(0), year) % 7) - 3) / 100;
  for (const g of GROUPS) for (const l of g.lines) {
    if (l[3] === 'internal') continue;
    let v = Math.round(l[2] * growth * tweak(lineCode(g, l)) * 10) / 10 * M;
    if (phase === 'amended') v = Math.round(v * (g.direction === 'receipt' ? 1.02 : 1.02) / 100) * 100;
    if (phase === 'committed' || phase === 'executed') {
      const share = Math.min(1.1, l[4] * (phase === 'committed' ? 1.04 : 1));
      v = Math.round((v * share) / 100) * 100;
    }
    out.set(lineCode(g, l), v);
  }
  const sum = (part: string, dir: string) => GROUPS.filter((g) => g.part === part && g.direction === dir).flatMap((g) => g.lines.map((l) => out.get(lineCode(g, l)) ?? 0)).reduce((a, b) => a + b, 0);
  const surplusOut = GROUPS.find((g) => g.chapter === '12.30')!, surplusIn = GROUPS.find((g) => g.chapter === '21.10')!;
  const surplus = Math.max(0, sum('operating', 'receipt') - sum('operating', 'expenditure'));
  out.set(lineCode(surplusOut, surplusOut.lines[3]), surplus);
  out.set(lineCode(surplusIn, surplusIn.lines[0]), surplus);
  if (phase === 'forecast' || phase === 'amended') {
    // The voted budget balances each part: the operating part through the surplus; equipment and special
    // accounts by adjusting their largest expenditure line.
    for (const [part, chapter, idx] of [['equipment', '22.10', 0], ['special', '32.10', 0]] as const) {
      const diff = sum(part, 'receipt') - sum(part, 'expenditure');
      const g = GROUPS.find((x) => x.chapter === chapter)!;
      const k = lineCode(g, g.lines[idx]);
      out.set(k, (out.get(k) ?? 0) + diff);
    }
  }
  return out;
}

/** The demo's import file: 2024 and 2025 in every phase (2025 amended), 2026 voted and half-year committed. */
export function demoCsv(): string {
  const rows = ['year,code,label_fr,forecast,amended,committed,executed'];
  const money = (c: number | undefined) => (c === undefined ? '' : (c / 100).toFixed(2));
  for (const year of DEMO_YEARS) {
    const f = yearAmounts(year, 'forecast');
    const a = year === 2025 ? yearAmounts(year, 'amended') : null;
    const c = yearAmounts(year, 'committed');
    const e = year < 2026 ? yearAmounts(year, 'executed') : null;
    for (const g of GROUPS) for (const l of g.lines) {
      const k = lineCode(g, l);
      const committed = year === 2026 ? Math.round((c.get(k) ?? 0) * 0.45 / 100) * 100 : c.get(k);
      rows.push([year, k, `"${l[1].fr}"`, money(f.get(k)), a ? money(a.get(k)) : '', money(committed), e ? money(e.get(k)) : ''].join(','));
    }
  }
  return `${rows.join('\r\n')}\r\n`;
}

const DEMO_TERMS: { slug: string; term: Translated; definition: Translated }[] = [
  { slug: 'forecast', term: T('Budget initial', 'الميزانية الأولية', 'Initial budget'), definition: T('Les recettes et dépenses prévues pour l’année, votées par le conseil communal avant qu’elle ne commence.', 'المداخيل والنفقات المتوقعة للسنة، يصادق عليها المجلس الجماعي قبل بدايتها.', 'The receipts and spending planned for the year, voted by the council before it starts.') },
  { slug: 'amended', term: T('Budget modificatif', 'الميزانية المعدلة', 'Amended budget'), definition: T('Le budget après les modifications votées en cours d’année (budget modificatif, virements de crédits).', 'الميزانية بعد التعديلات المصادق عليها خلال السنة (ميزانية معدلة، تحويلات الاعتمادات).', 'The budget after changes voted during the year (amending budget, transfers between lines).') },
  { slug: 'committed', term: T('Engagé', 'الملتزم به', 'Committed'), definition: T('Ce que la commune s’est engagée à payer (marchés signés, commandes passées), même si elle n’a pas encore payé.', 'ما التزمت الجماعة بأدائه (صفقات موقعة، طلبيات) ولو لم تؤده بعد.', 'What the commune has committed to pay (signed contracts, orders), even if not paid yet.') },
  { slug: 'executed', term: T('Réalisé', 'المنجز', 'Executed'), definition: T('Ce qui a réellement été encaissé ou payé, d’après le compte administratif de l’année.', 'ما تم تحصيله أو أداؤه فعلا حسب الحساب الإداري للسنة.', 'What was actually received or paid, according to the year’s administrative account.') },
  { slug: 'execution-rate', term: T('Taux d’exécution', 'نسبة التنفيذ', 'Execution rate'), definition: T('Le réalisé divisé par le budget voté : 60 % veut dire que 60 dirhams sur 100 prévus ont été dépensés.', 'المنجز مقسوما على الميزانية المصادق عليها: 60 % تعني صرف 60 درهما من كل 100 درهم متوقعة.', 'Executed divided by the voted budget: 60% means 60 of every 100 dirhams planned were spent.') },
  { slug: 'operating', term: T('Fonctionnement', 'التسيير', 'Operating'), definition: T('La première partie du budget : ce qui revient chaque année (salaires, propreté, électricité) et ce qui le finance.', 'الجزء الأول من الميزانية: ما يتكرر كل سنة (الأجور، النظافة، الكهرباء) وما يموله.', 'The first part of the budget: what recurs every year (salaries, cleaning, electricity) and what pays for it.') },
  { slug: 'equipment', term: T('Équipement', 'التجهيز', 'Equipment'), definition: T('La deuxième partie du budget : les investissements (routes, équipements, bâtiments) et leur financement.', 'الجزء الثاني من الميزانية: الاستثمارات (الطرق، التجهيزات، البنايات) وتمويلها.', 'The second part of the budget: investment (roads, facilities, buildings) and how it is financed.') },
  { slug: 'special-accounts', term: T('Comptes spéciaux', 'الحسابات الخصوصية', 'Special accounts'), definition: T('Des comptes dont les recettes sont réservées à une dépense précise.', 'حسابات تخصص مداخيلها لنفقة محددة.', 'Accounts whose receipts are reserved for a given purpose.') },
  { slug: 'own-taxes', term: T('Ressources propres', 'الموارد الذاتية', 'Own resources'), definition: T('Les taxes et redevances que la commune perçoit elle-même ou qui lui reviennent directement.', 'الرسوم والإتاوات التي تحصلها الجماعة بنفسها أو تعود إليها مباشرة.', 'Taxes and fees the commune collects itself or that come to it directly.') },
  { slug: 'vat-share', term: T('Part de la TVA', 'حصة الضريبة على القيمة المضافة', 'VAT share'), definition: T('La part du produit de la TVA que l’État reverse chaque année aux communes.', 'الحصة من منتوج الضريبة على القيمة المضافة التي تحولها الدولة سنويا إلى الجماعات.', 'The share of VAT revenue the State passes on to communes every year.') },
  { slug: 'transfers', term: T('Transferts', 'التحويلات', 'Transfers'), definition: T('Les subventions reçues de l’État, de la Région ou d’autres organismes.', 'الإعانات المتوصل بها من الدولة أو الجهة أو هيئات أخرى.', 'Grants received from the State, the Region or other bodies.') },
  { slug: 'loans', term: T('Emprunts', 'القروض', 'Loans'), definition: T('L’argent emprunté, surtout au Fonds d’équipement communal, pour investir ; il est remboursé sur plusieurs années.', 'الأموال المقترضة، خاصة من صندوق التجهيز الجماعي، للاستثمار؛ وتسدد على عدة سنوات.', 'Money borrowed, mostly from the Communal Equipment Fund, to invest; repaid over several years.') },
];

const EXPLANATIONS: Record<string, Translated> = {
  overview: T('Exemple de budget (données fictives) : la commune prévoit de recevoir et de dépenser autant, comme la loi l’exige.', 'مثال لميزانية (معطيات تجريبية): تتوقع الجماعة أن تتلقى وتنفق نفس المبلغ كما يفرض القانون.', 'Sample budget (made-up figures): the commune plans to receive and spend the same amount, as the law requires.'),
  sources: T('Plus du tiers des recettes vient de la part de la TVA reversée par l’État.', 'أكثر من ثلث المداخيل يأتي من حصة الضريبة على القيمة المضافة التي تحولها الدولة.', 'More than a third of receipts is the VAT share passed on by the State.'),
  functions: T('Les salaires, la propreté et les routes forment l’essentiel des dépenses.', 'تشكل الأجور والنظافة والطرق الجزء الأكبر من النفقات.', 'Salaries, cleaning and roads make up most of the spending.'),
  execution: T('Les investissements s’exécutent plus lentement que les dépenses courantes : les chantiers durent souvent plus d’un an.', 'تنفذ الاستثمارات أبطأ من النفقات العادية: غالبا ما تستمر الأوراش أكثر من سنة.', 'Investment is executed more slowly than running costs: works often take more than a year.'),
};

export async function seedBudget(ctx: Ctx): Promise<void> {
  const fnIds = new Map<string, number>();
  for (const [i, f] of DEMO_FUNCTIONS.entries()) fnIds.set(f.slug, await createFunction(ctx, { ...f, sort: (i + 1) * 10, description: {}, sample: true }));
  for (const g of GROUPS) {
    const chapter = g.chapter;
    await addNomenclature(ctx, { code: chapter, level: 'chapter', part: g.part, direction: g.direction, label: g.label, sample: true });
    await addNomenclature(ctx, { code: `${chapter}.10`, level: 'article', parentCode: chapter, label: g.label, sample: true });
    await addNomenclature(ctx, { code: `${chapter}.10.10`, level: 'paragraph', parentCode: `${chapter}.10`, label: g.label, sample: true });
    for (const l of g.lines) {
      await addNomenclature(ctx, { code: lineCode(g, l), level: 'line', parentCode: `${chapter}.10.10`, label: l[1], source: g.direction === 'receipt' || l[3] === 'internal' ? l[3] : null, sample: true });
    }
  }
  const id = await prepareImport(ctx, { filename: 'budget-demo-2024-2026.csv', mimetype: 'text/csv', data: Buffer.from(demoCsv(), 'utf8'), truncated: false });
  await applyImport(ctx, id, true);
  await mutate(ctx, { permission: 'budget.manage', action: 'budget.demoMarked', entity: 'budget_year' }, async (trx) => {
    await bdb(trx).updateTable('budget_years').set({ sample: 1 }).where('commune_id', '=', ctx.commune.id).where('year', 'in', DEMO_YEARS).execute();
    return { result: undefined };
  });
  for (const g of GROUPS) for (const l of g.lines) {
    if (g.direction === 'expenditure' && fnIds.has(l[3])) await mapLine(ctx, lineCode(g, l), { function: l[3], district: '' });
  }
  for (const [i, y] of DEMO_YEARS.entries()) {
    const body: Record<string, string> = { population: String(380_000 + i * 4_000) };
    for (const [k, v] of Object.entries(EXPLANATIONS)) for (const [l, s] of Object.entries(v)) body[`explain_${k}_${l}`] = s;
    await updateYear(ctx, y, body);
  }
  for (const [i, term] of DEMO_TERMS.entries()) await saveTerm(ctx, { ...term, sort: (i + 1) * 10, sample: true });
  // A few lines funding commitments of the OGP plan.
  const links: [string, string][] = [['22.10.10.10.17', '1.1'], ['22.10.10.10.17', '3.1.1'], ['22.10.10.10.14', '3.1.2'], ['22.10.10.10.15', '4.1']];
  const commitments = await bdb(ctx.db).selectFrom('commitments as c').innerJoin('plans as p', (j) => j.onRef('p.commune_id', '=', 'c.commune_id').onRef('p.id', '=', 'c.plan_id'))
    .select(['c.id', 'c.number']).where('c.commune_id', '=', ctx.commune.id).where('p.slug', '=', 'ogp-2023').execute();
  for (const [code, number] of links) {
    const c = commitments.find((x) => x.number === number);
    if (c) await linkCommitment(ctx, code, { commitment: String(c.id) });
  }
}
