import type { Ctx } from '../../core/service.ts';
import type { Translated } from '../../core/i18n/index.ts';
import { commitmentAsCommentTarget } from '../accountability/service.ts';
import { tdb } from './db.ts';

/** What a link of a document or a deliberation points at, with its public title and page (unknown or gone: left out). */
export interface ResolvedLink { type: string; id: number; title: Translated; path: string }

export async function resolveLinks(ctx: Ctx, links: { type: string; id: number }[]): Promise<ResolvedLink[]> {
  const db = tdb(ctx.db);
  const c = ctx.commune.id;
  const ids = (type: string) => links.filter((l) => l.type === type).map((l) => l.id);
  const [sessions, delibs, items] = await Promise.all([
    ids('council_session').length ? db.selectFrom('council_sessions').select(['id', 'ref', 'title']).where('commune_id', '=', c).where('id', 'in', ids('council_session')).execute() : [],
    ids('deliberation').length ? db.selectFrom('council_deliberations as d').innerJoin('council_sessions as s', (j) => j.onRef('s.commune_id', '=', 'd.commune_id').onRef('s.id', '=', 'd.session_id'))
      .select(['d.id', 'd.ref', 'd.title', 's.ref as session_ref']).where('d.commune_id', '=', c).where('d.id', 'in', ids('deliberation')).execute() : [],
    ids('register_item').length ? db.selectFrom('register_items').select(['id', 'code', 'title']).where('commune_id', '=', c).where('id', 'in', ids('register_item')).execute() : [],
  ]);
  const out: ResolvedLink[] = [];
  for (const l of links) {
    if (l.type === 'commitment') {
      const t = await commitmentAsCommentTarget(ctx, l.id);
      if (t) out.push({ ...l, title: t.title, path: t.path });
    } else if (l.type === 'council_session') {
      const s = sessions.find((x) => x.id === l.id);
      if (s) out.push({ ...l, title: JSON.parse(s.title), path: `/council/${encodeURIComponent(s.ref)}` });
    } else if (l.type === 'deliberation') {
      const d = delibs.find((x) => x.id === l.id);
      if (d) out.push({ ...l, title: JSON.parse(d.title), path: `/council/${encodeURIComponent(d.session_ref)}#${encodeURIComponent(d.ref)}` });
    } else if (l.type === 'register_item') {
      const r = items.find((x) => x.id === l.id);
      if (r) out.push({ ...l, title: JSON.parse(r.title), path: `/transparency/register#item-${encodeURIComponent(r.code)}` });
    }
  }
  return out;
}
