import { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Services } from '../app.js';
import { listFormatOf, listPath, sendListExport, tagUri } from '../list-export.js';
import { fundingLedger, fundingTotals } from '../insight/funding-ledger.js';
import { corePrinciples } from '../insight/principle-guide.js';
import { jurisdictionName, orderJurisdictions } from '../insight/labels.js';
import { badRequest, jurisdictionParam, pageInfo, pageParam, pageSize, parseQuery, queryString } from '../insight/query-params.js';
import { insightHelpers } from '../insight/view-model.js';
import { amountText, clausePath } from '../documents/labels.js';

const fundingQuery = z.object({
  jurisdiction: jurisdictionParam.optional(),
  linked: z.enum(['yes', 'no'], { message: 'linked must be yes or no' }).optional(),
  principle: z.enum(corePrinciples.map((p) => p.id) as [string, ...string[]], { message: 'principle must be a core principle id (see /principles)' }).optional(),
  page: pageParam,
});

/** Money found in current text: linked to co-production or not, by date, jurisdiction and principle. */
export function fundingRoutes(services: Services): Router {
  const router = Router();
  router.get(listPath('/funding'), async (req: Request, res: Response, next: NextFunction) => {
    const format = listFormatOf(req);
    if (!format) return next();
    const parsed = parseQuery(fundingQuery, req.query);
    if (!parsed.ok) return badRequest(res, parsed.problems);
    const q = parsed.value;
    const all = await fundingLedger(services.db);
    const lines = all.filter(
      (l) => (!q.jurisdiction || l.version.jurisdiction === q.jurisdiction) && (!q.linked || l.linked === (q.linked === 'yes')) && (!q.principle || l.principles.includes(q.principle)),
    );
    const filters = { jurisdiction: q.jurisdiction, linked: q.linked, principle: q.principle };
    if (format !== 'html') {
      return sendListExport(req, res, format, {
        title: 'Money in co-production text',
        path: `/funding${queryString(filters)}`,
        items: lines,
        entry: (l) => ({
          id: tagUri('funding', l.id),
          title: `${amountText(l.amount)}: ${l.version.documentTitle}, ${l.provision}`,
          path: clausePath(l.clauseId, l.clauseVersionId),
          updated: `${l.version.date}T00:00:00.000Z`,
          summary: l.amount.span?.text ?? amountText(l.amount),
          fields: {
            date: l.version.date,
            jurisdiction: l.version.jurisdiction,
            document_id: l.version.documentId,
            document_title: l.version.documentTitle,
            provision: l.provision,
            amount: l.amount.amount,
            currency: l.amount.currency,
            period: l.amount.period,
            recipient: l.amount.recipient,
            additional: l.amount.additional,
            linked_to_coproduction: l.linked,
            proposed: l.version.proposed,
            principles: l.principles.join(' '),
          },
        }),
      });
    }
    res.render('funding', {
      ...insightHelpers,
      title: 'Funding',
      feeds: [{ type: 'application/atom+xml', title: 'Money in co-production text (Atom)', href: `/funding.atom${queryString(filters)}` }],
      totals: fundingTotals(all),
      items: lines.slice((q.page - 1) * pageSize, q.page * pageSize),
      pager: pageInfo(lines.length, q.page, (page) => `/funding${queryString({ ...filters, page })}`),
      filters: { jurisdiction: q.jurisdiction ?? '', linked: q.linked ?? '', principle: q.principle ?? '' },
      options: {
        jurisdictions: orderJurisdictions(all.map((l) => l.version.jurisdiction)).map((id) => ({ id, name: jurisdictionName(id) })),
        principles: corePrinciples.map((p) => ({ id: p.id, name: p.name })),
      },
      exportBase: '/funding',
      exportQuery: queryString(filters),
    });
  });
  return router;
}
