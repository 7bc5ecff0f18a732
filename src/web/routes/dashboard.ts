import { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Services } from '../app.js';
import { listFormatOf, listPath, sendListExport, tagUri } from '../list-export.js';
import { currentCommitments, provisionOf } from '../insight/current-commitments.js';
import { embeddedButUnfunded, embeddingLadder } from '../insight/embedding-ladder.js';
import { rungTimeline } from '../insight/rung-timeline.js';
import { timelineChart } from '../insight/timeline-chart.js';
import { changeKinds, changeReasons, changeSentence, countChanges, listChanges, notableChanges, type ChangeReason } from '../insight/change-feed.js';
import { commitmentQuery, filterCommitments } from '../insight/commitment-filters.js';
import { badRequest, jurisdictionParam, pageInfo, pageParam, pageSize, parseQuery, queryString } from '../insight/query-params.js';
import { commitmentPath, excerpt, insightHelpers } from '../insight/view-model.js';
import { corePrinciples, principleLabel } from '../insight/principle-guide.js';
import { documentKindIds, jurisdictionName, orderJurisdictions, rungs, strengthMeanings, strengthName } from '../insight/labels.js';
import { strengths } from '../../domain/strength.js';
import { stampedCache } from '../archive-stamp.js';

const changeQuery = z.object({
  important: z.enum(['yes', 'no'], { message: 'important must be yes or no' }).default('no'),
  kind: z.enum(changeKinds, { message: `kind must be one of ${changeKinds.join(', ')}` }).optional(),
  reason: z.enum(Object.keys(changeReasons) as [ChangeReason, ...ChangeReason[]], { message: `reason must be one of ${Object.keys(changeReasons).join(', ')}` }).optional(),
  jurisdiction: jurisdictionParam.optional(),
  page: pageParam,
});

const today = () => new Date().toISOString().slice(0, 10);

/** The dashboard reads the whole archive: built once per archive change (and per day, for the chart's end). */
const dashboardInputs = stampedCache((db) =>
  Promise.all([
    currentCommitments(db),
    rungTimeline(db),
    notableChanges(db, 8),
    db.selectFrom('documents').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
  ]),
);

