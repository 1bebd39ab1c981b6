import { sql, type AnyDB, type Database } from '../../core/db/index.ts';
import { createCounterTriggers, dropCounterTriggers, rebuildCounters } from '../../core/db/counters.ts';
import { insertMany, resetIdSequence, analyzeTables } from '../../core/db/bulk.ts';
import { appendAudit, noteCommit } from '../../core/audit/index.ts';
import { seedHolidays, loadHolidays, isWorkingDay } from '../../core/clock/working-days.ts';
import { iso, systemClock } from '../../core/clock/index.ts';
import { DUMMY_HASH } from '../../core/auth/passwords.ts';
import { referencePrefix, formatReference } from './codes.ts';
import { offsetMinutes } from './open311/dates.ts';
import { dashboardSpecs, DASHBOARD_TRIGGER } from './dashboards/migrations.ts';

/**
 * `npx commune synthetic`: a large, deterministic, realistic load for benchmarks and for trying the
 * dashboards — extra sample communes (slugs `synth-01`…, hosts `synth-01.localhost`…), their
 * institutions, districts (with populations), categories (with extra questions), users, and
 * requests in every state and channel over the last three years, with their public timelines, the
 * reporters' follow subscriptions and the reporters' ratings; plus a plan with commitments and
 * comments when those modules are installed.
 *
 * Everything is marked `sample`. Synthetic accounts carry an impossible password hash (nobody can
 * sign in as them); synthetic requests carry a tracking hash that no code produces. Personal data
 * is fictitious (`…@example.invalid`, `+212 600-…`).
 *
 * Same seed, same database, same `until` day: the same rows. Rows are written with explicit ids in
 * batched multi-row INSERTs, all in one transaction, after which the dashboards' summaries of the
 * communes loaded are recomputed. Run it with the server stopped (it holds the write lock, and
 * takes the next ids itself).
 */

export interface SyntheticOptions {
  /** Communes that receive requests: the default commune (when it exists) and synthetic ones up to this number. */
  communes: number;
  /** Requests in all, split between the communes by population. */
  requests: number;
  seed: number;
  /** The span of submission dates, in days before `until` (default three years). */
  days?: number;
  /** The last day of the span (default: today, UTC), so that a run is reproducible. */
  until?: Date;
  /** The slug of the existing commune to fill first (default: none). */
  defaultCommune?: string;
  log?: (line: string) => void;
}

export interface SyntheticResult {
  communes: { slug: string; requests: number; created: boolean }[];
  requests: number;
  rows: number;
  ms: number;
  rowsPerSecond: number;
  skipped: string[];
}

// ---------- A seeded generator (sfc32) ----------

export function prng(seed: number) {
  let a = 0x9e3779b9 ^ seed, b = 0x243f6a88 ^ (seed * 31), c = 0xb7e15162 ^ (seed * 17), d = 1 ^ seed;
  const next = () => {
    a |= 0; b |= 0; c |= 0; d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 20; i++) next();
  const r = {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)],
    chance: (p: number) => next() < p,
    weighted: <T>(xs: readonly T[], ws: readonly number[]): T => {
      const total = ws.reduce((s, w) => s + w, 0);
      let x = next() * total;
      for (let i = 0; i < xs.length; i++) { x -= ws[i]; if (x < 0) return xs[i]; }
      return xs[xs.length - 1];
    },
    /** A log-normal draw with the given median. */
    lognormal: (median: number, sigma: number) => {
      const u = Math.max(1e-12, next()), v = next();
      return median * Math.exp(sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
    },
    hex: (n: number) => { let s = ''; while (s.length < n) s += Math.floor(next() * 0x100000000).toString(16).padStart(8, '0'); return s.slice(0, n); },
  };
  return r;
}
type Rng = ReturnType<typeof prng>;

// ---------- Reference content ----------

const TETOUAN_DISTRICTS: [string, string, string][] = [
  ['medina', 'Médina', 'المدينة العتيقة'], ['ensanche', 'Ensanche', 'الإنسانتشي'], ['sania-rmel', 'Sania Rmel', 'السانية الرمل'],
  ['touabel', 'Touabel', 'الطوابل'], ['jbel-dersa', 'Jbel Dersa', 'جبل درسة'], ['kouilma', 'Kouilma', 'كويلمة'],
  ['mhannech', 'M’hannech', 'امهناش'], ['boujarrah', 'Boujarrah', 'بوجراح'], ['taboula', 'Taboula', 'الطابولة'],
  ['bouanane', 'Bouanane', 'بوعنان'], ['samsa', 'Samsa', 'سمسة'], ['korrat-sbaa', 'Korrat Sbaa', 'كورة السبع'],
];

interface CategorySeed { slug: string; fr: string; ar: string; en: string; institution: string; sla: number; weight: number; kind: string; questions?: QuestionSeed[] }
interface QuestionSeed { code: string; kind: string; fr: string; ar: string; en: string; required: boolean; options?: [string, string, string, string][] }

const CATEGORIES: CategorySeed[] = [
  { slug: 'dechets', fr: 'Déchets non collectés', ar: 'نفايات غير مجموعة', en: 'Uncollected waste', institution: 'operateur-proprete', sla: 2, weight: 30, kind: 'waste',
    questions: [{ code: 'type', kind: 'single', fr: 'Type de déchets', ar: 'نوع النفايات', en: 'Kind of waste', required: true,
      options: [['menagers', 'Ordures ménagères', 'نفايات منزلية', 'Household waste'], ['encombrants', 'Encombrants', 'نفايات ضخمة', 'Bulky items'], ['gravats', 'Gravats', 'ردم', 'Rubble']] }] },
  { slug: 'eclairage', fr: 'Éclairage public en panne', ar: 'عطب في الإنارة العمومية', en: 'Street light out', institution: 'operateur-eclairage', sla: 5, weight: 18, kind: 'light',
    questions: [{ code: 'poteau', kind: 'text', fr: 'Numéro du poteau (s’il est visible)', ar: 'رقم العمود (إن كان ظاهراً)', en: 'Pole number (if visible)', required: false }] },
  { slug: 'voirie', fr: 'Chaussée ou trottoir abîmé', ar: 'طريق أو رصيف متضرر', en: 'Damaged road or pavement', institution: 'travaux', sla: 10, weight: 20, kind: 'road',
    questions: [{ code: 'taille', kind: 'number', fr: 'Largeur approximative du trou (cm)', ar: 'العرض التقريبي للحفرة (سم)', en: 'Approximate width of the hole (cm)', required: false }] },
  { slug: 'transport', fr: 'Transport urbain', ar: 'النقل الحضري', en: 'Urban transport', institution: 'operateur-transport', sla: 5, weight: 8, kind: 'bus',
    questions: [{ code: 'ligne', kind: 'text', fr: 'Ligne de bus', ar: 'خط الحافلة', en: 'Bus line', required: true }, { code: 'date', kind: 'date', fr: 'Date des faits', ar: 'تاريخ الواقعة', en: 'Date of the facts', required: false }] },
  { slug: 'espaces-verts', fr: 'Espaces verts et jardins', ar: 'المساحات الخضراء والحدائق', en: 'Green spaces and gardens', institution: 'environnement', sla: 10, weight: 8, kind: 'green' },
  { slug: 'assainissement', fr: 'Égouts et eaux pluviales', ar: 'قنوات الصرف ومياه الأمطار', en: 'Sewers and rainwater', institution: 'travaux', sla: 5, weight: 8, kind: 'sewer' },
  { slug: 'equipements', fr: 'Équipements de proximité', ar: 'مرافق القرب', en: 'Local facilities', institution: 'travaux', sla: 15, weight: 8, kind: 'facility',
    questions: [{ code: 'equipement', kind: 'multiple', fr: 'Équipements concernés', ar: 'المرافق المعنية', en: 'Facilities concerned', required: false,
      options: [['jeux', 'Aire de jeux', 'فضاء الألعاب', 'Playground'], ['banc', 'Bancs', 'كراسي', 'Benches'], ['fontaine', 'Fontaine', 'سقاية', 'Fountain']] }] },
];

