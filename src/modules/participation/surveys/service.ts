import { createHash, createHmac } from 'node:crypto';
import { z } from 'zod';
import { mutate, authorize, type Ctx } from '../../../core/service.ts';
import type { AnyDB } from '../../../core/db/index.ts';
import { NotFoundError, RuleError, ValidationError, UnauthenticatedError } from '../../../core/http/errors.ts';
import { parseInput, text, optionalText, email as emailField, isoDate, checkbox, oneOf, optionalInt, collectTranslated, translatedFields } from '../../../core/http/forms.ts';
import { parseTranslated, tr, type Locale, type Translated } from '../../../core/i18n/index.ts';
import { iso } from '../../../core/clock/index.ts';
import { localDay } from '../../../core/clock/working-days.ts';
import { randomToken } from '../../../core/auth/passwords.ts';
import { queueMail } from '../../../core/mail/index.ts';
import { publicOrigin } from '../../../core/http/origin.ts';
import { can } from '../../../core/auth/roles.ts';
import { listDistricts } from '../../requests/service.ts';
import { QUESTION_KINDS, type QuestionKind, type Channel } from './schema.ts';
import {
  parseAnswers, answerRows, answersToJson, answersFromJson, optionKeys, pct, rankResults, isOpen, SCALE_KEYS,
  type QuestionDef, type QuestionOption, type Answers, type Condition,
} from './rules.ts';
import * as repo from './repo.ts';
import { sv } from './repo.ts';
import { indexSurvey } from './search.ts';

export const MANAGE = 'surveys.manage';
export const PAPER = 'surveys.paper';
export const MODERATE = 'surveys.moderate';

// ---------- Types ----------

export interface Survey {
  id: number; slug: string; title: Translated; description: Translated; processId: number | null; opensAt: string; closesAt: string;
  resultsPublic: boolean; status: string; sample: boolean; open: boolean;
}
export interface Question extends QuestionDef { position: number; prompt: Translated; help: Translated }

const toSurvey = (r: repo.SurveyRow, day: string): Survey => {
  const s = {
    id: r.id, slug: r.slug, title: parseTranslated(r.title), description: parseTranslated(r.description), processId: r.process_id,
    opensAt: r.opens_at, closesAt: r.closes_at, resultsPublic: !!r.results_public, status: r.status, sample: !!r.sample, open: false,
  };
  s.open = isOpen(s, day);
  return s;
};
type QRow = Awaited<ReturnType<typeof repo.questionsOf>>[number];
const toQuestion = (r: QRow): Question => ({
  id: r.id, position: r.position, kind: r.kind as QuestionKind, prompt: parseTranslated(r.prompt), help: parseTranslated(r.help),
  options: JSON.parse(r.options) as QuestionOption[], maxChoices: r.max_choices, required: !!r.required,
  condition: r.condition ? (JSON.parse(r.condition) as Condition) : null,
});

export const today = (ctx: Ctx) => localDay(ctx.clock.now());

/** A district question's options are the commune's districts (requests module), by id. */
async function withDistricts(ctx: Ctx, questions: Question[]): Promise<Question[]> {
  if (!questions.some((q) => q.kind === 'district')) return questions;
  const districts = await listDistricts(ctx);
  const opts = districts.map((d) => ({ key: String(d.id), label: d.name }));
  return questions.map((q) => (q.kind === 'district' ? { ...q, options: opts } : q));
}

async function loadQuestions(db: AnyDB, ctx: Ctx, surveyId: number): Promise<Question[]> {
  return withDistricts(ctx, (await repo.questionsOf(sv(db), ctx.commune.id, surveyId)).map(toQuestion));
}

/** A published survey by its slug; a draft only for those who manage surveys. */
export async function getSurvey(ctx: Ctx, slug: string): Promise<{ survey: Survey; questions: Question[] }> {
  const r = await repo.findSurveyBySlug(sv(ctx.db), ctx.commune.id, slug);
  if (!r || (r.status !== 'published' && !can(ctx.actor, MANAGE))) throw new NotFoundError();
  return { survey: toSurvey(r, today(ctx)), questions: await loadQuestions(ctx.db, ctx, r.id) };
}

export async function getSurveyForAdmin(ctx: Ctx, id: number): Promise<{ survey: Survey; questions: Question[] }> {
  authorize(ctx, MANAGE);
  const r = await repo.findSurveyById(sv(ctx.db), ctx.commune.id, id);
  if (!r) throw new NotFoundError();
  return { survey: toSurvey(r, today(ctx)), questions: await loadQuestions(ctx.db, ctx, r.id) };
}

/** For the paper entry: the counter agent needs the survey's questions, not its management. */
export async function getSurveyForPaper(ctx: Ctx, id: number): Promise<{ survey: Survey; questions: Question[] }> {
  authorize(ctx, PAPER);
  const r = await repo.findSurveyById(sv(ctx.db), ctx.commune.id, id);
  if (!r || r.status !== 'published') throw new NotFoundError();
  return { survey: toSurvey(r, today(ctx)), questions: await loadQuestions(ctx.db, ctx, r.id) };
}

