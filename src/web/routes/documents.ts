import { renderProblem } from '../error-page.js';
import { Router, type Request, type Response } from 'express';
import type { Services } from '../app.js';
import { listFormatOf, listPath, sendListExport, tagUri } from '../list-export.js';
import { documentFiltersSchema, documentsPageSize, filterQuery, listDocuments, stageLabels } from '../documents/document-list.js';
import { cachedDocumentPage, PageRequestError } from '../documents/document-page.js';
import { documentKinds, jurisdictions } from '../../domain/scraped-document.js';
import { jurisdictionName, kindName } from '../insight/labels.js';
import { documentPath, formatDay, isoDay, languageName, strengthName, versionLabelName } from '../documents/labels.js';

function stringParam(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** `/documents{.:format}` (list and exports) and `/documents/<id>` (one document, clause by clause). */
export function documentRoutes(services: Services): Router {
  const router = Router();
  const { db } = services;

  router.get(listPath('/documents'), async (req: Request, res: Response, next) => {
    const format = listFormatOf(req);
    if (!format) return next();
    const repeated = Object.entries(req.query).find(([, v]) => typeof v !== 'string');
    if (repeated) return renderProblem(res, 400, `The filter ${repeated[0].slice(0, 40)} was given more than once; give each filter once.`);
    const raw = {
      kind: stringParam(req.query.kind),
      jurisdiction: stringParam(req.query.jurisdiction),
      stage: stringParam(req.query.stage),
      language: stringParam(req.query.language),
      coproduction: stringParam(req.query.coproduction),
      page: stringParam(req.query.page),
    };
    const parsed = documentFiltersSchema.safeParse(raw);
    if (!parsed.success) {
      return renderProblem(res, 400, `The filters could not be used: ${parsed.error.issues.map((i) => i.message).join('; ')}. Clear the filters to see every document.`);
    }
    const { page, ...filters } = parsed.data;
    const items = await listDocuments(db, filters);
    const query = filterQuery(filters);
    if (format !== 'html') {
      return sendListExport(req, res, format, {
        title: 'Documents · Co-production tracker',
        path: `/documents${query}`,
        items,
        entry: (d) => ({
          id: tagUri('document', d.id),
          title: d.title,
          path: documentPath(d.id),
          updated: d.latestFetchedAt,
          summary: `${kindName(d.kind)}, ${jurisdictionName(d.jurisdiction)}. ${d.coproductionCount} of ${d.clauseCount} clauses tagged co-production.`,
          fields: {
            document_id: d.id,
            kind: d.kind,
            jurisdiction: d.jurisdiction,
            status: d.status,
            languages: d.languages.join(' '),
            stages: d.labels.join(' '),
            latest_version_date: d.latestDate,
            clauses: d.clauseCount,
            coproduction_clauses: d.coproductionCount,
          },
        }),
      });
    }
    const totalPages = Math.max(1, Math.ceil(items.length / documentsPageSize));
    if (page > totalPages) {
      return renderProblem(res, 404, `There is no page ${page} of this list: it has ${totalPages} ${totalPages === 1 ? 'page' : 'pages'}. Go back to page 1.`);
    }
    const rows = items.slice((page - 1) * documentsPageSize, page * documentsPageSize).map((d) => ({
      ...d,
      href: documentPath(d.id),
      kindName: kindName(d.kind),
      jurisdictionName: jurisdictionName(d.jurisdiction),
      languageNames: d.languages.map(languageName).join(', '),
      labelNames: d.labels.map(versionLabelName).join(', '),
      latestDay: d.latestDate ? formatDay(d.latestDate) : `fetched ${formatDay(d.latestFetchedAt)}`,
      latestIso: d.latestDate ?? isoDay(d.latestFetchedAt),
    }));
    const stages = await stageLabels(db);
    const suffix = (s: string) => `/documents${s}${query}`;
    res.render('documents/list', {
      title: 'Documents',
      description: 'Acts, bills, codes, guidance, statements and budgets tracked for co-production commitments, with filters and exports.',
      feeds: [{ type: 'application/atom+xml', title: 'Documents (Atom)', href: suffix('.atom') }],
      filters: {
        kind: filters.kind ?? '',
        jurisdiction: filters.jurisdiction ?? '',
        stage: filters.stage ?? '',
        language: filters.language ?? '',
        coproduction: filters.coproduction ?? '',
      },
      options: {
        kinds: documentKinds.map((k) => ({ value: k, name: kindName(k) })),
        jurisdictions: jurisdictions.map((j) => ({ value: j, name: jurisdictionName(j) })),
        stages: stages.map((s) => ({ value: s, name: versionLabelName(s) })),
      },
      filtered: query !== '',
      rows,
      total: items.length,
      page,
      totalPages,
      firstIndex: items.length === 0 ? 0 : (page - 1) * documentsPageSize + 1,
      lastIndex: Math.min(items.length, page * documentsPageSize),
      prevHref: page > 1 ? `/documents${filterQuery(filters, page - 1)}` : null,
      nextHref: page < totalPages ? `/documents${filterQuery(filters, page + 1)}` : null,
      exports: { atom: suffix('.atom'), json: suffix('.json'), csv: suffix('.csv') },
    });
  });

  // Document ids contain ':' and '/' (legislation:anaw/2099/7), so the id is the rest of the path.
  router.get('/documents/*id', async (req: Request, res: Response) => {
    const segments = (req.params as Record<string, string[] | string>).id;
    const documentId = Array.isArray(segments) ? segments.join('/') : String(segments);
    try {
      const model = await cachedDocumentPage(db, documentId, { lang: stringParam(req.query.lang), version: stringParam(req.query.version) });
      res.render('documents/show', {
        title: model.document.title,
        description: `${model.document.title}: the text clause by clause, with co-production tags, commitment strength, funding and the evidence words.`,
        m: model,
        strengthName,
        formatDay,
        kindName: kindName(model.document.kind),
        jurisdictionName: jurisdictionName(model.document.jurisdiction),
      });
    } catch (error) {
      if (error instanceof PageRequestError) return renderProblem(res, error.status, error.message);
      throw error;
    }
  });

  return router;
}