const INSTITUTIONS: { slug: string; kind: string; fr: string; ar: string; en: string }[] = [
  { slug: 'travaux', kind: 'department', fr: 'Direction des travaux communaux', ar: 'مديرية الأشغال الجماعية', en: 'Directorate of Commune Works' },
  { slug: 'environnement', kind: 'department', fr: 'Service de l’environnement', ar: 'مصلحة البيئة', en: 'Environment department' },
  { slug: 'operateur-proprete', kind: 'operator', fr: 'Opérateur délégué de collecte des déchets', ar: 'المفوض له في جمع النفايات', en: 'Delegated waste-collection operator' },
  { slug: 'operateur-transport', kind: 'operator', fr: 'Opérateur délégué du transport urbain', ar: 'المفوض له في النقل الحضري', en: 'Delegated urban-transport operator' },
  { slug: 'operateur-eclairage', kind: 'operator', fr: 'Opérateur délégué de l’éclairage public', ar: 'المفوض له في الإنارة العمومية', en: 'Delegated street-lighting operator' },
];

const TEXTS: Record<string, { fr: string[]; ar: string[] }> = {
  waste: {
    fr: ['Les poubelles ne sont pas ramassées depuis {n} jours.', 'Dépôt sauvage de déchets au coin de la rue.', 'Le conteneur déborde et les sacs s’accumulent sur le trottoir.', 'Odeurs fortes : les ordures restent devant l’école.'],
    ar: ['لم تُجمع النفايات منذ {n} أيام.', 'رمي عشوائي للنفايات في زاوية الشارع.', 'الحاوية ممتلئة والأكياس تتراكم على الرصيف.'],
  },
  light: {
    fr: ['Le lampadaire est éteint depuis {n} jours, la rue est dans le noir.', 'Trois lampadaires en panne sur la même rue.', 'La lumière clignote toute la nuit.'],
    ar: ['المصباح مطفأ منذ {n} أيام والشارع مظلم.', 'ثلاثة أعمدة إنارة معطلة في نفس الشارع.'],
  },
  road: {
    fr: ['Un trou dangereux s’est formé sur la chaussée.', 'Le trottoir est cassé, les personnes âgées ne peuvent plus passer.', 'Nid-de-poule profond après la pluie.'],
    ar: ['حفرة خطيرة في الطريق.', 'الرصيف مكسور ولا يستطيع كبار السن المرور.'],
  },
  bus: {
    fr: ['Le bus n’est pas passé ce matin.', 'Le bus est passé sans s’arrêter à l’arrêt.', 'Attente de plus d’une heure à l’arrêt.'],
    ar: ['لم تمر الحافلة هذا الصباح.', 'مرت الحافلة دون أن تتوقف في المحطة.'],
  },
  green: {
    fr: ['Les arbres du jardin ne sont plus arrosés.', 'Des branches cassées bloquent l’allée du parc.'],
    ar: ['لم تعد أشجار الحديقة تُسقى.', 'أغصان مكسورة تسد ممر الحديقة.'],
  },
  sewer: {
    fr: ['Une bouche d’égout est bouchée, l’eau monte à chaque pluie.', 'Le regard n’a plus de couvercle.'],
    ar: ['بالوعة مسدودة والماء يرتفع مع كل مطر.', 'غطاء البالوعة مفقود.'],
  },
  facility: {
    fr: ['Les jeux pour enfants sont cassés.', 'La fontaine du quartier ne coule plus.', 'Les bancs de la place sont abîmés.'],
    ar: ['ألعاب الأطفال مكسورة.', 'سقاية الحي لا تعمل.'],
  },
  other: { fr: ['Problème signalé par un habitant du quartier.'], ar: ['مشكل بلّغ عنه أحد سكان الحي.'] },
};

const NOTES = {
  resolved: ['Intervention effectuée.', 'Réparé par l’équipe d’intervention.', 'Collecte effectuée et zone nettoyée.', 'تم التدخل وإصلاح المشكل.'],
  invalid: ['Le lieu indiqué ne correspond à aucun problème constaté sur place.', 'Signalement incompréhensible.'],
  referral: ['Relève de la compétence de la Régie autonome de distribution : signalez-le sur son site.', 'Relève de l’administration nationale : plateforme chikaya.ma.'],
};

const FIRST = ['Fatima', 'Mohamed', 'Khadija', 'Ahmed', 'Aicha', 'Youssef', 'Salma', 'Omar', 'Nadia', 'Hamza', 'Zineb', 'Rachid', 'Hafsa', 'Karim', 'Imane', 'Said'];
const LAST = ['El Amrani', 'Benali', 'Tazi', 'El Idrissi', 'Bennani', 'Alaoui', 'Chraibi', 'Haddad', 'Ouazzani', 'Berrada', 'El Fassi', 'Ziani'];

// ---------- Calendar: working days as indexes, for a million deadlines in no time ----------

const DAY = 86_400_000;

class Calendar {
  readonly dayZero: number;
  private readonly cum: Int32Array;
  private readonly work: Int32Array;
  private readonly days: string[];
  constructor(first: string, last: string, holidays: Set<string>) {
    this.dayZero = Date.parse(`${first}T00:00:00Z`);
    const n = Math.round((Date.parse(`${last}T00:00:00Z`) - this.dayZero) / DAY) + 1;
    this.days = Array.from({ length: n }, (_, i) => new Date(this.dayZero + i * DAY).toISOString().slice(0, 10));
    this.cum = new Int32Array(n);
    const work: number[] = [];
    let c = 0;
    for (let i = 0; i < n; i++) { if (isWorkingDay(this.days[i], holidays)) { c++; work.push(i); } this.cum[i] = c; }
    this.work = Int32Array.from(work);
  }
  /** The index of the local (Africa/Casablanca) day of an instant. */
  localIndex(ms: number): number { return Math.floor((ms + offsetMinutes(ms) * 60_000 - this.dayZero) / DAY); }
  day(i: number): string { return this.days[Math.max(0, Math.min(this.days.length - 1, i))]; }
  /** The n-th working day after day i (the core clock's addWorkingDays). */
  addWorking(i: number, n: number): number { return this.work[Math.min(this.work.length - 1, this.cum[i] + n - 1)]; }
  /** Working days after i up to and including j (the core clock's workingDaysBetween). */
  between(i: number, j: number): number { return j <= i ? 0 : this.cum[j] - this.cum[i]; }
  /** An instant on local day i at local hour h (fractional). */
  at(i: number, h: number): number {
    const wall = this.dayZero + i * DAY + h * 3_600_000;
    return wall - offsetMinutes(wall) * 60_000;
  }
}

// ---------- Communes and their reference data ----------

interface Setup {
  id: number; slug: string; created: boolean; population: number;
  districts: { id: number; name: string; population: number; weight: number; slowness: number; lat: number; lng: number }[];
  categories: { id: number; slug: string; institutionId: number; sla: number; weight: number; kind: string; questions: { code: string; kind: string; required: boolean; options: string[] }[] }[];
  institutionSlowness: Map<number, number>;
  citizens: { id: number; name: string; email: string }[];
  counterAgents: number[];
  /** Staff who can be assigned, per institution. */
  staff: Map<number, number[]>;
}