export const PAGE_SIZE = 20;

export async function listSurveys(ctx: Ctx, page = 1, admin = false): Promise<{ items: Survey[]; total: number }> {
  if (admin) authorize(ctx, MANAGE);
  const db = sv(ctx.db);
  const [rows, total] = await Promise.all([
    repo.listSurveys(db, ctx.commune.id, !admin, PAGE_SIZE, (page - 1) * PAGE_SIZE),
    repo.countSurveys(db, ctx.commune.id, !admin),
  ]);
  const day = today(ctx);
  return { items: rows.map((r) => toSurvey(r, day)), total };
}

/** Surveys the counter agent may enter paper forms for: the published ones. */
export async function listPaperSurveys(ctx: Ctx): Promise<Survey[]> {
  authorize(ctx, PAPER);
  const day = today(ctx);
  return (await repo.listSurveys(sv(ctx.db), ctx.commune.id, true, 100, 0)).map((r) => toSurvey(r, day));
}

// ---------- Management ----------

const SLUG = z.preprocess((v) => String(v ?? '').trim(), z.string().min(1).max(80).regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { error: 'surveys.errors.slug' }));
const surveySchema = z.object({
  ...translatedFields('title', 200),
  ...translatedFields('description', 4000, false),
  opens_at: isoDate(), closes_at: isoDate(), results_public: checkbox(), process_id: optionalInt(1),
});

export interface SurveyInput {
  slug: string; title: Translated; description?: Translated; opensAt: string; closesAt: string; resultsPublic: boolean;
  processId?: number | null; sample?: boolean;
}

export function surveyFromForm(body: unknown, withSlug: boolean): SurveyInput {
  const d = parseInput(withSlug ? surveySchema.extend({ slug: SLUG }) : surveySchema, body) as z.output<typeof surveySchema> & { slug?: string };
  if (d.closes_at < d.opens_at) throw new ValidationError({ closes_at: { key: 'surveys.errors.closesBeforeOpens' } });
  return {
    slug: d.slug ?? '', title: collectTranslated(d, 'title'), description: collectTranslated(d, 'description'),
    opensAt: d.opens_at, closesAt: d.closes_at, resultsPublic: d.results_public, processId: d.process_id ?? null,
  };
}

export async function createSurvey(ctx: Ctx, s: SurveyInput): Promise<number> {
  return mutate(ctx, { permission: MANAGE, action: 'survey.create', entity: 'survey' }, async (trx) => {
    const db = sv(trx);
    if (await repo.findSurveyBySlug(db, ctx.commune.id, s.slug)) throw new RuleError('surveys.errors.slugTaken', {}, 'slug');
    const { id } = await db.insertInto('surveys').values({
      commune_id: ctx.commune.id, slug: s.slug, title: JSON.stringify(s.title), description: JSON.stringify(s.description ?? {}),
      process_id: s.processId ?? null, opens_at: s.opensAt, closes_at: s.closesAt, results_public: s.resultsPublic ? 1 : 0,
      status: 'draft', sample: s.sample ? 1 : 0, created_at: iso(ctx.clock.now()),
    }).returning('id').executeTakeFirstOrThrow();
    await indexSurvey(trx, ctx.commune.id, id);
    return { result: id, entityId: s.slug, after: s };
  });
}

export async function updateSurvey(ctx: Ctx, id: number, s: Omit<SurveyInput, 'slug'>): Promise<void> {
  await mutate(ctx, { permission: MANAGE, action: 'survey.update', entity: 'survey' }, async (trx) => {
    const db = sv(trx);
    const before = await repo.findSurveyById(db, ctx.commune.id, id);
    if (!before) throw new NotFoundError();
    await db.updateTable('surveys').set({
      title: JSON.stringify(s.title), description: JSON.stringify(s.description ?? {}), process_id: s.processId ?? null,
      opens_at: s.opensAt, closes_at: s.closesAt, results_public: s.resultsPublic ? 1 : 0,
    }).where('commune_id', '=', ctx.commune.id).where('id', '=', id).execute();
    await indexSurvey(trx, ctx.commune.id, id);
    return { result: undefined, entityId: before.slug, before, after: s };
  });
}

/** Publishing makes the survey public (answers are taken between its dates); a survey without questions stays a draft. */
export async function setStatus(ctx: Ctx, id: number, status: string): Promise<void> {
  if (status !== 'draft' && status !== 'published') throw new ValidationError({ status: { key: 'errors.choice' } });
  await mutate(ctx, { permission: MANAGE, action: `survey.${status === 'published' ? 'publish' : 'unpublish'}`, entity: 'survey' }, async (trx) => {
    const db = sv(trx);
    const s = await repo.findSurveyById(db, ctx.commune.id, id);
    if (!s) throw new NotFoundError();
    if (status === 'published' && !(await repo.questionsOf(db, ctx.commune.id, id)).length) throw new RuleError('surveys.errors.noQuestions');
    await db.updateTable('surveys').set({ status }).where('commune_id', '=', ctx.commune.id).where('id', '=', id).execute();
    await indexSurvey(trx, ctx.commune.id, id);
    return { result: undefined, entityId: s.slug, before: { status: s.status }, after: { status } };
  });
}

