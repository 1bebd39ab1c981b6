import type { FastifyInstance, FastifyRequest } from 'fastify';
import { useView, href } from '../../core/ui/view.ts';
import { Pager } from '../../core/ui/components.tsx';
import { formatDate, formatNumber, isolate, trWithLang, type Translated } from '../../core/i18n/index.ts';
import { ValidationError } from '../../core/http/errors.ts';
import { searchDocs, snippetHtml, snippetText, RANK_WINDOW, type SearchResult, type SearchSource } from '../../core/search/index.ts';
import type { Ctx } from '../../core/service.ts';

/**
 * The platform-wide search: `/{locale}/search?q=…&kind=…&page=…` (the header's box sends there, a GET
 * form that needs no script) and its JSON twin `/api/search.json`, over every module's registered
 * sources (src/core/search/index.ts).
 */

/** A query string parameter as one string (repeated: the first), cut to `max` characters. */
function param(v: unknown, max: number): string {
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' ? s.slice(0, max) : '';
}

interface Asked { q: string; kind: string; page: number }

function asked(req: FastifyRequest): Asked {
  const query = (req.query ?? {}) as Record<string, unknown>;
  const page = Number(param(query.page, 6));
  return { q: param(query.q, 200).trim(), kind: param(query.kind, 40), page: Number.isInteger(page) && page >= 1 ? page : 1 };
}

async function run(ctx: Ctx, sources: SearchSource[], a: Asked): Promise<SearchResult> {
  return searchDocs(ctx.db, ctx.commune.id, {
    // The registered kinds only (an item of a kind no module registers any more is not shown).
    text: a.q, kinds: a.kind ? [a.kind] : sources.map((s) => s.kind), page: a.page, countKinds: sources.map((s) => s.kind), locale: ctx.locale,
  });
}

const searchPath = (q: string, kind?: string) => `/search?${new URLSearchParams({ q, ...(kind ? { kind } : {}) })}`;

function Count({ n, capped }: { n: number; capped: boolean }) {
  const { t, locale } = useView();
  return <>{capped ? t('search.countMore', { count: formatNumber(locale, n) }) : formatNumber(locale, n)}</>;
}

/** The search form, on the results page (the header has its own small one). */
function SearchForm({ a, sources }: { a: Asked; sources: SearchSource[] }) {
  const view = useView();
  const { t } = view;
  return (
    <form method="get" action={href(view, '/search')} class="search-form" role="search" aria-label={t('search.formLabel')}>
      <div class="field">
        <label for="search-q">{t('search.label')}</label>
        <p class="hint" id="search-q-hint">{t('search.hint')}</p>
        <input type="search" id="search-q" name="q" value={a.q} maxLength={200} aria-describedby="search-q-hint" dir="auto" enterkeyhint="search" />
      </div>
      <div class="field">
        <label for="search-kind">{t('search.kindLabel')}</label>
        <select id="search-kind" name="kind">
          <option value="" selected={!a.kind}>{t('search.allKinds')}</option>
          {sources.map((s) => <option value={s.kind} selected={a.kind === s.kind}>{t(s.labelKey)}</option>)}
        </select>
      </div>
      <div class="actions"><button type="submit" class="button primary">{t('search.submit')}</button></div>
    </form>
  );
}

function Title({ value }: { value: Translated }) {
  const { locale } = useView();
  const { text, lang } = trWithLang(value, locale);
  return <span lang={lang === locale ? undefined : lang} dir="auto">{text}</span>;
}