// Synthetic data is made by the CLI, outside any request: the process's clock, through core/clock.
const now = () => iso(systemClock.now());

async function ensureCommune(db: AnyDB, r: Rng, slug: string, n: number): Promise<{ id: number; created: boolean; population: number }> {
  const found = await db.selectFrom('communes').select(['id', 'population']).where('slug', '=', slug).executeTakeFirst();
  if (found) return { id: found.id, created: false, population: found.population ?? 100_000 };
  const population = r.int(40, 450) * 1000;
  const { id } = await db.insertInto('communes').values({
    slug, name: JSON.stringify({ fr: `Commune exemple ${n}`, ar: `جماعة نموذجية ${n}`, en: `Sample commune ${n}` }),
    hosts: `${slug}.localhost`, region: JSON.stringify({ fr: 'Région exemple', ar: 'جهة نموذجية', en: 'Sample region' }),
    population, sample: 1, created_at: now(),
  }).returning('id').executeTakeFirstOrThrow();
  const admin = await db.insertInto('users').values({
    commune_id: id, email: `admin@${slug}.example.invalid`, email_normalized: `admin@${slug}.example.invalid`, name: 'Administrateur (exemple)',
    password_hash: DUMMY_HASH, locale: 'fr', disabled: 0, created_at: now(),
  }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('role_grants').values({ commune_id: id, user_id: admin.id, role: 'admin', institution_id: null, granted_by: null, created_at: now() }).execute();
  await appendAudit(db, { communeId: id, actorId: null, action: 'commune.create', entity: 'commune', entityId: slug, after: { slug, sample: true } });
  return { id, created: true, population };
}

async function setupCommune(db: AnyDB, r: Rng, c: { id: number; slug: string; created: boolean; population: number }, users: number, years: number[]): Promise<Setup> {
  const id = c.id;
  const trx = db;
  {
    await seedHolidays(trx, id, years);
    // Institutions: reuse the commune's own, add the missing ones.
    const inst = new Map((await trx.selectFrom('institutions').select(['id', 'slug']).where('commune_id', '=', id).execute()).map((i: { id: number; slug: string }) => [i.slug, i.id]));
    for (const [i, s] of INSTITUTIONS.entries()) {
      if (inst.has(s.slug)) continue;
      const { id: iid } = await trx.insertInto('institutions').values({ commune_id: id, slug: s.slug, kind: s.kind, name: JSON.stringify({ fr: s.fr, ar: s.ar, en: s.en }), description: '{}', lead: 0, sample: 1, sort: 100 + i })
        .returning('id').executeTakeFirstOrThrow();
      inst.set(s.slug, iid);
    }
    // Districts: the commune's own, else twelve (Tétouan's names for Tétouan).
    let districts = await trx.selectFrom('request_districts').select(['id', 'slug', 'name', 'population']).where('commune_id', '=', id).orderBy('sort').orderBy('id').execute();
    if (!districts.length) {
      const names = c.slug === 'tetouan' ? TETOUAN_DISTRICTS : Array.from({ length: 10 }, (_, i): [string, string, string] => [`quartier-${i + 1}`, `Quartier ${i + 1}`, `الحي ${i + 1}`]);
      const weights = names.map(() => 0.4 + r.next());
      const total = weights.reduce((s, w) => s + w, 0);
      for (const [i, [slug, fr, ar]] of names.entries()) {
        await trx.insertInto('request_districts').values({ commune_id: id, slug, name: JSON.stringify({ fr, ar, en: fr }), population: Math.round((c.population * weights[i]) / total / 10) * 10, geometry: null, sample: 1, sort: i })
          .execute();
      }
      districts = await trx.selectFrom('request_districts').select(['id', 'slug', 'name', 'population']).where('commune_id', '=', id).orderBy('sort').orderBy('id').execute();
    }
    // Categories: the commune's own, else the seven above (with their questions).
    let cats = await trx.selectFrom('request_categories').select(['id', 'slug', 'institution_id', 'sla_days']).where('commune_id', '=', id).where('active', '=', 1).orderBy('sort').orderBy('id').execute();
    if (!cats.length) {
      for (const [i, s] of CATEGORIES.entries()) {
        const { id: cid } = await trx.insertInto('request_categories').values({
          commune_id: id, slug: s.slug, name: JSON.stringify({ fr: s.fr, ar: s.ar, en: s.en }), description: '{}', institution_id: inst.get(s.institution) ?? inst.get('travaux')!,
          sla_days: s.sla, active: 1, sample: 1, sort: i,
        }).returning('id').executeTakeFirstOrThrow();
        for (const [j, q] of (s.questions ?? []).entries()) {
          await trx.insertInto('request_questions').values({
            commune_id: id, category_id: cid, code: q.code, kind: q.kind, label: JSON.stringify({ fr: q.fr, ar: q.ar, en: q.en }), hint: '{}', required: q.required ? 1 : 0,
            options: JSON.stringify((q.options ?? []).map(([value, fr, ar, en]) => ({ value, label: { fr, ar, en } }))), sort: j,
          }).execute();
        }
      }
      cats = await trx.selectFrom('request_categories').select(['id', 'slug', 'institution_id', 'sla_days']).where('commune_id', '=', id).where('active', '=', 1).orderBy('sort').orderBy('id').execute();
    }
    const questions = await trx.selectFrom('request_questions').select(['category_id', 'code', 'kind', 'required', 'options']).where('commune_id', '=', id).execute();
    // Users: citizens who report signed in, counter agents, and two staff per institution.
    const existing = Number((await trx.selectFrom('users').select((eb: any) => eb.fn.countAll().as('n')).where('commune_id', '=', id).where('email', 'like', 'synth-%').executeTakeFirstOrThrow() as { n: number }).n);
    const rows: unknown[][] = [];
    for (let i = existing; i < users; i++) {
      const name = `${r.pick(FIRST)} ${r.pick(LAST)}`;
      const email = `synth-${i + 1}@${c.slug}.example.invalid`;
      rows.push([id, email, email, name, DUMMY_HASH, r.chance(0.45) ? 'ar' : 'fr', 0, now()]);
    }
    await insertMany(trx, 'users', ['commune_id', 'email', 'email_normalized', 'name', 'password_hash', 'locale', 'disabled', 'created_at'], rows);
    const citizens = await trx.selectFrom('users').select(['id', 'name', 'email']).where('commune_id', '=', id).where('email', 'like', 'synth-%').orderBy('id').execute();
    const grantRows: unknown[][] = [];
    const counterAgents: number[] = [];
    if (existing === 0) {
      const staff = citizens.slice(0, 4 + inst.size * 2);
      staff.slice(0, 4).forEach((u: { id: number }) => { counterAgents.push(u.id); grantRows.push([id, u.id, 'counter_agent', null, null, now()]); });
      [...inst.entries()].forEach(([slug, iid], k) => {
        const kind = INSTITUTIONS.find((x) => x.slug === slug)?.kind;
        if (kind !== 'department' && kind !== 'operator') return;
        for (const u of staff.slice(4 + 2 * k, 6 + 2 * k)) grantRows.push([id, u.id, kind === 'operator' ? 'operator_staff' : 'department_staff', iid, null, now()]);
      });
      for (const u of citizens.slice(staff.length)) grantRows.push([id, u.id, 'citizen', null, null, now()]);
      await insertMany(trx, 'role_grants', ['commune_id', 'user_id', 'role', 'institution_id', 'granted_by', 'created_at'], grantRows);
    } else {
      counterAgents.push(...(await trx.selectFrom('role_grants').select('user_id').where('commune_id', '=', id).where('role', '=', 'counter_agent').execute()).map((g: { user_id: number }) => g.user_id));
    }
    // Equity: each district reports more or less and is served faster or slower; each institution too.
    const center = c.slug === 'tetouan' ? { lat: 35.5785, lng: -5.3684 } : { lat: 33 + r.next() * 2, lng: -7 + r.next() * 2 };
    const seedByName = (s: string) => [...s].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) | 0, 7);
    return {
      ...c,
      districts: districts.map((d: { id: number; name: string; population: number | null }) => {
        const dr = prng(seedByName(`${c.slug}:${d.id}`));
        return {
          id: d.id, name: JSON.parse(d.name).fr ?? '', population: d.population ?? 10_000, weight: (d.population ?? 10_000) * (0.5 + 1.3 * dr.next()),
          slowness: 0.7 + 1.1 * dr.next(), lat: center.lat + (dr.next() - 0.5) * 0.05, lng: center.lng + (dr.next() - 0.5) * 0.06,
        };
      }),
      categories: cats.map((k: { id: number; slug: string; institution_id: number; sla_days: number }) => {
        const seedCat = CATEGORIES.find((s) => s.slug === k.slug);
        return {
          id: k.id, slug: k.slug, institutionId: k.institution_id, sla: k.sla_days, weight: seedCat?.weight ?? 5 + r.int(0, 20), kind: seedCat?.kind ?? kindOf(k.slug),
          questions: questions.filter((q: { category_id: number }) => q.category_id === k.id).map((q: { code: string; kind: string; required: number; options: string }) => ({
            code: q.code, kind: q.kind, required: !!q.required, options: (JSON.parse(q.options || '[]') as { value: string }[]).map((o) => o.value),
          })),
        };
      }),
      institutionSlowness: new Map([...inst.values()].map((iid) => [iid, 0.6 + prng(seedByName(`${c.slug}:i${iid}`)).next()])),
      citizens: citizens.slice(4 + inst.size * 2),
      counterAgents,
      staff: await staffByInstitution(trx, id),
    };
  }
}