export interface QuestionInput {
  kind: QuestionKind; prompt: Translated; help?: Translated; options: QuestionOption[]; maxChoices?: number | null; required: boolean;
  condition?: Condition | null;
}

const questionSchema = z.object({
  kind: oneOf(QUESTION_KINDS), ...translatedFields('prompt', 500), ...translatedFields('help', 1000, false),
  options: optionalText(5000), max_choices: optionalInt(1, 50), required: checkbox(),
  condition_question: optionalInt(1), condition_options: optionalText(500),
});

/**
 * A question from the staff form. Options: one per line, `fr | ar | en` (a scale's five lines label its points; a
 * district question takes the commune's districts). The condition names an earlier question and its option
 * numbers (1, 2…), comma-separated.
 */
export function questionFromForm(body: unknown): QuestionInput & { conditionOptionNumbers: number[] } {
  const d = parseInput(questionSchema, body);
  const lines = d.options.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const options = lines.map((l, i) => {
    const [fr, ar, en] = l.split('|').map((x) => x.trim());
    return { key: String(i + 1), label: Object.fromEntries(Object.entries({ fr, ar, en }).filter(([, v]) => v)) as Translated };
  });
  const needsOptions = ['single', 'multiple', 'ranking'].includes(d.kind);
  if (needsOptions && options.length < 2) throw new ValidationError({ options: { key: 'surveys.errors.twoOptions' } });
  if (d.kind === 'scale' && options.length && options.length !== 5) throw new ValidationError({ options: { key: 'surveys.errors.fiveLabels' } });
  const nums = d.condition_options.split(/[,;\s]+/).filter(Boolean).map(Number);
  if (nums.some((n) => !Number.isInteger(n) || n < 1)) throw new ValidationError({ condition_options: { key: 'errors.invalid' } });
  if (d.condition_question && !nums.length) throw new ValidationError({ condition_options: { key: 'errors.required' } });
  return {
    kind: d.kind, prompt: collectTranslated(d, 'prompt'), help: collectTranslated(d, 'help'),
    options: needsOptions || d.kind === 'scale' ? options : [], maxChoices: d.kind === 'multiple' ? d.max_choices ?? null : null,
    required: d.required, condition: d.condition_question ? { questionId: d.condition_question, anyOf: nums.map(String) } : null,
    conditionOptionNumbers: nums,
  };
}

export async function addQuestion(ctx: Ctx, surveyId: number, q: QuestionInput): Promise<number> {
  return mutate(ctx, { permission: MANAGE, action: 'survey.question.add', entity: 'survey' }, async (trx) => {
    const db = sv(trx);
    const s = await repo.findSurveyById(db, ctx.commune.id, surveyId);
    if (!s) throw new NotFoundError();
    const existing = (await repo.questionsOf(db, ctx.commune.id, surveyId)).map(toQuestion);
    if (q.condition) {
      // Only on an earlier question with options, and on options it has.
      const target = existing.find((e) => e.id === q.condition!.questionId);
      if (!target || !['single', 'multiple', 'ranking', 'scale', 'district'].includes(target.kind)) throw new RuleError('surveys.errors.conditionQuestion', {}, 'condition_question');
      const keys = target.kind === 'district' ? null : optionKeys(target);
      if (keys && q.condition.anyOf.some((k) => !keys.includes(k))) throw new RuleError('surveys.errors.conditionOptions', {}, 'condition_options');
    }
    const position = existing.length ? Math.max(...existing.map((e) => e.position)) + 1 : 1;
    const { id } = await db.insertInto('survey_questions').values({
      commune_id: ctx.commune.id, survey_id: surveyId, position, kind: q.kind, prompt: JSON.stringify(q.prompt), help: JSON.stringify(q.help ?? {}),
      options: JSON.stringify(q.options), max_choices: q.maxChoices ?? null, required: q.required ? 1 : 0,
      condition: q.condition ? JSON.stringify(q.condition) : null,
    }).returning('id').executeTakeFirstOrThrow();
    return { result: id, entityId: s.slug, after: { question: id, kind: q.kind, position } };
  });
}

