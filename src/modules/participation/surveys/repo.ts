import type { Kysely } from 'kysely';
import type { CoreTables } from '../../../core/db/tables.ts';
import type { AnyDB } from '../../../core/db/index.ts';
import type { SurveyTables } from './schema.ts';

/** The only place with the surveys' SQL. Public reads name their columns and never select a respondent's identity. */
export type SvDB = Kysely<CoreTables & SurveyTables>;
export const sv = (db: AnyDB): SvDB => (db as AnyDB).withTables<SurveyTables>() as unknown as SvDB;

const surveyColumns = ['id', 'slug', 'title', 'description', 'process_id', 'opens_at', 'closes_at', 'results_public', 'status', 'sample', 'created_at'] as const;
export type SurveyRow = Pick<SurveyTables['surveys'], 'slug' | 'title' | 'description' | 'process_id' | 'opens_at' | 'closes_at' | 'results_public' | 'status' | 'sample' | 'created_at'> & { id: number };

export function findSurveyBySlug(db: SvDB, communeId: number, slug: string) {
  return db.selectFrom('surveys').select([...surveyColumns]).where('commune_id', '=', communeId).where('slug', '=', slug).executeTakeFirst() as Promise<SurveyRow | undefined>;
}
export function findSurveyById(db: SvDB, communeId: number, id: number) {
  return db.selectFrom('surveys').select([...surveyColumns]).where('commune_id', '=', communeId).where('id', '=', id).executeTakeFirst() as Promise<SurveyRow | undefined>;
}
export function listSurveys(db: SvDB, communeId: number, publishedOnly: boolean, limit: number, offset: number) {
  let q = db.selectFrom('surveys').select([...surveyColumns]).where('commune_id', '=', communeId);
  if (publishedOnly) q = q.where('status', '=', 'published');
  return q.orderBy('closes_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute() as Promise<SurveyRow[]>;
}
export async function countSurveys(db: SvDB, communeId: number, publishedOnly: boolean): Promise<number> {
  let q = db.selectFrom('surveys').select((eb) => eb.fn.countAll<number>().as('n')).where('commune_id', '=', communeId);
  if (publishedOnly) q = q.where('status', '=', 'published');
  return Number((await q.executeTakeFirstOrThrow()).n);
}

export function questionsOf(db: SvDB, communeId: number, surveyId: number) {
  return db.selectFrom('survey_questions').select(['id', 'position', 'kind', 'prompt', 'help', 'options', 'max_choices', 'required', 'condition'])
    .where('commune_id', '=', communeId).where('survey_id', '=', surveyId).orderBy('position').orderBy('id').execute();
}

export function findResponse(db: SvDB, communeId: number, surveyId: number, key: string) {
  return db.selectFrom('survey_responses').select(['id', 'status', 'channel', 'district_id'])
    .where('commune_id', '=', communeId).where('survey_id', '=', surveyId).where('respondent_key', '=', key).executeTakeFirst();
}
export function findResponseByToken(db: SvDB, communeId: number, tokenHash: string) {
  return db.selectFrom('survey_responses').select(['id', 'survey_id', 'status', 'pending', 'channel'])
    .where('commune_id', '=', communeId).where('token_hash', '=', tokenHash).executeTakeFirst();
}
export function answersOfResponse(db: SvDB, communeId: number, responseId: number) {
  return db.selectFrom('survey_answers').select(['question_id', 'option_key', 'rank', 'text'])
    .where('commune_id', '=', communeId).where('response_id', '=', responseId).orderBy('id').execute();
}

// ---------- Results: summary tables only ----------

export function responseCounts(db: SvDB, communeId: number, surveyId: number) {
  return db.selectFrom('survey_response_counts').select(['channel', 'district_id', 'n'])
    .where('commune_id', '=', communeId).where('survey_id', '=', surveyId).where('n', '>', 0).execute();
}
export function optionCounts(db: SvDB, communeId: number, surveyId: number) {
  return db.selectFrom('survey_option_counts').select(['question_id', 'option_key', 'channel', 'district_id', 'n', 'points', 'firsts'])
    .where('commune_id', '=', communeId).where('survey_id', '=', surveyId).where('n', '>', 0).execute();
}
export function questionCounts(db: SvDB, communeId: number, surveyId: number) {
  return db.selectFrom('survey_question_counts').select(['question_id', 'channel', 'district_id', 'n'])
    .where('commune_id', '=', communeId).where('survey_id', '=', surveyId).where('n', '>', 0).execute();
}

// ---------- Free texts ----------

export function texts(db: SvDB, communeId: number, surveyId: number, status: string, limit: number, offset: number) {
  return db.selectFrom('survey_answers').select(['id', 'question_id', 'text', 'text_status'])
    .where('commune_id', '=', communeId).where('survey_id', '=', surveyId).where('text_status', '=', status)
    .orderBy('id').limit(limit).offset(offset).execute();
}
export async function countTexts(db: SvDB, communeId: number, surveyId: number, status: string): Promise<number> {
  const r = await db.selectFrom('survey_answers').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('commune_id', '=', communeId).where('survey_id', '=', surveyId).where('text_status', '=', status).executeTakeFirstOrThrow();
  return Number(r.n);
}

// ---------- Export (anonymous: no respondent key, user, email or time) ----------

export function exportResponses(db: SvDB, communeId: number, surveyId: number, afterId: number, limit: number) {
  return db.selectFrom('survey_responses').select(['id', 'channel', 'district_id', 'sample'])
    .where('commune_id', '=', communeId).where('survey_id', '=', surveyId).where('status', '=', 'confirmed').where('id', '>', afterId)
    .orderBy('id').limit(limit).execute();
}
export function exportAnswers(db: SvDB, communeId: number, responseIds: number[]) {
  return db.selectFrom('survey_answers').select(['response_id', 'question_id', 'option_key', 'rank', 'text', 'text_status'])
    .where('commune_id', '=', communeId).where('response_id', 'in', responseIds.length ? responseIds : [-1]).orderBy('response_id').orderBy('id').execute();
}