async function staffByInstitution(db: AnyDB, communeId: number): Promise<Map<number, number[]>> {
  const rows = await db.selectFrom('role_grants').select(['user_id', 'institution_id']).where('commune_id', '=', communeId)
    .where('role', 'in', ['department_staff', 'operator_staff']).where('institution_id', 'is not', null).orderBy('id').execute() as { user_id: number; institution_id: number }[];
  const m = new Map<number, number[]>();
  for (const r of rows) m.set(r.institution_id, [...(m.get(r.institution_id) ?? []), r.user_id]);
  return m;
}

function kindOf(slug: string): string {
  if (/dechet|propre|waste|ordure/.test(slug)) return 'waste';
  if (/eclair|lumi|light/.test(slug)) return 'light';
  if (/voir|route|road|trott|chauss/.test(slug)) return 'road';
  if (/bus|transport/.test(slug)) return 'bus';
  if (/vert|jardin|parc|green/.test(slug)) return 'green';
  if (/assain|egout|sewer|eau/.test(slug)) return 'sewer';
  if (/equip|facil/.test(slug)) return 'facility';
  return 'other';
}

// ---------- Requests ----------

export const REQUEST_COLUMNS = [
  'id', 'commune_id', 'reference', 'year', 'seq', 'tracking_hash', 'category_id', 'district_id', 'institution_id', 'assignee_id', 'status', 'reject_reason',
  'duplicate_of_id', 'referral', 'public_note', 'description', 'address', 'lat', 'lng', 'answers', 'channel', 'reporter_user_id', 'reporter_name', 'name_public',
  'reporter_email', 'reporter_phone', 'reporter_locale', 'entered_by', 'created_at', 'created_month', 'updated_at', 'acknowledged_at', 'first_response_at', 'due_on',
  'resolved_at', 'closed_at', 'within_target', 'resolution_days', 'resolution_hours', 'escalated_at', 'fixed', 'satisfaction', 'satisfaction_comment', 'feedback_at',
  'reopen_count', 'contest_status', 'sample',
];
const EVENT_COLUMNS = ['commune_id', 'request_id', 'at', 'kind', 'public', 'actor_id', 'body', 'data'];
const CONTEST_COLUMNS = ['commune_id', 'request_id', 'reason', 'created_at', 'status', 'ruling', 'ruled_at', 'mediator_id'];
const FOLLOWER_COLUMNS = ['commune_id', 'request_id', 'email', 'email_normalized', 'user_id', 'locale', 'token', 'confirmed', 'is_reporter', 'created_at'];

const CHANNELS = ['web', 'counter', 'phone', 'api'] as const;
const CHANNEL_WEIGHTS = [55, 25, 12, 8];
const isoOf = (ms: number) => new Date(ms).toISOString();

interface Gen {
  rows: unknown[][]; events: unknown[][]; followers: unknown[][]; contests: unknown[][];
}