/** Removes a question while nobody answered the survey (answers would lose their meaning); its dependants go too. */
export async function removeQuestion(ctx: Ctx, surveyId: number, questionId: number): Promise<void> {
  await mutate(ctx, { permission: MANAGE, action: 'survey.question.remove', entity: 'survey' }, async (trx) => {
    const db = sv(trx);
    const s = await repo.findSurveyById(db, ctx.commune.id, surveyId);
    if (!s) throw new NotFoundError();
    const any = await db.selectFrom('survey_responses').select('id').where('commune_id', '=', ctx.commune.id).where('survey_id', '=', surveyId).limit(1).executeTakeFirst();
    if (any) throw new RuleError('surveys.errors.hasAnswers');
    const qs = (await repo.questionsOf(db, ctx.commune.id, surveyId)).map(toQuestion);
    if (!qs.some((q) => q.id === questionId)) throw new NotFoundError();
    const gone = new Set([questionId]);
    for (const q of qs) if (q.condition && gone.has(q.condition.questionId)) gone.add(q.id);
    await db.deleteFrom('survey_questions').where('commune_id', '=', ctx.commune.id).where('survey_id', '=', surveyId).where('id', 'in', [...gone]).execute();
    return { result: undefined, entityId: s.slug, before: { questions: [...gone] } };
  });
}

// ---------- Answering ----------

let secretCache: WeakMap<object, Promise<string>> = new WeakMap();
/** The installation's secret (the cookie secret), for the keys that stand for an email address. */
function secret(db: AnyDB): Promise<string> {
  let s = secretCache.get(db);
  if (!s) {
    s = db.selectFrom('settings').select('value').where('key', '=', 'cookie_secret').executeTakeFirst().then((r: { value: string } | undefined) => r?.value ?? 'commune');
    secretCache.set(db, s);
  }
  return s;
}
export function resetSecretCache() { secretCache = new WeakMap(); }

/** The respondent key of an email address: a keyed hash, so the address itself is never stored. */
export async function emailKey(ctx: Ctx, address: string): Promise<string> {
  const mac = createHmac('sha256', `survey-email:${await secret(ctx.db)}`).update(`${ctx.commune.id}:${address.trim().toLowerCase()}`).digest('base64url');
  return `e:${mac}`;
}
const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/** The district of a response: the first district question's answer, else 0 (none). */
function districtOf(questions: Question[], answers: Answers): number {
  for (const q of questions) {
    if (q.kind !== 'district') continue;
    const a = answers.get(q.id);
    if (a && 'options' in a) return Number(a.options[0]) || 0;
  }
  return 0;
}

/** Replaces a response's answer rows (the summary tables follow through their triggers). */
async function writeAnswers(db: repo.SvDB, ctx: Ctx, survey: { id: number }, responseId: number, questions: Question[], answers: Answers, channel: string, districtId: number) {
  await db.deleteFrom('survey_answers').where('commune_id', '=', ctx.commune.id).where('response_id', '=', responseId).execute();
  const rows = [];
  for (const q of questions) {
    const a = answers.get(q.id);
    if (!a) continue;
    for (const r of answerRows(q, a)) {
      rows.push({
        commune_id: ctx.commune.id, survey_id: survey.id, response_id: responseId, question_id: q.id, channel, district_id: districtId,
        ...r, text_status: r.text === null ? null : 'pending',
      });
    }
  }
  if (rows.length) await db.insertInto('survey_answers').values(rows).execute();
}

export interface Submitted { status: 'saved' | 'updated' | 'pending' }

function checkAnswers(questions: Question[], body: unknown): Answers {
  const { answers, errors } = parseAnswers(questions, body);
  if (Object.keys(errors).length) throw new ValidationError(errors);
  if (!answers.size) throw new RuleError('surveys.errors.empty');
  return answers;
}

/**
 * A citizen's answer: signed in (their account is the respondent), or with an email address that a link then
 * confirms (nothing counts before). Answering again replaces the answer until the survey closes.
 */
