import { existsSync } from 'node:fs';
import path from 'node:path';
import { Router, type Request, type Response } from 'express';
import type { Services } from '../app.js';
import { baseUrlOf, listFormatOf, listPath, sendListExport, tagUri } from '../list-export.js';
import { loadClauseHistory } from '../documents/clause-history.js';
import { PageRequestError } from '../documents/document-page.js';
import { formatDay, strengthName } from '../documents/labels.js';
import { projectRoot } from '../../project-root.js';

const reviewFormPath = path.join(projectRoot, 'views/partials/review-form.ejs');
let reviewFormExists = false;
/** H4's review form partial; until it exists the clause page shows no form (checked until found). */
function hasReviewForm(): boolean {
  if (!reviewFormExists) reviewFormExists = existsSync(reviewFormPath);
  return reviewFormExists;
}

function clauseIdOf(raw: string | undefined): number | null {
  return raw && /^[1-9][0-9]{0,9}$/.test(raw) ? Number(raw) : null;
}

function stringParam(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function problem(res: Response, status: 400 | 404, message: string): void {
  res.status(status).render('error', { title: status === 400 ? 'Bad request' : 'Page not found', message });
}

/** `/clauses/:clauseId` (history, lineage, diff, cite), its exports, and `/clause-versions/:id` permalinks. */
export function clauseRoutes(services: Services): Router {
  const router = Router();
  const { db } = services;

  router.get('/clause-versions/:cvId', async (req: Request, res: Response) => {
    const id = clauseIdOf(req.params.cvId as string);
    const row = id === null ? undefined : await db.selectFrom('clause_versions').select(['id', 'clause_id']).where('id', '=', id).executeTakeFirst();
    if (!row) return problem(res, 404, 'There is no clause version with this number.');
    res.redirect(302, `/clauses/${row.clause_id}#v${row.id}`);
  });

  router.get(listPath('/clauses/:clauseId/history'), async (req: Request, res: Response, next) => {
    const format = listFormatOf(req);
    if (!format) return next();
    const clauseId = clauseIdOf(req.params.clauseId as string);
    if (clauseId === null) return problem(res, 404, 'Clause numbers are whole numbers; this one is not.');
    if (format === 'html') return res.redirect(302, `/clauses/${clauseId}`);
    try {
      const m = await loadClauseHistory(db, clauseId, {}, baseUrlOf(req));
      sendListExport(req, res, format, {
        title: `${m.document.title}, ${m.provision}: history`,
        path: `/clauses/${clauseId}/history`,
        items: m.versions,
        entry: (v) => ({
          id: tagUri('clause-version', v.id),
          title: `${m.document.title}, ${v.provision}: ${v.span}`,
          path: v.permalink,
          updated: (v.appearances[0] ?? { fetchedAt: new Date(0).toISOString() }).fetchedAt,
          summary: v.text,
          fields: {
            clause_id: clauseId,
            clause_version_id: v.id,
            document_id: m.document.id,
            language: v.language,
            key: v.key,
            number: v.number,
            stages: v.appearances.map((a) => a.label).join(' '),
            valid_from: v.appearances[0]?.validFrom ?? null,
            coproduction: v.tag?.coproduction ?? false,
            strength: v.tag?.strength ?? null,
            funding: v.tag?.funding ?? false,
            principles: v.tag?.principles.map((p) => p.id).join(' ') ?? '',
            reviewed: v.tag?.reviewed ?? false,
            text: v.text,
          },
        }),
      });
    } catch (error) {
      if (error instanceof PageRequestError) return problem(res, error.status, error.message);
      throw error;
    }
  });

  router.get('/clauses/:clauseId', async (req: Request, res: Response) => {
    const clauseId = clauseIdOf(req.params.clauseId as string);
    if (clauseId === null) return problem(res, 404, 'Clause numbers are whole numbers; this one is not. Clause links come from document pages.');
    try {
      const m = await loadClauseHistory(db, clauseId, { from: stringParam(req.query.from), to: stringParam(req.query.to) }, baseUrlOf(req));
      const history = `/clauses/${clauseId}/history`;
      res.render('clauses/show', {
        title: `${m.provision}, ${m.document.title}`,
        description: `History of ${m.provision} of ${m.document.title}: every version, what changed and when, with co-production tags.`,
        feeds: [{ type: 'application/atom+xml', title: 'History of this clause (Atom)', href: `${history}.atom` }],
        m,
        strengthName,
        formatDay,
        showReviewForm: hasReviewForm() && Boolean(res.locals.reviewer),
        exports: { atom: `${history}.atom`, json: `${history}.json`, csv: `${history}.csv` },
      });
    } catch (error) {
      if (error instanceof PageRequestError) return problem(res, error.status, error.message);
      throw error;
    }
  });

  return router;
}