function SearchPage({ a, r, sources }: { a: Asked; r: SearchResult | null; sources: SearchSource[] }) {
  const view = useView();
  const { t, locale } = view;
  const label = (kind: string) => t(sources.find((s) => s.kind === kind)?.labelKey ?? kind);
  // Every kind: the total itself when no kind is chosen, else the kinds' counts added up.
  const all = !r ? 0 : a.kind ? Object.values(r.counts).reduce((s, c) => s + c.n, 0) : r.total;
  const allCapped = !r ? false : a.kind ? Object.values(r.counts).some((c) => c.capped) || all > RANK_WINDOW : r.capped;
  return (
    <section aria-labelledby="search-title" class="search-page">
      <h1 id="search-title">{a.q ? t('search.titleFor', { q: isolate(a.q) }) : t('search.title')}</h1>
      <SearchForm a={a} sources={sources} />

      {!r && (
        <div class="search-help">
          <p>{t(a.q ? 'search.noWords' : 'search.emptyIntro')}</p>
          <ul>
            <li>{t('search.tipWords')}</li>
            <li>{t('search.tipLanguages')}</li>
            <li>{t('search.tipPrefix')}</li>
          </ul>
        </div>
      )}

      {r && (
        <>
          <nav aria-label={t('search.kindNav')} class="search-kinds">
            <ul>
              <li><a href={href(view, searchPath(a.q))} aria-current={!a.kind ? 'page' : undefined}>{t('search.allKinds')} <span class="count">(<Count n={Math.min(all, RANK_WINDOW)} capped={allCapped} />)</span></a></li>
              {sources.map((s) => {
                const c = r.counts[s.kind] ?? { n: 0, capped: false };
                return <li><a href={href(view, searchPath(a.q, s.kind))} aria-current={a.kind === s.kind ? 'page' : undefined}>{t(s.labelKey)} <span class="count">(<Count n={c.n} capped={c.capped} />)</span></a></li>;
              })}
            </ul>
          </nav>
          <p role="status" class="search-summary">
            {r.total === 0 ? t('search.noResults', { q: isolate(a.q) })
              : r.capped ? t('search.summaryMore', { count: formatNumber(locale, r.total) })
              : t('search.summary', { count: r.total, n: formatNumber(locale, r.total) })}
          </p>
          {r.total === 0 && (
            <div class="search-help">
              <ul>
                {a.kind && all > 0 && <li><a href={href(view, searchPath(a.q))}>{t('search.tipRemoveFilter', { count: all, n: formatNumber(locale, all), kind: label(a.kind) })}</a></li>}
                {a.kind && all === 0 && <li><a href={href(view, searchPath(a.q))}>{t('search.tipAllKinds')}</a></li>}
                <li>{t('search.tipSpelling')}</li>
                {r.terms.length > 1 && <li>{t('search.tipFewer')}</li>}
                <li>{t('search.tipLanguages')}</li>
              </ul>
            </div>
          )}
          {r.rows.length > 0 && (
            <ol class="search-results" start={(r.page - 1) * r.pageSize + 1}>
              {r.rows.map((hit) => (
                <li class="search-hit">
                  <h2><a href={href(view, hit.path)}><Title value={hit.title} /></a></h2>
                  <p class="search-meta">
                    <span class="badge">{label(hit.kind)}</span>
                    {hit.date && <> <time dateTime={hit.date.slice(0, 10)}>{formatDate(locale, hit.date.slice(0, 10))}</time></>}
                  </p>
                  {hit.snippet.length > 0 && <p class="search-snippet" dir="auto">{hit.snippet.map((p) => (p.match ? <mark>{p.text}</mark> : p.text))}</p>}
                </li>
              ))}
            </ol>
          )}
          {r.rows.length === 0 && r.total > 0 && <p><a href={href(view, `${searchPath(a.q, a.kind)}`)}>{t('search.backToFirst')}</a></p>}
          {r.capped && r.rows.length > 0 && <p class="muted">{t('search.cappedNote', { count: RANK_WINDOW, n: formatNumber(locale, RANK_WINDOW) })}</p>}
          <Pager page={r.page} pageSize={r.pageSize} total={r.total} base={searchPath(a.q, a.kind)} />
        </>
      )}
    </section>
  );
}

/** The known kinds only: an unknown one is a mistake worth saying (the page drops it, the API refuses it). */
function checkKind(a: Asked, sources: SearchSource[]): boolean {
  return !a.kind || sources.some((s) => s.kind === a.kind);
}

export function searchPages(sources: () => SearchSource[]) {
  return async (app: FastifyInstance) => {
    app.get('/search', async (req, reply) => {
      const a = asked(req);
      const list = sources();
      if (!checkKind(a, list)) a.kind = '';
      const r = a.q ? await run(req.ctx, list, a) : null;
      const result = r && r.terms.length ? r : null;
      const title = a.q ? req.t('search.titleFor', { q: a.q }) : req.t('search.title');
      // A page number past the last one: a search engine should not keep it.
      if (result && result.rows.length === 0 && a.page > 1) reply.header('x-robots-tag', 'noindex');
      return reply.page(title, <SearchPage a={a} r={result} sources={list} />);
    });
  };
}

export function searchApi(sources: () => SearchSource[]) {
  return async (app: FastifyInstance) => {
    app.get('/api/search.json', async (req, reply) => {
      const a = asked(req);
      const list = sources();
      if (!checkKind(a, list)) throw new ValidationError({ kind: { key: 'errors.choice' } });
      const r = a.q ? await run(req.ctx, list, a) : null;
      return reply.header('access-control-allow-origin', '*').send({
        schema: 'docs/open-data.md#search',
        query: a.q, kind: a.kind || null, terms: r?.terms ?? [], page: a.page, pageSize: r?.pageSize ?? 20,
        total: r?.total ?? 0, totalCapped: r?.capped ?? false,
        counts: Object.fromEntries(list.map((s) => [s.kind, r?.counts[s.kind] ? { count: r.counts[s.kind].n, capped: r.counts[s.kind].capped } : { count: 0, capped: false }])),
        results: (r?.rows ?? []).map((h) => ({
          kind: h.kind, key: h.key, title: h.title, path: h.path, url: `/${req.locale}${h.path}`, date: h.date,
          snippet: snippetText(h.snippet), snippetHtml: snippetHtml(h.snippet),
        })),
      });
    });
  };
}