export async function submitAnswer(ctx: Ctx, slug: string, body: unknown): Promise<Submitted> {
  const { survey, questions } = await getSurvey(ctx, slug);
  if (!survey.open) throw new RuleError('surveys.errors.closed');
  const answers = checkAnswers(questions, body);
  const districtId = districtOf(questions, answers);
  const now = iso(ctx.clock.now());
  if (ctx.actor) {
    const userId = ctx.actor.userId;
    return mutate(ctx, { permission: null, action: 'survey.answer', entity: 'survey', groupCommit: true }, async (trx) => {
      const db = sv(trx);
      const key = `u:${userId}`;
      // The unique constraint decides: of parallel first submissions one inserts, the others update it.
      const ins = await db.insertInto('survey_responses').values({
        commune_id: ctx.commune.id, survey_id: survey.id, respondent_key: key, user_id: userId, channel: 'web', entered_by: null,
        district_id: districtId, status: 'confirmed', token_hash: null, pending: null, locale: ctx.locale, sample: 0, created_at: now, updated_at: now,
      }).onConflict((oc) => oc.columns(['commune_id', 'survey_id', 'respondent_key']).doNothing()).returning('id').executeTakeFirst();
      let id = ins?.id;
      if (!id) {
        const existing = await repo.findResponse(db, ctx.commune.id, survey.id, key);
        if (!existing) throw new Error('survey response vanished');
        id = existing.id;
        await db.updateTable('survey_responses').set({ district_id: districtId, updated_at: now }).where('commune_id', '=', ctx.commune.id).where('id', '=', id).execute();
      }
      await writeAnswers(db, ctx, survey, id, questions, answers, 'web', districtId);
      return { result: { status: ins?.id ? 'saved' : 'updated' } as Submitted, entityId: survey.slug, after: { channel: 'web', updated: !ins?.id } };
    });
  }
  const address = parseInput(z.object({ email: emailField() }), body).email;
  const key = await emailKey(ctx, address);
  const token = randomToken(24);
  return mutate(ctx, { permission: null, action: 'survey.answer.email', entity: 'survey', groupCommit: true }, async (trx) => {
    const db = sv(trx);
    // The answers wait on the response until the link is followed; an earlier confirmed answer counts meanwhile.
    const ins = await db.insertInto('survey_responses').values({
      commune_id: ctx.commune.id, survey_id: survey.id, respondent_key: key, user_id: null, channel: 'email', entered_by: null,
      district_id: 0, status: 'pending', token_hash: tokenHash(token), pending: answersToJson(answers), locale: ctx.locale, sample: 0, created_at: now, updated_at: now,
    }).onConflict((oc) => oc.columns(['commune_id', 'survey_id', 'respondent_key']).doNothing()).returning('id').executeTakeFirst();
    if (!ins) {
      await db.updateTable('survey_responses').set({ token_hash: tokenHash(token), pending: answersToJson(answers), locale: ctx.locale, updated_at: now })
        .where('commune_id', '=', ctx.commune.id).where('survey_id', '=', survey.id).where('respondent_key', '=', key).execute();
    }
    const t = ctx.tFor(ctx.locale);
    const link = `${publicOrigin(ctx.config, ctx.commune)}/${ctx.locale}/surveys/${survey.slug}/confirm/${token}`;
    await queueMail(trx, {
      communeId: ctx.commune.id, to: address,
      subject: t('surveys.mail.confirmSubject', { title: tr(survey.title, ctx.locale) }),
      text: t('surveys.mail.confirmBody', { title: tr(survey.title, ctx.locale), link, closes: survey.closesAt }),
    });
    return { result: { status: 'pending' } as Submitted, entityId: survey.slug, after: { channel: 'email', confirmed: false } };
  });
}

/** Whether a confirmation link is valid (the page then asks to confirm with a button). */
export async function checkToken(ctx: Ctx, slug: string, token: string): Promise<Survey> {
  const { survey } = await getSurvey(ctx, slug);
  const r = await repo.findResponseByToken(sv(ctx.db), ctx.commune.id, tokenHash(token));
  if (!r || r.survey_id !== survey.id || !r.pending) throw new NotFoundError();
  return survey;
}

/** Following the emailed link: the pending answers become the person's answer (counted once, replacing an earlier one). */
export async function confirmAnswer(ctx: Ctx, slug: string, token: string): Promise<void> {
  const { survey, questions } = await getSurvey(ctx, slug);
  if (!survey.open) throw new RuleError('surveys.errors.closed');
  await mutate(ctx, { permission: null, action: 'survey.answer.confirm', entity: 'survey' }, async (trx) => {
    const db = sv(trx);
    const r = await repo.findResponseByToken(db, ctx.commune.id, tokenHash(token));
    if (!r || r.survey_id !== survey.id || !r.pending) throw new NotFoundError();
    const answers = answersFromJson(r.pending);
    if (!answers.size) throw new RuleError('surveys.errors.empty');
    const districtId = districtOf(questions, answers);
    await db.updateTable('survey_responses').set({ status: 'confirmed', token_hash: null, pending: null, district_id: districtId, updated_at: iso(ctx.clock.now()) })
      .where('commune_id', '=', ctx.commune.id).where('id', '=', r.id).execute();
    await writeAnswers(db, ctx, survey, r.id, questions, answers, 'email', districtId);
    return { result: undefined, entityId: survey.slug, after: { channel: 'email', confirmed: true } };
  });
}

