import type { Ctx } from '../../core/service.ts';
import { iso } from '../../core/clock/index.ts';
import { parseTranslated } from '../../core/i18n/index.ts';
import { csvLine, BOM } from '../../core/csv.ts';
import { tdb } from './db.ts';
import * as docRepo from './documents/repo.ts';
import { registerItems } from './register/service.ts';

/**
 * The module's open data (docs/open-data.md): public documents, the register with its statuses, council sessions
 * and deliberations with their votes, as CSV (streamed, read in batches) and JSON. Drafts, embargoed and
 * withdrawn documents' files are never in them (a withdrawn document is listed with its reason, no file).
 */
const BATCH = 500;
const T = (json: string) => parseTranslated(json);

async function* publicDocuments(ctx: Ctx) {
  const now = iso(ctx.clock.now());
  const db = tdb(ctx.db);
  for (let after = 0; ;) {
    const rows = (await db.selectFrom('documents as d').select([...docRepo.docColumns])
      .leftJoin('institutions as i', (j) => j.onRef('i.commune_id', '=', 'd.commune_id').onRef('i.id', '=', 'd.institution_id')).select('i.slug as department')
      .where('d.commune_id', '=', ctx.commune.id).where(docRepo.listedWhere(now)).where('d.id', '>', after).orderBy('d.id').limit(BATCH).execute()) as (docRepo.DocRow & { department: string | null })[];
    const files = await docRepo.filesOf(db, ctx.commune.id, rows.filter((r) => r.status === 'published').map((r) => r.id));
    for (const r of rows) yield { r, files: files.filter((f) => f.document_id === r.id && !f.superseded_at) };
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1].id;
  }
}

export async function* documentRowsCsv(ctx: Ctx, origin: string): AsyncGenerator<string> {
  yield BOM + csvLine(['reference', 'kind', 'title_fr', 'title_ar', 'title_en', 'year', 'period', 'department', 'status', 'published_at', 'withdrawn_reason', 'languages', 'files', 'page', 'sample']);
  for await (const { r, files } of publicDocuments(ctx)) {
    const t = T(r.title);
    yield csvLine([r.ref, r.kind, t.fr, t.ar, t.en, r.year, r.period, r.department, r.status, r.published_at, r.withdrawn_reason,
      [...new Set(files.map((f) => f.language))].join(' '), files.map((f) => `${origin}/fr${docPathFile(r.ref, f.id)}`).join(' '), `${origin}/fr/documents/${r.ref}`, r.sample ? 1 : 0]);
  }
}

const docPathFile = (ref: string, id: number) => `/documents/${encodeURIComponent(ref)}/files/${id}`;

export async function* documentRowsJson(ctx: Ctx, origin: string): AsyncGenerator<string> {
  yield '{"documents":[';
  let first = true;
  for await (const { r, files } of publicDocuments(ctx)) {
    yield (first ? '' : ',') + JSON.stringify({
      reference: r.ref, kind: r.kind, title: T(r.title), summary: T(r.summary), year: r.year, period: r.period, department: r.department, status: r.status,
      published_at: r.published_at, withdrawn_at: r.withdrawn_at, withdrawn_reason: r.withdrawn_reason, page: `${origin}/fr/documents/${r.ref}`, sample: !!r.sample,
      files: files.map((f) => ({ language: f.language, version: f.version, name: f.original_name, type: f.mime, bytes: Number(f.size), sha256: f.sha256, url: `${origin}/fr${docPathFile(r.ref, f.id)}` })),
    });
    first = false;
  }
  yield ']}';
}

export async function registerRows(ctx: Ctx) {
  const items = await registerItems(ctx);
  const insts = await ctx.db.selectFrom('institutions').select(['id', 'slug']).where('commune_id', '=', ctx.commune.id).execute();
  return items.map((i) => ({
    code: i.code, title: i.title, department: insts.find((x) => x.id === i.institutionId)?.slug ?? null, frequency: i.frequency, status: i.status,
    latest_document_at: i.latest, documents: i.documents, sample: i.sample,
  }));
}

export async function registerCsv(ctx: Ctx): Promise<string> {
  const rows = await registerRows(ctx);
  return BOM + csvLine(['code', 'title_fr', 'title_ar', 'title_en', 'department', 'frequency', 'status', 'latest_document_at', 'documents', 'sample'])
    + rows.map((r) => csvLine([r.code, r.title.fr, r.title.ar, r.title.en, r.department, r.frequency, r.status, r.latest_document_at, r.documents, r.sample ? 1 : 0])).join('');
}