/** One request and its timeline, as rows. */
function makeRequest(r: Rng, s: Setup, cal: Calendar, g: Gen, a: { id: number; created: number; nowMs: number; reference: string; year: number; seq: number; seed: number; recent: Map<number, { id: number; reference: string }[]> }) {
  const d = r.weighted(s.districts, s.districts.map((x) => x.weight));
  const c = r.weighted(s.categories, s.categories.map((x) => x.weight));
  const channel = r.weighted(CHANNELS, CHANNEL_WEIGHTS);
  const createdIdx = cal.localIndex(a.created);
  const dueIdx = cal.addWorking(createdIdx, c.sla);
  const localeR = r.next();
  const locale = localeR < 0.45 ? 'ar' : localeR < 0.95 ? 'fr' : 'en';
  const texts = TEXTS[c.kind] ?? TEXTS.other;
  const description = (locale === 'ar' ? r.pick(texts.ar) : r.pick(texts.fr)).replace('{n}', String(r.int(2, 9)));
  const answers: Record<string, unknown> = {};
  for (const q of c.questions) {
    if (!q.required && r.chance(0.6)) continue;
    if (q.kind === 'single') answers[q.code] = r.pick(q.options);
    else if (q.kind === 'multiple') answers[q.code] = [r.pick(q.options)];
    else if (q.kind === 'number') answers[q.code] = r.int(10, 150);
    else if (q.kind === 'date') answers[q.code] = cal.day(createdIdx - r.int(0, 3));
    else answers[q.code] = q.code === 'ligne' ? String(r.int(1, 30)) : `P-${r.int(100, 9999)}`;
  }
  // Reporter: signed-in citizen, anonymous with or without email, or someone at the counter / on the phone.
  let reporterUser: number | null = null, name: string | null = null, namePublic = 0, email: string | null = null, phone: string | null = null, enteredBy: number | null = null;
  if (channel === 'web' && s.citizens.length && r.chance(0.4)) {
    const u = r.pick(s.citizens);
    reporterUser = u.id; name = u.name; email = u.email; namePublic = r.chance(0.3) ? 1 : 0;
  } else if (channel === 'counter' || channel === 'phone') {
    name = `${r.pick(FIRST)} ${r.pick(LAST)}`;
    phone = `+212 6${r.int(10, 99)}-${r.int(100000, 999999)}`;
    enteredBy = s.counterAgents.length ? r.pick(s.counterAgents) : null;
  } else if (r.chance(0.5)) {
    name = r.chance(0.6) ? `${r.pick(FIRST)} ${r.pick(LAST)}` : null;
    email = `reporter-${a.id}@example.invalid`;
    namePublic = name && r.chance(0.2) ? 1 : 0;
  }
  // Timeline: acknowledged within hours, then fixed after a delay that depends on the district and the institution.
  const slow = d.slowness * (s.institutionSlowness.get(c.institutionId) ?? 1);
  const ackMs = a.created + r.lognormal(6, 1) * 3_600_000;
  const events: [number, string, string | null, Record<string, unknown>][] = [[a.created, 'submitted', null, { channel }]];
  let status = 'submitted', rejectReason: string | null = null, duplicateOf: number | null = null, referral: string | null = null, note: string | null = null;
  let acknowledged: number | null = null, resolved: number | null = null, closed: number | null = null, reopen = 0, escalated: number | null = null;
  let fixed: number | null = null, satisfaction: number | null = null, feedback: number | null = null;
  let duplicate: { id: number; reference: string } | null = null;
  let resolvedOnce: number | null = null;
  const outcome = r.next();
  // Most requests are acknowledged within hours; some are answered directly, or wait.
  if (ackMs < a.nowMs && r.chance(0.85)) { acknowledged = ackMs; status = 'acknowledged'; events.push([ackMs, 'acknowledged', null, {}]); }
  const since = acknowledged ?? a.created;
  if (outcome < 0.08) {
    // Rejected within a few working days: duplicate, not the commune's competence, or invalid.
    const at = cal.at(Math.min(cal.addWorking(createdIdx, r.int(1, 3)), cal.localIndex(a.nowMs)), 8 + r.next() * 9);
    if (at < a.nowMs && at > since) {
      const reason = r.weighted(['duplicate', 'not_competent', 'invalid'], [4, 3, 3]);
      const earlier = a.recent.get(c.id) ?? [];
      if (reason === 'duplicate' && earlier.length) { duplicate = r.pick(earlier); duplicateOf = duplicate.id; rejectReason = 'duplicate'; }
      else if (reason === 'not_competent') { rejectReason = reason; referral = r.pick(NOTES.referral); }
      else { rejectReason = 'invalid'; note = r.pick(NOTES.invalid); }
      status = 'rejected'; closed = at;
      events.push([at, rejectReason === 'duplicate' ? 'merged' : 'rejected', note, rejectReason === 'duplicate' ? { into: duplicate!.reference } : { reason: rejectReason, referral: referral ?? undefined }]);
    }
  } else if (outcome < 0.96) {
    const days = Math.max(0, Math.round(r.lognormal(c.sla * slow * 0.8, 0.7)));
    const idx = days === 0 ? createdIdx : cal.addWorking(createdIdx, days);
    const at = Math.max(since + 600_000, cal.at(idx, 8 + r.next() * 9));
    if (acknowledged !== null && r.chance(0.5) && at - acknowledged > 2 * 3_600_000) {
      const startAt = acknowledged + (at - acknowledged) * r.next() * 0.5;
      if (startAt < a.nowMs) { status = 'in_progress'; events.push([startAt, 'in_progress', null, {}]); }
    }
    if (at < a.nowMs) {
      status = 'resolved'; resolved = at; closed = at; note = r.pick(NOTES.resolved);
      events.push([at, 'resolved', note, { photo: false }]);
      if (r.chance(0.35)) {
        const fb = at + r.lognormal(2, 0.8) * DAY;
        if (fb < a.nowMs) {
          const within = cal.localIndex(at) <= dueIdx;
          satisfaction = within ? r.weighted([3, 4, 5], [1, 3, 4]) : r.weighted([1, 2, 3, 4], [3, 3, 2, 1]);
          fixed = satisfaction >= 3 ? 1 : 0; feedback = fb;
          events.push([fb, 'feedback', null, { fixed: !!fixed, satisfaction }]);
          if (!fixed && r.chance(0.25) && fb - at < 30 * DAY) {
            // The one reopening: back to work with a new deadline.
            status = 'reopened'; reopen = 1; resolvedOnce = at; resolved = null; closed = null;
            events.push([fb, 'reopened', null, {}]);
          }
        }
      }
    }
  }
  const open = status === 'submitted' || status === 'acknowledged' || status === 'in_progress' || status === 'reopened';
  const due = cal.day(dueIdx);
  if (open && cal.localIndex(a.nowMs) > dueIdx && r.chance(0.9)) escalated = Math.min(a.nowMs - 1000, cal.at(dueIdx + 1, 8));
  const closedIdx = closed === null ? null : cal.localIndex(closed);
  const staff = s.staff.get(c.institutionId) ?? [];
  const assignee = acknowledged !== null && staff.length && r.chance(0.7) ? r.pick(staff) : null;
  // A few closed requests go to the mediator: some still pending, the others ruled (dismissed).
  let contest = 'none';
  if (closed !== null && status === 'rejected' && r.chance(0.05)) {
    const at = closed + r.lognormal(3, 0.5) * DAY;
    if (at < a.nowMs) {
      const ruled = at + r.lognormal(10, 0.4) * DAY;
      contest = ruled < a.nowMs ? 'dismissed' : 'pending';
      events.push([at, 'contested', null, {}]);
      if (contest === 'dismissed') events.push([ruled, 'ruled', 'Après examen du dossier, la décision du service est confirmée.', { decision: 'dismissed' }]);
      g.contests.push([s.id, a.id, 'Le problème n’est pas réglé sur place.', isoOf(at), contest, contest === 'dismissed' ? 'Après examen du dossier, la décision du service est confirmée.' : null,
        contest === 'dismissed' ? isoOf(ruled) : null, null]);
    }
  }
  const updated = Math.max(...events.map((e) => e[0]));
  // The first answer: the acknowledgement, else the closing (as the workflow records it).
  const firstAnswer = acknowledged ?? (status === 'resolved' || status === 'rejected' || reopen ? (closed ?? resolvedOnce) : null);
  g.rows.push([
    a.id, s.id, a.reference, a.year, a.seq, `synthetic:${a.seed}:${a.id}`, c.id, d.id, c.institutionId, assignee, status, rejectReason,
    duplicateOf, referral, note, description, `${r.int(1, 120)}, rue ${r.int(1, 60)}, ${d.name}`,
    r.chance(0.7) ? Math.round((d.lat + (r.next() - 0.5) * 0.01) * 1e6) / 1e6 : null, null, JSON.stringify(answers), channel,
    reporterUser, name, namePublic, email, phone, locale, enteredBy, isoOf(a.created), cal.day(createdIdx).slice(0, 7), isoOf(updated),
    firstAnswer === null ? null : isoOf(firstAnswer), firstAnswer === null ? null : isoOf(firstAnswer), due,
    resolved === null ? null : isoOf(resolved), closed === null ? null : isoOf(closed), closedIdx === null ? null : closedIdx <= dueIdx ? 1 : 0,
    closedIdx === null ? null : cal.between(createdIdx, closedIdx), closed === null ? null : Math.floor((closed - a.created) / 3_600_000),
    escalated === null ? null : isoOf(escalated), fixed, satisfaction, null, feedback === null ? null : isoOf(feedback), reopen, contest, 1,
  ]);
  // lng follows lat (both or neither).
  const row = g.rows[g.rows.length - 1];
  row[18] = row[17] === null ? null : Math.round((d.lng + (r.next() - 0.5) * 0.012) * 1e6) / 1e6;
  for (const [at, kind, body, data] of events) g.events.push([s.id, a.id, isoOf(at), kind, 1, null, body, JSON.stringify(data)]);
  if (duplicate && closed !== null) g.events.push([s.id, duplicate.id, isoOf(closed), 'duplicate_merged', 1, null, null, JSON.stringify({ from: a.reference })]);
  if (email) g.followers.push([s.id, a.id, email, email.toLowerCase(), reporterUser, locale, `syn${a.seed}-${a.id}-${r.hex(16)}`, 1, 1, isoOf(a.created)]);
  const list = a.recent.get(c.id) ?? [];
  list.push({ id: a.id, reference: a.reference });
  if (list.length > 50) list.shift();
  a.recent.set(c.id, list);
}

