import { z } from 'zod';
import { mutate, authorize, type Ctx } from '../../core/service.ts';
import { NotFoundError, RuleError } from '../../core/http/errors.ts';
import { parseInput, text, optionalText, int, optionalInt, oneOf, checkbox, isoDate, translatedFields, collectTranslated } from '../../core/http/forms.ts';
import { parseTranslated, type Translated } from '../../core/i18n/index.ts';
import { estimateHolidays } from '../../core/clock/working-days.ts';
import type { AnyDB } from '../../core/db/index.ts';
import { rq } from './repo.ts';
import * as repo from './repo.ts';
import { parseDistrictsGeoJson } from './geo.ts';
import { QUESTION_KINDS } from './schema.ts';
import { toQuestion } from './service.ts';

/** Categories, extra questions, districts, response templates, holidays and heads: the admin's settings. */

const slug = () => z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : ''), z.string().min(1).max(60).regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'errors.format' }));

// ---------- Categories ----------

export const categorySchema = z.object({
  slug: slug(),
  ...translatedFields('name', 200),
  ...translatedFields('description', 1000, false),
  institution_id: int(1),
  sla_days: int(1, 365),
  active: checkbox(),
  sample: checkbox(),
  sort: optionalInt(0, 10_000),
});

export interface CategoryInput { slug: string; name: Translated; description?: Translated; institutionId: number; slaDays: number; active?: boolean; sample?: boolean; sort?: number }

async function checkRouting(db: repo.RqDB, ctx: Ctx, institutionId: number) {
  const inst = await repo.findInstitution(db, ctx.commune.id, institutionId);
  if (!inst || (inst.kind !== 'department' && inst.kind !== 'operator')) throw new RuleError('requests.errors.routing', {}, 'institution_id');
}

export async function saveCategory(ctx: Ctx, id: number | null, input: unknown): Promise<number> {
  authorize(ctx, 'requests.configure');
  const d = parseInput(categorySchema, input);
  return createOrUpdateCategory(ctx, id, {
    slug: d.slug, name: collectTranslated(d, 'name'), description: collectTranslated(d, 'description'), institutionId: d.institution_id,
    slaDays: d.sla_days, active: d.active, sample: d.sample, sort: d.sort ?? 0,
  });
}

export async function createOrUpdateCategory(ctx: Ctx, id: number | null, c: CategoryInput): Promise<number> {
  return mutate(ctx, { permission: 'requests.configure', action: id ? 'request_category.update' : 'request_category.create', entity: 'request_category' }, async (trx) => {
    const db = rq(trx);
    // An unknown id (another commune's, a guess) is not found, whatever the form says.
    const before = id ? await repo.findCategory(db, ctx.commune.id, { id }) : undefined;
    if (id && !before) throw new NotFoundError();
    await checkRouting(db, ctx, c.institutionId);
    const other = await repo.findCategory(db, ctx.commune.id, { slug: c.slug });
    if (other && other.id !== id) throw new RuleError('requests.errors.slugTaken', {}, 'slug');
    const values = {
      slug: c.slug, name: JSON.stringify(c.name), description: JSON.stringify(c.description ?? {}), institution_id: c.institutionId,
      sla_days: c.slaDays, active: c.active === false ? 0 : 1, sample: c.sample ? 1 : 0, sort: c.sort ?? 0,
    };
    if (id && before) {
      // The code is the Open311 service_code and appears in URLs: it stays once requests use it.
      if (before.slug !== c.slug && (await repo.categoryInUse(db, ctx.commune.id, id))) {
        throw new RuleError('requests.errors.slugInUse', {}, 'slug');
      }
      await repo.saveSetting(db, 'request_categories', ctx.commune.id, id, values);
      return { result: id, entityId: c.slug, before, after: values };
    }
    const newId = await repo.saveSetting(db, 'request_categories', ctx.commune.id, null, values);
    return { result: newId, entityId: c.slug, after: values };
  });
}

export async function categoryForAdmin(ctx: Ctx, id: number) {
  authorize(ctx, 'requests.configure');
  const db = rq(ctx.db);
  const c = await repo.findCategory(db, ctx.commune.id, { id });
  if (!c) throw new NotFoundError();
  return { category: c, questions: (await repo.questionsOf(db, ctx.commune.id, [id])).map(toQuestion) };
}

// ---------- Extra questions ----------