async function* sessionsBatched(ctx: Ctx) {
  const db = tdb(ctx.db);
  for (let after = 0; ;) {
    const rows = await db.selectFrom('council_sessions').select(['id', 'ref', 'kind', 'title', 'starts_at', 'ends_at', 'place', 'status', 'sample'])
      .where('commune_id', '=', ctx.commune.id).where('id', '>', after).orderBy('id').limit(BATCH).execute();
    for (const r of rows) yield r;
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1].id;
  }
}

export async function* sessionsCsv(ctx: Ctx, origin: string): AsyncGenerator<string> {
  yield BOM + csvLine(['reference', 'kind', 'title_fr', 'title_ar', 'starts_at', 'ends_at', 'place_fr', 'place_ar', 'status', 'page', 'sample']);
  for await (const r of sessionsBatched(ctx)) {
    const t = T(r.title); const p = T(r.place);
    yield csvLine([r.ref, r.kind, t.fr, t.ar, r.starts_at, r.ends_at, p.fr, p.ar, r.status, `${origin}/fr/council/${r.ref}`, r.sample ? 1 : 0]);
  }
}

export async function* sessionsJson(ctx: Ctx, origin: string): AsyncGenerator<string> {
  yield '{"sessions":[';
  let first = true;
  for await (const r of sessionsBatched(ctx)) {
    yield (first ? '' : ',') + JSON.stringify({ reference: r.ref, kind: r.kind, title: T(r.title), starts_at: r.starts_at, ends_at: r.ends_at, place: T(r.place), status: r.status, page: `${origin}/fr/council/${r.ref}`, sample: !!r.sample });
    first = false;
  }
  yield ']}';
}

async function* deliberationsBatched(ctx: Ctx) {
  const db = tdb(ctx.db);
  for (let after = 0; ;) {
    const rows = await db.selectFrom('council_deliberations as d')
      .innerJoin('council_sessions as s', (j) => j.onRef('s.commune_id', '=', 'd.commune_id').onRef('s.id', '=', 'd.session_id'))
      .leftJoin('council_items as i', (j) => j.onRef('i.commune_id', '=', 'd.commune_id').onRef('i.id', '=', 'd.item_id'))
      .select(['d.id', 'd.ref', 'd.title', 'd.text', 'd.decision', 'd.consensus', 'd.votes_for', 'd.votes_against', 'd.votes_abstention', 'd.sample', 's.ref as session', 's.starts_at', 'i.position as item'])
      .where('d.commune_id', '=', ctx.commune.id).where('d.id', '>', after).orderBy('d.id').limit(BATCH).execute();
    const links = rows.length ? await db.selectFrom('transparency_links').select(['source_id', 'target_type', 'target_id']).where('commune_id', '=', ctx.commune.id)
      .where('source_type', '=', 'deliberation').where('source_id', 'in', rows.map((r) => r.id)).execute() : [];
    for (const r of rows) yield { ...r, commitments: links.filter((l) => l.source_id === r.id && l.target_type === 'commitment').map((l) => l.target_id) };
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1].id;
  }
}

export async function* deliberationsCsv(ctx: Ctx, origin: string): AsyncGenerator<string> {
  yield BOM + csvLine(['reference', 'session', 'session_date', 'agenda_item', 'title_fr', 'title_ar', 'decision', 'consensus', 'votes_for', 'votes_against', 'votes_abstention', 'commitment_ids', 'page', 'sample']);
  for await (const r of deliberationsBatched(ctx)) {
    const t = T(r.title);
    yield csvLine([r.ref, r.session, r.starts_at, r.item, t.fr, t.ar, r.decision, r.consensus ? 1 : 0, r.votes_for, r.votes_against, r.votes_abstention,
      r.commitments.join(' '), `${origin}/fr/council/${r.session}#${r.ref}`, r.sample ? 1 : 0]);
  }
}

export async function* deliberationsJson(ctx: Ctx, origin: string): AsyncGenerator<string> {
  yield '{"deliberations":[';
  let first = true;
  for await (const r of deliberationsBatched(ctx)) {
    yield (first ? '' : ',') + JSON.stringify({
      reference: r.ref, session: r.session, session_date: r.starts_at, agenda_item: r.item, title: T(r.title), text: T(r.text), decision: r.decision, consensus: !!r.consensus,
      votes: r.consensus ? null : { for: r.votes_for, against: r.votes_against, abstention: r.votes_abstention }, commitment_ids: r.commitments,
      page: `${origin}/fr/council/${r.session}#${r.ref}`, sample: !!r.sample,
    });
    first = false;
  }
  yield ']}';
}