/** Home (the embedding ladder), the commitments behind it, and the change feed. */
export function dashboardRoutes(services: Services): Router {
  const { db } = services;
  const router = Router();

  router.get('/', async (_req: Request, res: Response) => {
    const [{ commitments, versions }, timeline, changes, documentCount] = await dashboardInputs(db, today());
    const ladder = embeddingLadder(commitments);
    const law = commitments.filter((c) => !c.version.proposed);
    res.render('dashboard', {
      ...insightHelpers,
      title: 'Is co-production in law, and is it funded?',
      description: 'The embedding ladder: how far co-production principles are written into law, guidance and budgets in Wales and the UK, and whether money is attached.',
      feeds: [{ type: 'application/atom+xml', title: 'Important changes (Atom)', href: '/changes.atom?important=yes' }],
      empty: Number(documentCount.n) === 0,
      ladder,
      rungs: [...rungs].reverse(),
      strengthMeanings,
      unfunded: embeddedButUnfunded(commitments).slice(0, 10),
      unfundedTotal: embeddedButUnfunded(commitments).length,
      changes,
      chart: timelineChart(timeline, today()),
      stats: {
        documents: new Set(versions.filter((v) => !v.proposed).map((v) => v.documentId)).size,
        bills: new Set(versions.filter((v) => v.proposed).map((v) => v.documentId)).size,
        commitments: law.length,
        proposals: commitments.length - law.length,
        funded: law.filter((c) => c.funded).length,
      },
    });
  });

  router.get(listPath('/commitments'), async (req: Request, res: Response, next: NextFunction) => {
    const format = listFormatOf(req);
    if (!format) return next();
    const parsed = parseQuery(commitmentQuery, req.query);
    if (!parsed.ok) return badRequest(res, parsed.problems);
    const q = parsed.value;
    const { commitments } = await currentCommitments(db);
    const matching = filterCommitments(commitments, q);
    const filters = { principle: q.principle, jurisdiction: q.jurisdiction, strength: q.strength, funded: q.funded, kind: q.kind, scope: q.scope === 'all' ? undefined : q.scope };
    if (format !== 'html') {
      return sendListExport(req, res, format, {
        title: 'Co-production commitments in current text',
        path: `/commitments${queryString(filters)}`,
        items: matching,
        entry: (c) => ({
          id: tagUri('clause-version', c.clauseVersionId),
          title: `${c.version.documentTitle}, ${provisionOf(c)}: ${strengthName(c.strength)}${c.version.proposed ? ' (proposed)' : ''}`,
          path: commitmentPath(c),
          updated: `${c.version.date}T00:00:00.000Z`,
          summary: c.text,
          fields: {
            document_id: c.version.documentId,
            document_title: c.version.documentTitle,
            document_kind: c.version.kind,
            jurisdiction: c.version.jurisdiction,
            language: c.version.language,
            version_label: c.version.label,
            provision: provisionOf(c),
            strength: c.strength,
            proposed: c.version.proposed,
            funded: c.funded,
            principles: c.principles.join(' '),
            reviewed: c.reviewed,
            text: c.text,
          },
        }),
      });
    }
    const pager = pageInfo(matching.length, q.page, (page) => `/commitments${queryString({ ...filters, page })}`);
    const present = orderJurisdictions(commitments.map((c) => c.version.jurisdiction));
    res.render('commitments', {
      ...insightHelpers,
      title: 'Co-production commitments',
      feeds: [{ type: 'application/atom+xml', title: 'These commitments (Atom)', href: `/commitments.atom${queryString(filters)}` }],
      items: matching.slice((q.page - 1) * pageSize, q.page * pageSize),
      pager,
      filters: { ...filters, scope: q.scope },
      summary: describeCommitmentFilters(q),
      options: {
        principles: corePrinciples.map((p) => ({ id: p.id, name: p.name })),
        jurisdictions: present.map((id) => ({ id, name: jurisdictionName(id) })),
        strengths: [...strengths].reverse().map((id) => ({ id, name: strengthName(id) })),
        kinds: documentKindIds,
      },
      exportBase: '/commitments',
      exportQuery: queryString(filters),
      excerpt,
      commitmentPath,
    });
  });

  router.get(listPath('/changes'), async (req: Request, res: Response, next: NextFunction) => {
    const format = listFormatOf(req);
    if (!format) return next();
    const parsed = parseQuery(changeQuery, req.query);
    if (!parsed.ok) return badRequest(res, parsed.problems);
    const q = parsed.value;
    const filters = { important: q.important === 'yes', kind: q.kind ?? null, jurisdiction: q.jurisdiction ?? null, reason: q.reason ?? null };
    const linkFilters = { important: q.important === 'yes' ? 'yes' : undefined, kind: q.kind, reason: q.reason, jurisdiction: q.jurisdiction };
    if (format !== 'html') {
      // Feeds carry the latest 100 events matching the filters; the HTML list pages through all of them.
      const items = await listChanges(db, filters, 100, 0);
      return sendListExport(req, res, format, {
        title: filters.important ? 'Important changes to co-production text' : 'Changes to co-production text',
        path: `/changes${queryString(linkFilters)}`,
        items,
        entry: (c) => ({
          id: tagUri('change', c.id),
          title: changeSentence(c),
          path: c.path,
          updated: c.createdAt,
          summary: [changeSentence(c) + '.', ...c.details].join(' '),
          fields: {
            kind: c.kind,
            important: c.important,
            headline: c.headline,
            document_id: c.documentId,
            document_title: c.documentTitle,
            jurisdiction: c.jurisdiction,
            language: c.language,
            provision: c.provision,
            proposed: c.proposed,
          },
        }),
      });
    }
    const total = await countChanges(db, filters);
    const items = await listChanges(db, filters, pageSize, (q.page - 1) * pageSize);
    const jurisdictions = (await db.selectFrom('documents').select('jurisdiction').distinct().execute()).map((r) => r.jurisdiction);
    res.render('changes', {
      ...insightHelpers,
      title: 'Changes',
      feeds: [{ type: 'application/atom+xml', title: 'These changes (Atom)', href: `/changes.atom${queryString(linkFilters)}` }],
      items,
      pager: pageInfo(total, q.page, (page) => `/changes${queryString({ ...linkFilters, page })}`),
      filters: { important: q.important, kind: q.kind ?? '', reason: q.reason ?? '', jurisdiction: q.jurisdiction ?? '' },
      options: {
        kinds: changeKinds.map((id) => ({ id, name: insightChangeKindName(id) })),
        reasons: Object.entries(changeReasons).map(([id, name]) => ({ id, name })),
        jurisdictions: orderJurisdictions(jurisdictions).filter((j) => jurisdictions.includes(j)).map((id) => ({ id, name: jurisdictionName(id) })),
      },
      exportBase: '/changes',
      exportQuery: queryString(linkFilters),
    });
  });

  return router;
}

function insightChangeKindName(kind: string): string {
  return kind.charAt(0).toUpperCase() + kind.slice(1).replace(/_/g, ' ');
}

function describeCommitmentFilters(q: z.infer<typeof commitmentQuery>): string {
  const parts: string[] = [];
  if (q.strength) parts.push(`at the rung “${strengthName(q.strength)}”`);
  if (q.principle) parts.push(`tagged “${principleLabel(q.principle)}”`);
  if (q.jurisdiction) parts.push(`in ${jurisdictionName(q.jurisdiction)}`);
  if (q.kind) parts.push(`in documents of kind “${q.kind}”`);
  if (q.funded) parts.push(q.funded === 'yes' ? 'with money linked' : 'with no money linked');
  if (q.scope === 'law') parts.push('in text in force (bills excluded)');
  if (q.scope === 'proposed') parts.push('proposed in bills only');
  return parts.join(', ');
}