export const questionSchema = z.object({
  code: z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : ''), z.string().min(1).max(40).regex(/^[a-z][a-z0-9_]*$/, { error: 'errors.format' })),
  kind: oneOf(QUESTION_KINDS),
  ...translatedFields('label', 300),
  ...translatedFields('hint', 500, false),
  required: checkbox(),
  options: optionalText(5000),
  sort: optionalInt(0, 10_000),
});

export interface QuestionInput { code: string; kind: (typeof QUESTION_KINDS)[number]; label: Translated; hint?: Translated; required?: boolean; options?: { value: string; label: Translated }[]; sort?: number }

/** Options typed one per line: `value | label fr | label ar | label en`. */
export function parseOptionLines(s: string): { value: string; label: Translated }[] {
  return s.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).map((l) => {
    const [value, fr, ar, en] = l.split('|').map((x) => x.trim());
    const label: Translated = {};
    if (fr || value) label.fr = fr || value;
    if (ar) label.ar = ar;
    if (en) label.en = en;
    return { value: value.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').slice(0, 60), label };
  }).filter((o) => o.value);
}

export function optionLines(options: { value: string; label: Translated }[]): string {
  return options.map((o) => [o.value, o.label.fr ?? '', o.label.ar ?? '', o.label.en ?? ''].join(' | ').replace(/( \| )+$/, '')).join('\n');
}

export async function saveQuestion(ctx: Ctx, categoryId: number, questionId: number | null, input: unknown): Promise<number> {
  authorize(ctx, 'requests.configure');
  const d = parseInput(questionSchema, input);
  const options = parseOptionLines(d.options);
  if ((d.kind === 'single' || d.kind === 'multiple') && options.length < 2) throw new RuleError('requests.errors.options', {}, 'options');
  if (new Set(options.map((o) => o.value)).size !== options.length) throw new RuleError('requests.errors.optionsUnique', {}, 'options');
  return createOrUpdateQuestion(ctx, categoryId, questionId, {
    code: d.code, kind: d.kind, label: collectTranslated(d, 'label'), hint: collectTranslated(d, 'hint'), required: d.required,
    options: d.kind === 'single' || d.kind === 'multiple' ? options : [], sort: d.sort ?? 0,
  });
}

export async function createOrUpdateQuestion(ctx: Ctx, categoryId: number, questionId: number | null, q: QuestionInput): Promise<number> {
  return mutate(ctx, { permission: 'requests.configure', action: questionId ? 'request_question.update' : 'request_question.create', entity: 'request_category' }, async (trx) => {
    const db = rq(trx);
    const cat = await repo.findCategory(db, ctx.commune.id, { id: categoryId });
    if (!cat) throw new NotFoundError();
    const same = (await repo.questionsOf(db, ctx.commune.id, [categoryId])).find((x) => x.code === q.code);
    if (same && same.id !== questionId) throw new RuleError('requests.errors.codeTaken', {}, 'code');
    const values = { code: q.code, kind: q.kind, label: JSON.stringify(q.label), hint: JSON.stringify(q.hint ?? {}), required: q.required ? 1 : 0, options: JSON.stringify(q.options ?? []), sort: q.sort ?? 0 };
    if (questionId) {
      const before = await repo.findQuestion(db, ctx.commune.id, questionId);
      if (!before || before.category_id !== categoryId) throw new NotFoundError();
      await repo.saveSetting(db, 'request_questions', ctx.commune.id, questionId, values);
      return { result: questionId, entityId: `${cat.slug}/${q.code}`, before, after: values };
    }
    const id = await repo.saveSetting(db, 'request_questions', ctx.commune.id, null, { category_id: categoryId, ...values });
    return { result: id, entityId: `${cat.slug}/${q.code}`, after: values };
  });
}

export async function deleteQuestion(ctx: Ctx, categoryId: number, questionId: number): Promise<void> {
  await mutate(ctx, { permission: 'requests.configure', action: 'request_question.delete', entity: 'request_category' }, async (trx) => {
    const db = rq(trx);
    const before = await repo.findQuestion(db, ctx.commune.id, questionId);
    if (!before || before.category_id !== categoryId) throw new NotFoundError();
    await repo.deleteSetting(db, 'request_questions', ctx.commune.id, questionId);
    return { result: undefined, entityId: `${categoryId}/${before.code}`, before };
  });
}

// ---------- Districts ----------

export const districtSchema = z.object({
  slug: slug(),
  ...translatedFields('name', 200),
  population: optionalInt(0, 100_000_000),
  sample: checkbox(),
  sort: optionalInt(0, 10_000),
});

export interface DistrictInput { slug: string; name: Translated; population: number | null; sample?: boolean; sort?: number; geometry?: unknown }