const BATCH = 5000;

async function fillCommune(db: AnyDB, handle: Database['sqlite'], r: Rng, s: Setup, count: number, o: { seed: number; days: number; until: number; firstId: number; log: (l: string) => void }) {
  const untilIdx = Math.floor(o.until / DAY);
  const first = new Date((untilIdx - o.days - 40) * DAY).toISOString().slice(0, 10);
  const last = new Date((untilIdx + 400) * DAY).toISOString().slice(0, 10);
  const cal = new Calendar(first, last, await loadHolidays(db, s.id, first, last));
  const nowMs = o.until;
  // Requests per day: growing adoption over the period, fewer at weekends; exact total by cumulative rounding.
  // The last local day that ends before `until` (a UTC midnight; Morocco is at UTC+0 or +1).
  const startIdx = Math.round((o.until - cal.dayZero) / DAY) - 1 - o.days + 1;
  const weights = Array.from({ length: o.days }, (_, k) => {
    const dow = new Date(cal.dayZero + (startIdx + k) * DAY).getUTCDay();
    return (0.6 + 0.8 * (k / o.days)) * (dow === 0 || dow === 6 ? 0.55 : 1) * (0.85 + 0.3 * r.next());
  });
  const total = weights.reduce((x, w) => x + w, 0);
  const seqs = new Map<number, number>();
  for (const row of await db.selectFrom('requests').select(['year', (eb: any) => eb.fn.max('seq').as('m')]).where('commune_id', '=', s.id).groupBy('year').execute()) seqs.set(Number(row.year), Number(row.m));
  const prefix = referencePrefix(s.slug);
  const recent = new Map<number, { id: number; reference: string }[]>();
  let id = o.firstId, acc = 0, done = 0;
  let g: Gen = { rows: [], events: [], followers: [], contests: [] };
  let rows = 0;
  const flush = async () => {
    if (!g.rows.length) return;
    const batch = g;
    g = { rows: [], events: [], followers: [], contests: [] };
    await insertMany(db, 'requests', REQUEST_COLUMNS, batch.rows, handle);
    await insertMany(db, 'request_events', EVENT_COLUMNS, batch.events, handle);
    await insertMany(db, 'request_followers', FOLLOWER_COLUMNS, batch.followers, handle);
    await insertMany(db, 'request_contests', CONTEST_COLUMNS, batch.contests, handle);
    rows += batch.rows.length + batch.events.length + batch.followers.length + batch.contests.length;
  };
  for (let k = 0; k < o.days && done < count; k++) {
    const target = Math.round((count * (acc += weights[k])) / total);
    const n = Math.min(count - done, target - done);
    if (n <= 0) continue;
    // Times of the day: most between 8:00 and 20:00 local, sorted so that ids follow time.
    const hours = Array.from({ length: n }, () => Math.min(23.99, Math.max(0, 8 + 12 * (r.next() + r.next()) / 2 + (r.next() - 0.5) * 6))).sort((x, y) => x - y);
    for (const h of hours) {
      const created = cal.at(startIdx + k, h);
      if (created >= nowMs) continue;
      const year = Number(cal.day(cal.localIndex(created)).slice(0, 4));
      const seq = (seqs.get(year) ?? 0) + 1;
      seqs.set(year, seq);
      makeRequest(r, s, cal, g, { id, created, nowMs, reference: formatReference(prefix, year, seq), year, seq, seed: o.seed, recent });
      id++; done++;
      if (g.rows.length >= BATCH) {
        await flush();
        if (done % 100_000 < BATCH) o.log(`  ${s.slug}: ${done.toLocaleString('en')} requests`);
      }
    }
  }
  await flush();
  return { requests: done, rows, nextId: id };
}

// ---------- Plans and comments, when those modules are installed ----------

/** Whether a table exists, asked outside the load's transaction (a failed query would abort it on PostgreSQL). */
async function tableExists(db: AnyDB, table: string): Promise<boolean> {
  try { await db.selectFrom(table).select('id').limit(1).execute(); return true; } catch { return false; }
}

const PLAN_AXES: [string, string][] = [
  ['Transparence et accès à l’information', 'الشفافية والحصول على المعلومات'], ['Participation citoyenne', 'المشاركة المواطنة'],
  ['Services de proximité de qualité', 'خدمات القرب ذات الجودة'], ['Redevabilité et intégrité', 'المساءلة والنزاهة'],
];
const PLAN_TOPICS: [string, string][] = [
  ['Publier les données budgétaires', 'نشر المعطيات الميزانياتية'], ['Ouvrir les données des marchés publics', 'فتح معطيات الصفقات العمومية'],
  ['Créer un guichet d’accès à l’information', 'إحداث شباك للحصول على المعلومات'], ['Organiser des budgets participatifs', 'تنظيم ميزانيات تشاركية'],
  ['Associer les jeunes aux décisions', 'إشراك الشباب في القرارات'], ['Réduire les délais de traitement des réclamations', 'تقليص آجال معالجة الشكايات'],
  ['Suivre la propreté des quartiers', 'تتبع نظافة الأحياء'], ['Publier les rapports d’audit', 'نشر تقارير الافتحاص'],
  ['Former les élus à l’intégrité', 'تكوين المنتخبين في مجال النزاهة'], ['Rendre compte en séance publique', 'تقديم الحساب في جلسة عمومية'],
];
const PLAN_UNITS: [string, string, string][] = [['%', '%', '%'], ['documents', 'وثائق', 'documents'], ['jours', 'أيام', 'days'], ['participants', 'مشاركون', 'participants']];
const ACTION_STATUSES = ['planned', 'in_progress', 'done', 'delayed', 'cancelled'] as const;

/**
 * A sample OGP plan for a commune that has none, in proportion to its requests (6 to 36
 * commitments under four axes, a hundred thousand requests giving 25): three actions and two
 * indicators per commitment, the last two half-year reporting cycles closed and published (a
 * status and progress per action and cycle), and a quarterly measurement of each indicator over
 * two years. Its own generator (seeded by the seed and the commune), so that the requests drawn
 * before and after it do not depend on it. Returns the rows written.
 */
