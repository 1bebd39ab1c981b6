import { indexDoc, type SearchDoc } from '../../../core/search/index.ts';
import { parseTranslated, LOCALES, type Translated } from '../../../core/i18n/index.ts';
import type { AnyDB } from '../../../core/db/index.ts';
import { tdb } from '../db.ts';
import * as repo from './repo.ts';

/**
 * A document in the platform-wide search: its title, then by language its summary and the extracted text of
 * its current file in that language. Visible only while public: drafts, embargoed and withdrawn documents
 * are not in the index (`visible: false` removes them).
 */
export function documentDoc(d: Awaited<ReturnType<typeof repo.searchDocuments>>[number], now: string): SearchDoc {
  const summary = parseTranslated(d.summary);
  const text: Translated = {};
  for (const l of LOCALES) {
    const parts = [summary[l], ...d.texts.filter((t) => t.language === l).map((t) => t.text)].filter((x): x is string => !!x && x.trim() !== '');
    if (parts.length) text[l] = parts.join('\n');
  }
  return {
    kind: 'document', key: d.ref, title: parseTranslated(d.title), text, path: `/documents/${encodeURIComponent(d.ref)}`,
    date: d.published_at, visible: d.status === 'published' && !!d.published_at && d.published_at <= now,
  };
}

/** Re-indexes one document after a change, in the caller's transaction. */
export async function indexDocument(trx: AnyDB, communeId: number, id: number, now: string): Promise<void> {
  for (const d of await repo.searchDocuments(tdb(trx), communeId, { ids: [id], limit: 1 })) await indexDoc(trx, communeId, documentDoc(d, now));
}