export async function saveDistrict(ctx: Ctx, id: number | null, input: unknown): Promise<number> {
  authorize(ctx, 'requests.configure');
  const d = parseInput(districtSchema, input);
  return createOrUpdateDistrict(ctx, id, { slug: d.slug, name: collectTranslated(d, 'name'), population: d.population, sample: d.sample, sort: d.sort ?? 0 });
}

export async function createOrUpdateDistrict(ctx: Ctx, id: number | null, d: DistrictInput): Promise<number> {
  return mutate(ctx, { permission: 'requests.configure', action: id ? 'request_district.update' : 'request_district.create', entity: 'request_district' }, async (trx) => {
    const db = rq(trx);
    // An unknown id (another commune's, a guess) is not found, whatever the form says.
    const before = id ? await repo.findDistrict(db, ctx.commune.id, { id }) : undefined;
    if (id && !before) throw new NotFoundError();
    const other = await repo.findDistrict(db, ctx.commune.id, { slug: d.slug });
    if (other && other.id !== id) throw new RuleError('requests.errors.slugTaken', {}, 'slug');
    const values = {
      slug: d.slug, name: JSON.stringify(d.name), population: d.population, sample: d.sample ? 1 : 0, sort: d.sort ?? 0,
      ...(d.geometry !== undefined ? { geometry: d.geometry === null ? null : JSON.stringify(d.geometry) } : {}),
    };
    if (id && before) {
      await repo.saveSetting(db, 'request_districts', ctx.commune.id, id, values);
      return { result: id, entityId: d.slug, before: { ...before, geometry: before.geometry ? 'polygon' : null }, after: { ...values, geometry: values.geometry ? 'polygon' : values.geometry } };
    }
    const newId = await repo.saveSetting(db, 'request_districts', ctx.commune.id, null, { geometry: null, ...values });
    return { result: newId, entityId: d.slug, after: { ...values, geometry: values.geometry ? 'polygon' : null } };
  });
}

export async function districtForAdmin(ctx: Ctx, id: number) {
  authorize(ctx, 'requests.configure');
  const d = await repo.findDistrict(rq(ctx.db), ctx.commune.id, { id });
  if (!d) throw new NotFoundError();
  return d;
}

/**
 * Imports a GeoJSON FeatureCollection: each feature's polygon updates the district with the same
 * slug (or name), or adds a district. Requests already filed keep their district.
 */
export async function importDistricts(ctx: Ctx, geojson: string): Promise<{ added: number; updated: number }> {
  authorize(ctx, 'requests.configure');
  if (!geojson.trim()) throw new RuleError('errors.required', {}, 'file');
  const areas = parseDistrictsGeoJson(geojson);
  return mutate(ctx, { permission: 'requests.configure', action: 'request_district.import', entity: 'request_district' }, async (trx) => {
    const db = rq(trx);
    const existing = await repo.listDistricts(db, ctx.commune.id);
    let added = 0, updated = 0;
    for (const [i, a] of areas.entries()) {
      const match = existing.find((d) => d.slug === a.slug) ?? existing.find((d) => parseTranslated(d.name).fr?.toLowerCase() === a.name.fr?.toLowerCase());
      if (match) {
        await repo.saveSetting(db, 'request_districts', ctx.commune.id, match.id, { geometry: JSON.stringify(a.geometry), ...(a.population !== null ? { population: a.population } : {}) });
        updated++;
      } else {
        await repo.saveSetting(db, 'request_districts', ctx.commune.id, null, {
          slug: a.slug, name: JSON.stringify(a.name), population: a.population, geometry: JSON.stringify(a.geometry), sample: 0, sort: existing.length + i,
        });
        added++;
      }
    }
    return { result: { added, updated }, entityId: null, after: { added, updated, slugs: areas.map((a) => a.slug) } };
  });
}

// ---------- Response templates ----------

export const templateSchema = z.object({
  category_id: optionalInt(1),
  ...translatedFields('title', 200),
  ...translatedFields('body', 4000),
  sort: optionalInt(0, 10_000),
});

export interface TemplateInput { categoryId: number | null; title: Translated; body: Translated; sort?: number }

export async function saveTemplate(ctx: Ctx, id: number | null, input: unknown): Promise<number> {
  authorize(ctx, 'requests.configure');
  const d = parseInput(templateSchema, input);
  return createOrUpdateTemplate(ctx, id, { categoryId: d.category_id, title: collectTranslated(d, 'title'), body: collectTranslated(d, 'body'), sort: d.sort ?? 0 });
}