/** A paper form entered by a counter agent: marked paper, the agent recorded; each form is one respondent. */
export async function submitPaper(ctx: Ctx, surveyId: number, body: unknown, opts: { sample?: boolean } = {}): Promise<void> {
  const { survey, questions } = await getSurveyForPaper(ctx, surveyId);
  if (!survey.open && !opts.sample) throw new RuleError('surveys.errors.closed');
  const answers = checkAnswers(questions, body);
  const districtId = districtOf(questions, answers);
  const agent = ctx.actor!.userId;
  const now = iso(ctx.clock.now());
  await mutate(ctx, { permission: PAPER, action: 'survey.answer.paper', entity: 'survey', groupCommit: true }, async (trx) => {
    const db = sv(trx);
    const { id } = await db.insertInto('survey_responses').values({
      commune_id: ctx.commune.id, survey_id: survey.id, respondent_key: `p:${randomToken(12)}`, user_id: null, channel: 'paper', entered_by: agent,
      district_id: districtId, status: 'confirmed', token_hash: null, pending: null, locale: ctx.locale, sample: opts.sample ? 1 : 0, created_at: now, updated_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await writeAnswers(db, ctx, survey, id, questions, answers, 'paper', districtId);
    return { result: undefined, entityId: survey.slug, after: { channel: 'paper' } };
  });
}

/** The signed-in respondent's own answer, to fill the form again (editable until the survey closes). */
export async function myAnswers(ctx: Ctx, survey: Survey, questions: Question[]): Promise<Record<string, unknown> | null> {
  if (!ctx.actor) return null;
  const db = sv(ctx.db);
  const r = await repo.findResponse(db, ctx.commune.id, survey.id, `u:${ctx.actor.userId}`);
  if (!r) return null;
  const rows = await repo.answersOfResponse(db, ctx.commune.id, r.id);
  const values: Record<string, unknown> = {};
  for (const q of questions) {
    const mine = rows.filter((x) => x.question_id === q.id);
    if (!mine.length) continue;
    if (q.kind === 'ranking') for (const x of mine) values[`q${q.id}_${x.option_key}`] = String(x.rank);
    else if (q.kind === 'multiple') values[`q${q.id}`] = mine.map((x) => x.option_key);
    else if (q.kind === 'short_text' || q.kind === 'long_text') values[`q${q.id}`] = mine[0].text;
    else values[`q${q.id}`] = mine[0].option_key;
  }
  return values;
}

// ---------- Results ----------

export interface OptionResult { key: string; label: Translated; n: number; pct: number; points: number; firsts: number; firstShare: number }
export interface QuestionResult {
  question: Question; answered: number; options: OptionResult[];
  byChannel: Record<string, { answered: number; counts: Record<string, number> }>;
  byDistrict: Record<string, { answered: number; counts: Record<string, number> }>;
}
export interface Results {
  survey: Survey; respondents: number; byChannel: Record<string, number>; byDistrict: { id: number; name: Translated; n: number }[];
  questions: QuestionResult[];
}

export function mayReadResults(ctx: Ctx, survey: Survey): boolean {
  return survey.resultsPublic || can(ctx.actor, MANAGE);
}

/** A survey's results, from the summary tables alone (a few hundred rows whatever the number of answers). */
export async function results(ctx: Ctx, slug: string): Promise<Results> {
  const { survey, questions } = await getSurvey(ctx, slug);
  if (!mayReadResults(ctx, survey)) throw new NotFoundError();
  const db = sv(ctx.db);
  const [resp, opts, qcounts, districts] = await Promise.all([
    repo.responseCounts(db, ctx.commune.id, survey.id), repo.optionCounts(db, ctx.commune.id, survey.id),
    repo.questionCounts(db, ctx.commune.id, survey.id), listDistricts(ctx),
  ]);
  const byChannel: Record<string, number> = {};
  const byDistrictN = new Map<number, number>();
  let respondents = 0;
  for (const r of resp) {
    respondents += Number(r.n);
    byChannel[r.channel] = (byChannel[r.channel] ?? 0) + Number(r.n);
    byDistrictN.set(r.district_id, (byDistrictN.get(r.district_id) ?? 0) + Number(r.n));
  }
  const names = new Map(districts.map((d) => [d.id, d.name]));
  const byDistrict = [...byDistrictN].filter(([id]) => id !== 0).map(([id, n]) => ({ id, name: names.get(id) ?? { fr: String(id) }, n }))
    .sort((a, b) => b.n - a.n);
  const none = byDistrictN.get(0);
  if (none) byDistrict.push({ id: 0, name: {}, n: none });

  const out: QuestionResult[] = questions.map((q) => {
    const keys = optionKeys(q);
    const labels = new Map(q.kind === 'scale' ? SCALE_KEYS.map((k, i) => [k, q.options[i]?.label ?? { fr: k, ar: k, en: k }]) : q.options.map((o) => [o.key, o.label]));
    const mine = opts.filter((o) => o.question_id === q.id);
    const agg = new Map<string, { n: number; points: number; firsts: number }>();
    const qr: QuestionResult = { question: q, answered: 0, options: [], byChannel: {}, byDistrict: {} };
    for (const o of mine) {
      const a = agg.get(o.option_key) ?? { n: 0, points: 0, firsts: 0 };
      a.n += Number(o.n); a.points += Number(o.points); a.firsts += Number(o.firsts);
      agg.set(o.option_key, a);
      const c = (qr.byChannel[o.channel] ??= { answered: 0, counts: {} });
      c.counts[o.option_key] = (c.counts[o.option_key] ?? 0) + Number(o.n);
      const d = (qr.byDistrict[String(o.district_id)] ??= { answered: 0, counts: {} });
      d.counts[o.option_key] = (d.counts[o.option_key] ?? 0) + Number(o.n);
    }
    for (const c of qcounts.filter((x) => x.question_id === q.id)) {
      qr.answered += Number(c.n);
      (qr.byChannel[c.channel] ??= { answered: 0, counts: {} }).answered += Number(c.n);
      (qr.byDistrict[String(c.district_id)] ??= { answered: 0, counts: {} }).answered += Number(c.n);
    }
    const rows = keys.map((k) => {
      const a = agg.get(k) ?? { n: 0, points: 0, firsts: 0 };
      return { key: k, label: labels.get(k) ?? { fr: k }, n: a.n, pct: pct(a.n, qr.answered), points: a.points, firsts: a.firsts, firstShare: pct(a.firsts, qr.answered) };
    });
    qr.options = q.kind === 'ranking' ? rankResults(rows, keys) : rows;
    return qr;
  });
  return { survey, respondents, byChannel, byDistrict, questions: out };
}

// ---------- Free texts: moderated before any is public ----------

export async function listTexts(ctx: Ctx, surveyId: number, status: string, page: number) {
  authorize(ctx, MODERATE);
  const r = await repo.findSurveyById(sv(ctx.db), ctx.commune.id, surveyId);
  if (!r) throw new NotFoundError();
  const st = ['pending', 'approved', 'rejected'].includes(status) ? status : 'pending';
  const db = sv(ctx.db);
  const [items, total, questions] = await Promise.all([
    repo.texts(db, ctx.commune.id, surveyId, st, PAGE_SIZE, (page - 1) * PAGE_SIZE), repo.countTexts(db, ctx.commune.id, surveyId, st),
    loadQuestions(ctx.db, ctx, surveyId),
  ]);
  return { survey: toSurvey(r, today(ctx)), status: st, items, total, questions };
}

export async function moderateText(ctx: Ctx, surveyId: number, answerId: number, status: 'approved' | 'rejected'): Promise<void> {
  await mutate(ctx, { permission: MODERATE, action: `survey.text.${status === 'approved' ? 'approve' : 'reject'}`, entity: 'survey_text' }, async (trx) => {
    const db = sv(trx);
    const a = await db.selectFrom('survey_answers').select(['id', 'text_status']).where('commune_id', '=', ctx.commune.id)
      .where('survey_id', '=', surveyId).where('id', '=', answerId).where('text', 'is not', null).executeTakeFirst();
    if (!a) throw new NotFoundError();
    await db.updateTable('survey_answers').set({ text_status: status }).where('commune_id', '=', ctx.commune.id).where('id', '=', answerId).execute();
    return { result: undefined, entityId: answerId, before: { status: a.text_status }, after: { status } };
  });
}

/** The approved free texts, for the public results (paginated in SQL). */
export async function approvedTexts(ctx: Ctx, survey: Survey, page: number) {
  const db = sv(ctx.db);
  const [items, total] = await Promise.all([
    repo.texts(db, ctx.commune.id, survey.id, 'approved', PAGE_SIZE, (page - 1) * PAGE_SIZE), repo.countTexts(db, ctx.commune.id, survey.id, 'approved'),
  ]);
  return { items, total };
}

// ---------- Export of anonymous answers ----------

/**
 * The confirmed answers, one line per response and one column per question, in batches: no respondent key,
 * account, email, agent or time; free texts only once approved. Streams: a batch of 500 responses at a time.
 */
export async function* exportRows(ctx: Ctx, slug: string): AsyncGenerator<unknown[]> {
  const { survey, questions } = await getSurvey(ctx, slug);
  if (!mayReadResults(ctx, survey)) throw new NotFoundError();
  const locale = ctx.locale as Locale;
  yield ['response', 'channel', 'district', 'sample', ...questions.map((q) => `q${q.position}`)];
  const districts = new Map((await listDistricts(ctx)).map((d) => [d.id, d.slug]));
  const db = sv(ctx.db);
  let n = 0;
  for (let after = 0; ;) {
    const rs = await repo.exportResponses(db, ctx.commune.id, survey.id, after, 500);
    if (!rs.length) return;
    const answers = await repo.exportAnswers(db, ctx.commune.id, rs.map((r) => r.id));
    const byResponse = new Map<number, typeof answers>();
    for (const a of answers) { const l = byResponse.get(a.response_id) ?? []; l.push(a); byResponse.set(a.response_id, l); }
    for (const r of rs) {
      const mine = byResponse.get(r.id) ?? [];
      yield [++n, r.channel, r.district_id ? districts.get(r.district_id) ?? '' : '', r.sample ? 1 : 0, ...questions.map((q) => {
        const xs = mine.filter((a) => a.question_id === q.id);
        if (q.kind === 'short_text' || q.kind === 'long_text') return xs[0]?.text_status === 'approved' ? xs[0].text : '';
        if (q.kind === 'ranking') return xs.sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0)).map((a) => a.option_key).join('>');
        if (q.kind === 'district') return xs.map((a) => districts.get(Number(a.option_key)) ?? '').join(';');
        return xs.map((a) => a.option_key).join(';');
      })];
    }
    after = rs[rs.length - 1].id;
  }
  void locale;
}