async function samplePlan(db: AnyDB, s: Setup, requests: number, until: number, seed: number): Promise<number> {
  const pr = prng((seed * 7919) ^ [...s.slug].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) | 0, 11));
  const t = (fr: string, ar: string, en = fr) => JSON.stringify({ fr, ar, en });
  const untilDay = isoOf(until).slice(0, 10);
  const year = Number(untilDay.slice(0, 4));
  const created = isoOf(until - 800 * DAY);
  const leaves = Math.max(6, Math.min(36, Math.round(requests / 4000)));
  const institutions = (await db.selectFrom('institutions').select('id').where('commune_id', '=', s.id).where('kind', 'in', ['department', 'operator']).orderBy('id').execute())
    .map((i: { id: number }) => i.id);
  if (!institutions.length) return 0;
  let rows = 0;
  const { id: planId } = await db.insertInto('plans').values({
    commune_id: s.id, slug: 'plan-exemple', kind: 'ogp', title: t('Plan d’action (exemple)', 'خطة العمل (نموذج)', 'Action plan (sample)'),
    period_start: `${year - 2}-01-01`, period_end: `${year + 1}-12-31`, submitted_on: null, vision: t('Une commune ouverte (exemple)', 'جماعة منفتحة (نموذج)', 'An open commune (sample)'),
    guidelines: '[]', objectives: '[]', cocreation: '{}', status: 'in_progress', created_at: created,
  }).returning('id').executeTakeFirstOrThrow();
  rows++;
  const base = { commune_id: s.id, plan_id: planId, description: '{}', problem: '{}', ogp_values: '["transparency","participation"]', budget_note: '{}', sample: 1 };
  const axes: number[] = [];
  for (const [i, [fr, ar]] of PLAN_AXES.entries()) {
    const { id } = await db.insertInto('commitments').values({ ...base, parent_id: null, number: String(i + 1), title: t(fr, ar), sort: i + 1, start_date: `${year - 2}-01-01`, end_date: `${year + 1}-12-31`, weight: null })
      .returning('id').executeTakeFirstOrThrow();
    axes.push(id);
  }
  const cols = ['commune_id', 'plan_id', 'parent_id', 'number', 'title', 'description', 'problem', 'ogp_values', 'budget_note', 'start_date', 'end_date', 'sort', 'weight', 'sample'];
  const leafRows: unknown[][] = [];
  for (let k = 0; k < leaves; k++) {
    const a = k % axes.length, n = Math.floor(k / axes.length) + 1;
    const [fr, ar] = PLAN_TOPICS[k % PLAN_TOPICS.length];
    leafRows.push([s.id, planId, axes[a], `${a + 1}.${n}`, t(`${fr} (${a + 1}.${n})`, `${ar} (${a + 1}.${n})`), '{}', '{}', '["transparency"]', '{}', `${year - 2}-01-01`, `${year + pr.int(0, 1)}-12-31`, n, null, 1]);
  }
  await insertMany(db, 'commitments', cols, leafRows);
  const leafIds = (await db.selectFrom('commitments').select('id').where('commune_id', '=', s.id).where('plan_id', '=', planId).where('parent_id', 'is not', null).orderBy('id').execute())
    .map((c: { id: number }) => c.id);
  const all = [...axes, ...leafIds];
  await insertMany(db, 'commitment_institutions', ['commune_id', 'commitment_id', 'institution_id', 'role'], all.map((id, i) => [s.id, id, institutions[i % institutions.length], 'lead']));
  rows += leafIds.length + axes.length + all.length;

  const actions: unknown[][] = [], indicators: unknown[][] = [];
  for (const [k, cid] of leafIds.entries()) {
    const inst = institutions[k % institutions.length];
    for (let i = 0; i < 3; i++) {
      actions.push([s.id, cid, inst, t(`Action ${i + 1} de l’engagement`, `الإجراء ${i + 1} من الالتزام`), '{}', `${year - 2}-${String(1 + 3 * i).padStart(2, '0')}-01`,
        `${year - 1 + i}-${String(pr.int(1, 12)).padStart(2, '0')}-28`, i, 1, created]);
    }
    for (let i = 0; i < 2; i++) {
      const [ufr, uar, uen] = pr.pick(PLAN_UNITS);
      const up = pr.chance(0.75);
      const baseline = up ? pr.int(0, 40) : pr.int(40, 90);
      indicators.push([s.id, cid, inst, i ? 'impact' : 'result', t(`Indicateur ${i + 1} de l’engagement`, `المؤشر ${i + 1} للالتزام`), '{}', t(ufr, uar, uen), up ? 'up' : 'down',
        baseline, `${year - 2}-01-01`, up ? baseline + pr.int(20, 60) : Math.max(0, baseline - pr.int(20, 40)), `${year + 1}-12-31`, '{}', 'quarterly', i, 1, created]);
    }
  }
  await insertMany(db, 'actions', ['commune_id', 'commitment_id', 'institution_id', 'title', 'expected_result', 'start_date', 'end_date', 'sort', 'sample', 'created_at'], actions);
  await insertMany(db, 'indicators', ['commune_id', 'commitment_id', 'institution_id', 'kind', 'title', 'definition', 'unit', 'direction', 'baseline_value', 'baseline_date',
    'target_value', 'target_date', 'source', 'frequency', 'sort', 'sample', 'created_at'], indicators);
  rows += actions.length + indicators.length;

  // The last two half-years that ended before `until`, closed and published.
  const halves: { code: string; end: string }[] = [];
  for (let y = year; halves.length < 2; y--) {
    for (const [h, end] of [[2, `${y}-12-31`], [1, `${y}-06-30`]] as const) if (end < untilDay && halves.length < 2) halves.push({ code: `${y}-S${h}`, end });
  }
  halves.reverse();
  const cycles: { id: number; end: string }[] = [];
  for (const h of halves) {
    const at = isoOf(Date.parse(`${h.end}T12:00:00Z`) + 30 * DAY);
    const { id } = await db.insertInto('reporting_cycles').values({ commune_id: s.id, plan_id: planId, code: h.code, period_end: h.end, due_date: h.end, status: 'closed', opened_at: at, opened_by: null, closed_at: at, last_published_at: at })
      .returning('id').executeTakeFirstOrThrow();
    cycles.push({ id, end: h.end });
  }
  const actionIds = (await db.selectFrom('actions as a').innerJoin('commitments as m', 'm.id', 'a.commitment_id').select('a.id').where('a.commune_id', '=', s.id).where('m.plan_id', '=', planId).orderBy('a.id').execute())
    .map((a: { id: number }) => a.id);
  const updates: unknown[][] = [];
  for (const aid of actionIds) {
    let progress = 0;
    for (const cy of cycles) {
      progress = Math.min(100, progress + pr.int(0, 60));
      const status = progress >= 100 ? 'done' : pr.weighted(ACTION_STATUSES, [1, 6, 0, 2, 0.2]);
      const published = isoOf(Date.parse(`${cy.end}T12:00:00Z`) + 30 * DAY);
      updates.push([s.id, aid, cy.id, cy.end, 1, status, status === 'done' ? 100 : progress, '', '', null, null, published, null, 1]);
    }
  }
  await insertMany(db, 'action_updates', ['commune_id', 'action_id', 'cycle_id', 'period_end', 'version', 'status', 'progress', 'difficulties', 'note', 'supersedes_id', 'row_id',
    'published_at', 'published_by', 'sample'], updates);
  const indicatorRows = await db.selectFrom('indicators as i').innerJoin('commitments as m', 'm.id', 'i.commitment_id').select(['i.id', 'i.baseline_value', 'i.target_value'])
    .where('i.commune_id', '=', s.id).where('m.plan_id', '=', planId).orderBy('i.id').execute() as { id: number; baseline_value: number; target_value: number }[];
  const measurements: unknown[][] = [];
  for (const ind of indicatorRows) {
    let value = ind.baseline_value;
    for (let q = 8; q >= 1; q--) {
      // The quarters before the one `until` falls in, oldest first.
      const d = new Date(Date.UTC(year, Math.floor(Number(untilDay.slice(5, 7)) - 1) - 3 * q, 1));
      const quarter = Math.floor(d.getUTCMonth() / 3) + 1;
      const end = new Date(Date.UTC(d.getUTCFullYear(), quarter * 3, 0)).toISOString().slice(0, 10);
      if (end >= untilDay) continue;
      value += ((ind.target_value - ind.baseline_value) / 12) * (0.3 + pr.next() * 1.4);
      measurements.push([s.id, ind.id, null, `${d.getUTCFullYear()}-Q${quarter}`, end, 1, Math.round(value * 10) / 10, '', '', null, null, null, null,
        isoOf(Date.parse(`${end}T12:00:00Z`) + 20 * DAY), null, 1]);
    }
  }
  await insertMany(db, 'measurements', ['commune_id', 'indicator_id', 'cycle_id', 'period', 'period_end', 'version', 'value', 'source', 'note', 'supersedes_id', 'row_id',
    'entered_by', 'validated_by', 'published_at', 'published_by', 'sample'], measurements);
  return rows + cycles.length + updates.length + measurements.length;
}