export async function createOrUpdateTemplate(ctx: Ctx, id: number | null, tpl: TemplateInput): Promise<number> {
  return mutate(ctx, { permission: 'requests.configure', action: id ? 'request_template.update' : 'request_template.create', entity: 'request_template' }, async (trx) => {
    const db = rq(trx);
    if (tpl.categoryId !== null && !(await repo.findCategory(db, ctx.commune.id, { id: tpl.categoryId }))) throw new RuleError('errors.choice', {}, 'category_id');
    const values = { category_id: tpl.categoryId, title: JSON.stringify(tpl.title), body: JSON.stringify(tpl.body), sort: tpl.sort ?? 0 };
    if (id) {
      const before = await repo.findTemplate(db, ctx.commune.id, id);
      if (!before) throw new NotFoundError();
      await repo.saveSetting(db, 'request_templates', ctx.commune.id, id, values);
      return { result: id, entityId: id, before, after: values };
    }
    const newId = await repo.saveSetting(db, 'request_templates', ctx.commune.id, null, values);
    return { result: newId, entityId: newId, after: values };
  });
}

export async function deleteTemplate(ctx: Ctx, id: number): Promise<void> {
  await mutate(ctx, { permission: 'requests.configure', action: 'request_template.delete', entity: 'request_template' }, async (trx) => {
    const db = rq(trx);
    const before = await repo.findTemplate(db, ctx.commune.id, id);
    if (!before) throw new NotFoundError();
    await repo.deleteSetting(db, 'request_templates', ctx.commune.id, id);
    return { result: undefined, entityId: id, before };
  });
}

export async function templatesFor(ctx: Ctx, categoryId?: number) {
  return (await repo.listTemplates(rq(ctx.db), ctx.commune.id, categoryId)).map((t) => ({ id: t.id, categoryId: t.category_id, title: parseTranslated(t.title), body: parseTranslated(t.body), sort: t.sort }));
}

export async function templateForAdmin(ctx: Ctx, id: number) {
  authorize(ctx, 'requests.configure');
  const t = await repo.findTemplate(rq(ctx.db), ctx.commune.id, id);
  if (!t) throw new NotFoundError();
  return t;
}

// ---------- Holidays (the core calendar the deadlines count with) ----------

export async function listHolidays(ctx: Ctx, year: number) {
  authorize(ctx, 'requests.configure');
  return repo.holidaysBetween(ctx.db, ctx.commune.id, `${year}-01-01`, `${year}-12-31`);
}

export const holidaySchema = z.object({ day: isoDate(), ...translatedFields('name', 200) });

export async function addHoliday(ctx: Ctx, input: unknown): Promise<string> {
  authorize(ctx, 'requests.configure');
  const d = parseInput(holidaySchema, input);
  return mutate(ctx, { permission: 'requests.configure', action: 'holiday.add', entity: 'holiday' }, async (trx) => {
    if (await repo.findHoliday(trx, ctx.commune.id, { day: d.day })) throw new RuleError('requests.errors.holidayExists', {}, 'day');
    await repo.insertHoliday(trx, { commune_id: ctx.commune.id, day: d.day, name: JSON.stringify(collectTranslated(d, 'name')), kind: 'other', confirmed: 1 });
    return { result: d.day, entityId: d.day, after: { day: d.day, name: collectTranslated(d, 'name') } };
  });
}

async function holidayRow(trx: AnyDB, ctx: Ctx, id: number) {
  const h = await repo.findHoliday(trx, ctx.commune.id, { id });
  if (!h) throw new NotFoundError();
  return h;
}

export async function removeHoliday(ctx: Ctx, id: number): Promise<string> {
  return mutate(ctx, { permission: 'requests.configure', action: 'holiday.remove', entity: 'holiday' }, async (trx) => {
    const h = await holidayRow(trx, ctx, id);
    await repo.deleteHoliday(trx, ctx.commune.id, id);
    return { result: h.day, entityId: h.day, before: h };
  });
}

export async function confirmHoliday(ctx: Ctx, id: number): Promise<string> {
  return mutate(ctx, { permission: 'requests.configure', action: 'holiday.confirm', entity: 'holiday' }, async (trx) => {
    const h = await holidayRow(trx, ctx, id);
    await repo.updateHoliday(trx, ctx.commune.id, id, { confirmed: 1 });
    return { result: h.day, entityId: h.day, before: h, after: { ...h, confirmed: 1 } };
  });
}

