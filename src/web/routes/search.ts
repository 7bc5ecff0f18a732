import { renderProblem } from '../error-page.js';
import { stampedCache } from '../archive-stamp.js';
import { Router, type Request, type Response } from 'express';
import type { Services } from '../app.js';
import { listFormatOf, listPath, sendListExport, tagUri } from '../list-export.js';
import { searchClauses, type SearchResult } from '../../search/search.js';
import { countText, filterSummary, filtersOf, hitView, readSearchParams, searchFormOptions, searchQueryString, type SearchParams } from '../../search/search-page.js';
import { languageName } from '../documents/labels.js';

/** Results in a feed or file: one ranked window (RANK_WINDOW), not just one page. */
const EXPORT_LIMIT = 200;

/** `/search{.:format}`: lunr-syntax search over every clause version, with filters and exports. */
/** Stage labels and principles read from the whole archive: remembered while the archive is unchanged. */
const cachedFormOptions = stampedCache(searchFormOptions);

export function searchRoutes(services: Services): Router {
  const router = Router();
  const { db } = services;

  router.get(listPath('/search'), async (req: Request, res: Response, next) => {
    const format = listFormatOf(req);
    if (!format) return next();
    const read = readSearchParams(req.query as Record<string, unknown>);
    if (!read.ok) {
      renderProblem(res, 400, `${read.message} Start a new search at /search.`);
      return;
    }
    const params = read.params;
    const today = new Date().toISOString().slice(0, 10);
    const filters = filtersOf(params, today);
    const q = params.q ?? '';
    const searched = q.trim() !== '';
    const page = params.page ?? 1;
    const result: SearchResult | null = searched
      ? await searchClauses(db, { q, filters, page: format === 'html' ? page : 1, pageSize: format === 'html' ? undefined : EXPORT_LIMIT })
      : null;
    const summary = filterSummary(params, filters);
    const queryString = searchQueryString(params);

    if (format !== 'html') {
      return sendListExport(req, res, format, {
        title: searched ? `Search: ${q.slice(0, 200)} (${summary}) · Co-production tracker` : 'Search · Co-production tracker',
        path: `/search${queryString}`,
        items: result?.hits ?? [],
        entry: (h) => ({
          id: tagUri('clause-version', h.clauseVersionId),
          title: `${h.documentTitle}: ${h.key}${h.heading ? ` — ${h.heading}` : ''}`,
          path: `/clauses/${h.clauseId}#v${h.clauseVersionId}`,
          updated: h.fetchedAt,
          summary: h.text,
          fields: {
            clause_version_id: h.clauseVersionId,
            clause_id: h.clauseId,
            document_id: h.documentId,
            document_title: h.documentTitle,
            kind: h.kind,
            jurisdiction: h.jurisdiction,
            language: h.language,
            provision: h.key,
            heading: h.heading,
            version: h.label,
            valid_from: h.validFrom,
            score: h.score,
            coproduction: h.tag?.coproduction ?? false,
            strength: h.tag?.strength ?? null,
            funded: h.tag?.funding ?? false,
            reviewed: h.tag?.source === 'review',
            principles: h.principles.join(' '),
            text: h.text,
          },
        }),
      });
    }

    const options = await cachedFormOptions(db, '');
    const view = viewModel(params, result, { summary, queryString, today, page });
    const feeds = searched ? [{ type: 'application/atom+xml', title: `Search results: ${q.slice(0, 100)}`, href: `/search.atom${queryString}` }] : [];
    res.render('search/index', { title: searched ? `Search: ${q.slice(0, 80)}` : 'Search', description: 'Search every version of every clause collected: acts, bills, codes, guidance, statements and budgets, in English and Welsh.', feeds, options, ...view });
  });

  return router;
}

function viewModel(params: SearchParams, result: SearchResult | null, ctx: { summary: string; queryString: string; today: string; page: number }) {
  const asAtMode = params.versions === 'as-at' || (params.versions === undefined && params.at !== undefined);
  const pageLink = (p: number) => `/search${searchQueryString(params, p)}`;
  return {
    form: {
      q: params.q ?? '',
      jurisdiction: params.jurisdiction ?? '',
      kind: params.kind ?? '',
      stage: params.stage ?? '',
      language: params.language ?? '',
      principle: params.principle ?? '',
      strength: params.strength ?? '',
      funded: params.funded ?? '',
      versions: asAtMode ? 'as-at' : 'all',
      at: params.at ?? '',
      from: params.from ?? '',
      to: params.to ?? '',
    },
    languageOptions: [
      { value: 'en', label: languageName('en') },
      { value: 'cy', label: languageName('cy') },
    ],
    today: ctx.today,
    searched: result !== null,
    summary: ctx.summary,
    versionsNote: asAtMode ? `Showing only the text in force on ${params.at ?? 'today'} (for each document and language, the latest version that had started by then).` : 'Showing every version of every clause (the default): older wordings are included, each marked with its version and date.',
    messages: result?.messages ?? [],
    literal: result?.parsed.literal ?? false,
    understood: result?.understood ?? '',
    count: result ? countText(result) : '',
    total: result?.total ?? 0,
    ordering: result?.ordering ?? 'all',
    hits: (result?.hits ?? []).map(hitView),
    page: ctx.page,
    pageCount: result?.pageCount ?? 0,
    firstIndex: result ? (result.page - 1) * result.pageSize + 1 : 0,
    previousHref: result && ctx.page > 1 && ctx.page <= result.pageCount + 1 ? pageLink(ctx.page - 1) : null,
    nextHref: result && ctx.page < result.pageCount ? pageLink(ctx.page + 1) : null,
    exports: {
      atom: `/search.atom${ctx.queryString}`,
      json: `/search.json${ctx.queryString}`,
      csv: `/search.csv${ctx.queryString}`,
    },
  };
}