async function plansAndComments(db: AnyDB, r: Rng, s: Setup, requests: number, until: number, seed: number, tables: { plans: boolean; comments: boolean }): Promise<{ rows: number; skipped?: string }> {
  if (!tables.plans) return { rows: 0, skipped: 'plans and comments (accountability module not installed)' };
  let rows = 0;
  // A savepoint: if these tables are not what this code expects, only this part is undone.
  await sql`savepoint synthetic_extra`.execute(db);
  try {
    let commitments = await db.selectFrom('commitments').select('id').where('commune_id', '=', s.id).execute();
    if (!commitments.length) {
      rows += await samplePlan(db, s, requests, until, seed);
      commitments = await db.selectFrom('commitments').select('id').where('commune_id', '=', s.id).execute();
    }
    if (tables.comments) {
      const n = Math.min(5000, Math.round(requests / 200));
      const bodies = ['Merci pour ce suivi, où en est cet engagement ?', 'Les habitants du quartier attendent toujours.', 'شكراً على هذه المتابعة.', 'Quand les résultats seront-ils publiés ?'];
      const list: unknown[][] = [];
      for (let i = 0; i < n; i++) {
        const u = s.citizens.length ? r.pick(s.citizens) : null;
        list.push([s.id, 'commitment', r.pick(commitments).id, u?.id ?? null, u?.name ?? 'Anonyme', null, r.pick(bodies), 'fr', 'visible', null, null, null, 0, isoOf(until - r.int(1, 700) * DAY - r.int(0, 86_399) * 1000)]);
      }
      await insertMany(db, 'comments', ['commune_id', 'target_type', 'target_id', 'user_id', 'author_name', 'author_email', 'body', 'locale', 'status', 'hidden_reason', 'hidden_by', 'hidden_at', 'open_reports', 'created_at'], list);
      rows += list.length;
    }
    await sql`release savepoint synthetic_extra`.execute(db);
  } catch (e) {
    await sql`rollback to savepoint synthetic_extra`.execute(db);
    await sql`release savepoint synthetic_extra`.execute(db);
    return { rows: 0, skipped: `plans/comments (${(e as Error).message.split('\n')[0].slice(0, 120)})` };
  }
  return { rows };
}

// ---------- The command ----------

/**
 * Loads everything in one transaction: the summary triggers are dropped first and put back at the
 * end, after the summaries of the communes loaded were recomputed in one GROUP BY each (updating a
 * few hot counter rows a million times is slow, on PostgreSQL above all). If anything fails, or
 * the process is stopped, nothing is left half-loaded and the triggers are still in place.
 */
export async function synthesize(database: Database, opts: SyntheticOptions): Promise<SyntheticResult> {
  const log = opts.log ?? (() => {});
  const started = performance.now();
  const r = prng(opts.seed);
  const days = Math.max(1, Math.floor(opts.days ?? 3 * 365));
  const untilDay = (opts.until ?? systemClock.now()).toISOString().slice(0, 10);
  // The end of the span: the start of that UTC day (whole days only, so that a run is reproducible).
  const until = Date.parse(`${untilDay}T00:00:00Z`);
  const untilYear = Number(untilDay.slice(0, 4));
  const years = Array.from({ length: Math.ceil(days / 365) + 2 }, (_, i) => untilYear - Math.ceil(days / 365) + i);
  const tables = { plans: await tableExists(database.db, 'plans') && await tableExists(database.db, 'commitments'), comments: await tableExists(database.db, 'comments') };

  const changed: number[] = [];
  const result = await database.db.transaction().execute(async (trx) => {
    const db = trx as AnyDB;
    await dropCounterTriggers(db, DASHBOARD_TRIGGER, 'requests');
    const targets: { slug: string; n: number }[] = [];
    const slugs: string[] = [];
    if (opts.defaultCommune && (await db.selectFrom('communes').select('id').where('slug', '=', opts.defaultCommune).executeTakeFirst())) slugs.push(opts.defaultCommune);
    for (let i = 1; slugs.length < Math.max(1, opts.communes); i++) slugs.push(`synth-${String(i).padStart(2, '0')}`);
    const communes = [];
    for (const [i, slug] of slugs.entries()) communes.push({ slug, ...(await ensureCommune(db, r, slug, i)) });
    // Requests split by population (exact total).
    const pop = communes.reduce((x, c) => x + c.population, 0);
    let given = 0, accPop = 0;
    for (const c of communes) { accPop += c.population; const upto = Math.round((opts.requests * accPop) / pop); targets.push({ slug: c.slug, n: upto - given }); given = upto; }

    const result: SyntheticResult = { communes: [], requests: 0, rows: 0, ms: 0, rowsPerSecond: 0, skipped: [] };
    const maxId = await db.selectFrom('requests').select((eb: any) => eb.fn.max('id').as('m')).executeTakeFirst() as { m: number | null } | undefined;
    let nextId = Number(maxId?.m ?? 0) + 1;
    for (const [i, c] of communes.entries()) {
      const n = targets[i].n;
      const setup = await setupCommune(db, r, c, Math.max(80, Math.min(20_000, Math.round(n / 25))), years);
      log(`${c.slug}: ${n.toLocaleString('en')} requests over ${days} days`);
      const filled = await fillCommune(db, database.sqlite, r, setup, n, { seed: opts.seed, days, until, firstId: nextId, log });
      nextId = filled.nextId;
      const extra = await plansAndComments(db, r, setup, filled.requests, until, opts.seed, tables);
      if (extra.skipped && !result.skipped.includes(extra.skipped)) result.skipped.push(extra.skipped);
      changed.push(c.id);
      await appendAudit(db, { communeId: c.id, actorId: null, action: 'synthetic.load', entity: 'commune', entityId: c.slug, after: { requests: filled.requests, seed: opts.seed } });
      await rebuildCounters(db, dashboardSpecs, c.id);
      result.communes.push({ slug: c.slug, requests: filled.requests, created: c.created });
      result.requests += filled.requests;
      result.rows += filled.rows + extra.rows;
    }
    await createCounterTriggers(db, DASHBOARD_TRIGGER, dashboardSpecs);
    await resetIdSequence(db, 'requests');
    return result;
  });
  for (const id of changed) noteCommit(database.db, id);
  // Fresh statistics for the planner: the tables are ten or a thousand times larger than before.
  const loaded = ['users', 'role_grants', 'requests', 'request_events', 'request_followers', 'request_contests', ...new Set(dashboardSpecs.map((d) => d.target))];
  if (tables.plans) loaded.push('plans', 'commitments', 'commitment_institutions', 'actions', 'indicators', 'reporting_cycles', 'action_updates', 'measurements');
  if (tables.comments) loaded.push('comments');
  await analyzeTables(database.db, loaded);
  result.ms = performance.now() - started;
  result.rowsPerSecond = Math.round(result.rows / (result.ms / 1000));
  return result;
}