/** A Hijri holiday falls a day earlier or later than estimated: move it (it is then confirmed). */
export async function shiftHoliday(ctx: Ctx, id: number, input: unknown): Promise<string> {
  authorize(ctx, 'requests.configure');
  const { by } = parseInput(z.object({ by: oneOf(['-1', '1'] as const) }), input);
  const shifted = (day: string, n: number) => { const d = new Date(`${day}T12:00:00Z`); d.setUTCDate(d.getUTCDate() + n); return d.toISOString().slice(0, 10); };
  return mutate(ctx, { permission: 'requests.configure', action: 'holiday.shift', entity: 'holiday' }, async (trx) => {
    const h = await holidayRow(trx, ctx, id);
    // A feast of several days (Eid al-Adha: two) moves as a whole: the consecutive days with the same name.
    const near = await repo.holidaysBetween(trx, ctx.commune.id, shifted(h.day, -7), shifted(h.day, 7));
    const group = [h.day];
    for (let d = shifted(h.day, -1); near.some((x) => x.day === d && x.name === h.name); d = shifted(d, -1)) group.unshift(d);
    for (let d = shifted(h.day, 1); near.some((x) => x.day === d && x.name === h.name); d = shifted(d, 1)) group.push(d);
    const ids = near.filter((x) => group.includes(x.day)).map((x) => x.id);
    const targets = group.map((d) => shifted(d, Number(by)));
    if (near.some((x) => targets.includes(x.day) && !ids.includes(x.id))) throw new RuleError('requests.errors.holidayExists');
    // Two steps, so the unique (commune, day) never sees two rows on one day mid-way.
    for (const x of near.filter((n) => ids.includes(n.id))) {
      await repo.updateHoliday(trx, ctx.commune.id, x.id, { day: `~${x.id}` });
    }
    for (const x of near.filter((n) => ids.includes(n.id))) {
      await repo.updateHoliday(trx, ctx.commune.id, x.id, { day: shifted(x.day, Number(by)), confirmed: 1 });
    }
    const day = shifted(h.day, Number(by));
    return { result: day, entityId: h.day, before: { days: group }, after: { days: targets, confirmed: 1 } };
  });
}

/** Adds the estimated holidays of a year the calendar does not cover yet. */
export async function seedYear(ctx: Ctx, year: number): Promise<number> {
  authorize(ctx, 'requests.configure');
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new RuleError('errors.invalid');
  return mutate(ctx, { permission: 'requests.configure', action: 'holiday.seed_year', entity: 'holiday' }, async (trx) => {
    let added = 0;
    for (const h of estimateHolidays(year)) {
      if (await repo.findHoliday(trx, ctx.commune.id, { day: h.day })) continue;
      await repo.insertHoliday(trx, { commune_id: ctx.commune.id, day: h.day, name: JSON.stringify(h.name), kind: h.kind, confirmed: h.kind === 'fixed' ? 1 : 0 });
      added++;
    }
    return { result: added, entityId: String(year), after: { added } };
  });
}

// ---------- Heads of departments and operators (who receives escalations) ----------

export async function headsOverview(ctx: Ctx) {
  authorize(ctx, 'requests.configure');
  const db = rq(ctx.db);
  const [institutions, heads] = await Promise.all([repo.institutionsOfKinds(db, ctx.commune.id, ['department', 'operator']), repo.headsOf(db, ctx.commune.id)]);
  const out = [];
  for (const i of institutions) {
    out.push({ id: i.id, kind: i.kind, name: parseTranslated(i.name), head: heads.find((h) => h.institution_id === i.id) ?? null, staff: await repo.staffOf(db, ctx.commune.id, i.id) });
  }
  return out;
}

export async function setHead(ctx: Ctx, institutionId: number, input: unknown): Promise<void> {
  authorize(ctx, 'requests.configure');
  const { user_id } = parseInput(z.object({ user_id: optionalInt(1) }), input);
  await mutate(ctx, { permission: 'requests.configure', action: 'request_head.set', entity: 'institution' }, async (trx) => {
    const db = rq(trx);
    const inst = await repo.findInstitution(db, ctx.commune.id, institutionId);
    if (!inst || (inst.kind !== 'department' && inst.kind !== 'operator')) throw new NotFoundError();
    if (user_id !== null) {
      // The head is one of the institution's own staff: they can open the requests they are warned about.
      const staff = await repo.staffOf(db, ctx.commune.id, institutionId);
      if (!staff.some((s) => s.id === user_id)) throw new RuleError('requests.errors.notStaff', {}, `user_id`);
    }
    await repo.setHead(db, ctx.commune.id, institutionId, user_id);
    return { result: undefined, entityId: inst.slug, after: { headUserId: user_id } };
  });
}