// ---------- Sample answers (demo and benchmark) ----------

/** A small deterministic generator, so the demo's figures are the same on every install. */
export function sampler(seed: number) {
  let s = seed >>> 0 || 1;
  const next = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
  const weighted = <T>(items: T[], weights: number[]): T => {
    const total = weights.reduce((a, b) => a + b, 0);
    let r = next() * total;
    for (let i = 0; i < items.length; i++) { r -= weights[i]; if (r < 0) return items[i]; }
    return items[items.length - 1];
  };
  return { next, weighted };
}

const SAMPLE_TEXTS = [
  'Plus de bancs et d’ombre dans les jardins du quartier.', 'إنارة الأزقة في المدينة العتيقة.', 'Des horaires de bus affichés aux arrêts.',
  'Un guichet unique pour les associations.', 'Publier le budget en langage simple.', 'ملاعب القرب للشباب في الأحياء الطرفية.',
];

/**
 * Loads `count` sample answers (marked sample) in one change, with channels and districts spread out and options
 * weighted by `weights` (the same for every question), for the demo and the benchmark.
 */
export async function loadSampleAnswers(ctx: Ctx, surveyId: number, count: number, opts: { seed?: number; weights?: number[]; batch?: number } = {}): Promise<number> {
  authorize(ctx, MANAGE);
  const r = await repo.findSurveyById(sv(ctx.db), ctx.commune.id, surveyId);
  if (!r) throw new NotFoundError();
  const questions = await loadQuestions(ctx.db, ctx, surveyId);
  const rnd = sampler(opts.seed ?? 7);
  const channels: Channel[] = ['web', 'email', 'paper'];
  const start = Number((await ctx.db.selectFrom('survey_responses' as any).select((eb: any) => eb.fn.countAll().as('n')).where('commune_id', '=', ctx.commune.id).where('survey_id', '=', surveyId).executeTakeFirstOrThrow() as any).n);
  const batch = opts.batch ?? 2000;
  const now = iso(ctx.clock.now());
  for (let from = 0; from < count; from += batch) {
    const n = Math.min(batch, count - from);
    await mutate(ctx, { permission: MANAGE, action: 'survey.sample.load', entity: 'survey' }, async (trx) => {
      const db = sv(trx);
      for (let i = 0; i < n; i++) {
        const answers: Answers = new Map();
        for (const q of questions) {
          const keys = optionKeys(q);
          const w = keys.map((_, j) => opts.weights?.[j] ?? 1 + ((j * 7) % 5));
          if (q.condition && !visibleFor(q, answers)) continue;
          if (!q.required && rnd.next() < 0.1) continue;
          if (q.kind === 'ranking') {
            const left = [...keys]; const lw = [...w]; const order: string[] = [];
            const depth = Math.max(1, Math.round(keys.length * (0.5 + rnd.next() / 2)));
            while (order.length < depth && left.length) {
              const k = rnd.weighted(left, lw); const j = left.indexOf(k); order.push(k); left.splice(j, 1); lw.splice(j, 1);
            }
            answers.set(q.id, { ranking: order });
          } else if (q.kind === 'multiple') {
            const max = q.maxChoices ?? keys.length;
            const pick = [...new Set(Array.from({ length: 1 + Math.floor(rnd.next() * max) }, () => rnd.weighted(keys, w)))];
            answers.set(q.id, { options: keys.filter((k) => pick.includes(k)) });
          } else if (q.kind === 'short_text' || q.kind === 'long_text') {
            if (rnd.next() < 0.3) answers.set(q.id, { text: SAMPLE_TEXTS[Math.floor(rnd.next() * SAMPLE_TEXTS.length)] });
          } else if (keys.length) {
            answers.set(q.id, { options: [rnd.weighted(keys, q.kind === 'district' ? keys.map(() => 1) : w)] });
          }
        }
        const channel = rnd.weighted(channels, [5, 2, 3]);
        const districtId = districtOf(questions, answers);
        const { id } = await db.insertInto('survey_responses').values({
          commune_id: ctx.commune.id, survey_id: surveyId, respondent_key: `s:${start + from + i + 1}`, user_id: null, channel, entered_by: null,
          district_id: districtId, status: 'confirmed', token_hash: null, pending: null, locale: 'fr', sample: 1, created_at: now, updated_at: now,
        }).returning('id').executeTakeFirstOrThrow();
        await writeAnswers(db, ctx, { id: surveyId }, id, questions, answers, channel, districtId);
      }
      return { result: undefined, entityId: r.slug, after: { sample: n } };
    });
  }
  return count;
}

function visibleFor(q: Question, answers: Answers): boolean {
  const c = q.condition!;
  const a = answers.get(c.questionId);
  const chosenKeys = !a ? [] : 'options' in a ? a.options : 'ranking' in a ? a.ranking.slice(0, 1) : [];
  return chosenKeys.some((k) => c.anyOf.includes(k));
}
