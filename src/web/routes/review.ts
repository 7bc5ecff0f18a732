import { requireReviewer } from '../auth/require-reviewer.js';
import { renderProblem } from '../error-page.js';
import { Router } from 'express';
import { z } from 'zod';
import type { Services } from '../app.js';
import { strengths, type Strength } from '../../domain/strength.js';
import { effectiveTags, reviewTag, type EffectiveTag, type TagReview } from '../../pipeline/tag-reviews.js';
import { twinDisagreements } from '../../pipeline/twin-disagreements.js';
import { chunked } from '../../pipeline/version-queries.js';
import { listFormatOf, listPath, sendListExport, tagUri } from '../list-export.js';
import { loginRoutes, type FieldError } from '../auth/login-routes.js';

export const REVIEWS_PER_PAGE = 50;
export const DISAGREEMENTS_PER_PAGE = 25;
const NOTE_MAX = 2000;

export const strengthLabels: Record<Strength, string> = {
  none: 'no commitment',
  aspiration: 'aspiration',
  guidance: 'guidance',
  power: 'power',
  qualified_duty: 'qualified duty',
  duty: 'duty',
};


const reviewBody = z.object({
  action: z.enum(['confirm', 'reject', 'correct'], { error: 'Choose whether the tag is right, not co-production, or needs correcting' }),
  coproduction: z.enum(['', 'yes', 'no'], { error: 'Co-production is yes, no or unchanged' }).default(''),
  strength: z.enum(['', ...strengths], { error: 'Choose a strength from the list' }).default(''),
  note: z
    .string({ error: 'Write a note saying why' })
    .trim()
    .min(1, { error: 'Write a note saying why (it is shown beside the tag)' })
    .max(NOTE_MAX, { error: `Keep the note under ${NOTE_MAX} characters` }),
});

export interface ReviewFormValues {
  action: string;
  coproduction: string;
  strength: string;
  note: string;
}

/** Only strings of the expected fields, cut to size, go back into the form on a validation error. */
function formValuesOf(body: unknown): ReviewFormValues {
  const b = (body ?? {}) as Record<string, unknown>;
  const text = (v: unknown, max: number) => (typeof v === 'string' ? v.slice(0, max) : '');
  return { action: text(b.action, 20), coproduction: text(b.coproduction, 5), strength: text(b.strength, 20), note: text(b.note, NOTE_MAX) };
}

const adminQuery = z.object({
  page: z.coerce.number({ error: 'page must be a whole number' }).int({ error: 'page must be a whole number' }).min(1, { error: 'page starts at 1' }).max(100_000).default(1),
  dpage: z.coerce.number({ error: 'dpage must be a whole number' }).int({ error: 'dpage must be a whole number' }).min(1, { error: 'dpage starts at 1' }).max(100_000).default(1),
});

const documentPath = (documentId: string) => `/documents/${encodeURI(documentId)}`;

function describeDecision(action: string, coproduction: number | null, strength: string | null): string {
  if (action === 'confirm') return 'Confirmed the machine tag';
  if (action === 'reject') return 'Rejected: not co-production';
  const parts: string[] = [];
  if (coproduction !== null) parts.push(coproduction === 1 ? 'co-production' : 'not co-production');
  if (strength !== null) parts.push(strengthLabels[strength as Strength] ?? strength);
  return `Corrected to ${parts.join(', ')}`;
}

/** Sign-in, tag reviews and the reviewers' page. */
const reviewersOnly = requireReviewer({ title: 'Sign in to review', message: 'Only signed-in reviewers can change tags. Sign in, then try again.' });

export function reviewRoutes(services: Services): Router {
  const router = Router();
  const { db } = services;
  router.use(loginRoutes(services));

  router.post('/clause-versions/:id/review', reviewersOnly, async (req, res) => {
    const idText = String(req.params.id);
    const id = /^[1-9]\d{0,9}$/.test(idText) ? Number(idText) : NaN;
    const version = Number.isSafeInteger(id) ? await db.selectFrom('clause_versions').select(['id', 'clause_id']).where('id', '=', id).executeTakeFirst() : undefined;
    if (!version) {
      res.status(404).render('error', { title: 'Page not found', message: 'There is no clause version with this number.' });
      return;
    }
    const parsed = reviewBody.safeParse(req.body ?? {});
    const errors: FieldError[] = parsed.success
      ? []
      : parsed.error.issues.map((issue) => ({ field: String(issue.path[0] ?? 'action'), message: issue.message }));
    if (parsed.success && parsed.data.action === 'correct') {
      const { coproduction, strength } = parsed.data;
      if (coproduction === '' && strength === '') errors.push({ field: 'coproduction', message: 'A correction changes co-production, strength or both: choose at least one' });
      if (coproduction === 'no' && strength !== '' && strength !== 'none') errors.push({ field: 'strength', message: 'A clause that is not co-production has no commitment strength: leave strength unchanged' });
    }
    if (!parsed.success || errors.length > 0) {
      const tag = (await effectiveTags(db, [version.id])).get(version.id) ?? null;
      res.status(400).render('admin/review-invalid', {
        title: 'Check your review',
        errors,
        clauseVersionId: version.id,
        clauseId: version.clause_id,
        tag,
        reviewValues: formValuesOf(req.body),
      });
      return;
    }
    const { action, coproduction, strength, note } = parsed.data;
    const review: TagReview = {
      clauseVersionId: version.id,
      action,
      ...(action === 'correct' && coproduction !== '' ? { coproduction: coproduction === 'yes' } : {}),
      ...(action === 'correct' && strength !== '' ? { strength } : {}),
      note,
      reviewer: (res.locals.reviewer as { username: string }).username,
    };
    await reviewTag(db, review);
    services.log.info({ clauseVersionId: version.id, action, reviewer: review.reviewer }, 'tag reviewed');
    res.redirect(303, `/clauses/${version.clause_id}#v${version.id}`);
  });

  router.get(listPath('/admin/reviews'), reviewersOnly, async (req, res, next) => {
    const format = listFormatOf(req);
    if (!format) return next();
    const query = adminQuery.safeParse(req.query);
    if (!query.success) {
      renderProblem(res, 400, query.error.issues.map((i) => i.message).join('; '));
      return;
    }
    const { page, dpage } = query.data;
    const [rows, total] = await Promise.all([
      db
        .selectFrom('tag_reviews as r')
        .innerJoin('clause_versions as cv', 'cv.id', 'r.clause_version_id')
        .innerJoin('clauses as c', 'c.id', 'cv.clause_id')
        .innerJoin('documents as d', 'd.id', 'c.document_id')
        .select(['r.id', 'r.clause_version_id', 'r.action', 'r.coproduction', 'r.strength', 'r.note', 'r.reviewer', 'r.created_at', 'cv.clause_id', 'cv.key', 'cv.number', 'cv.heading', 'cv.language', 'd.id as document_id', 'd.title as document_title'])
        .orderBy('r.id', 'desc')
        .limit(REVIEWS_PER_PAGE)
        .offset((page - 1) * REVIEWS_PER_PAGE)
        .execute(),
      db.selectFrom('tag_reviews').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    ]);
    const reviews = rows.map((r) => ({
      id: r.id,
      clauseVersionId: r.clause_version_id,
      clausePath: `/clauses/${r.clause_id}#v${r.clause_version_id}`,
      provision: [r.number ?? r.key, r.heading].filter(Boolean).join(' '),
      language: r.language,
      documentId: r.document_id,
      documentTitle: r.document_title,
      documentPath: documentPath(r.document_id),
      action: r.action,
      decision: describeDecision(r.action, r.coproduction, r.strength),
      note: r.note,
      reviewer: r.reviewer,
      at: r.created_at,
    }));
    if (format !== 'html') {
      const search = new URLSearchParams(page > 1 ? { page: String(page) } : {}).toString();
      sendListExport(req, res, format, {
        title: 'Tag reviews',
        path: `/admin/reviews${search ? `?${search}` : ''}`,
        items: reviews,
        entry: (r) => ({
          id: tagUri('tag-review', r.id),
          title: `${r.decision}: ${r.documentTitle} ${r.provision}`,
          path: r.clausePath,
          updated: r.at,
          summary: r.note,
          fields: { clause_version_id: r.clauseVersionId, document_id: r.documentId, provision: r.provision, language: r.language, action: r.action, decision: r.decision, note: r.note, reviewer: r.reviewer },
        }),
      });
      return;
    }
    const reviewCount = Number(total.n);
    const queue = await disagreementQueue(services);
    const disagreements = queue.slice((dpage - 1) * DISAGREEMENTS_PER_PAGE, dpage * DISAGREEMENTS_PER_PAGE);
    const pageLink = (p: number, d: number) => {
      const params = new URLSearchParams();
      if (p > 1) params.set('page', String(p));
      if (d > 1) params.set('dpage', String(d));
      const s = params.toString();
      return `/admin/reviews${s ? `?${s}` : ''}`;
    };
    const reviewPages = Math.max(1, Math.ceil(reviewCount / REVIEWS_PER_PAGE));
    const disagreementPages = Math.max(1, Math.ceil(queue.length / DISAGREEMENTS_PER_PAGE));
    const exportQuery = page > 1 ? `?page=${page}` : '';
    res.render('admin/reviews', {
      title: 'Reviews',
      feeds: [{ type: 'application/atom+xml', title: 'Tag reviews (Atom)', href: `/admin/reviews.atom${exportQuery}` }],
      reviews,
      reviewCount,
      reviewPagination: {
        page,
        pages: reviewPages,
        previous: page > 1 ? pageLink(page - 1, dpage) : null,
        next: page < reviewPages ? pageLink(page + 1, dpage) : null,
      },
      exports: { atom: `/admin/reviews.atom${exportQuery}`, json: `/admin/reviews.json${exportQuery}`, csv: `/admin/reviews.csv${exportQuery}` },
      disagreements,
      disagreementCount: queue.length,
      disagreementPagination: {
        page: dpage,
        pages: disagreementPages,
        previous: dpage > 1 ? pageLink(page, dpage - 1) : null,
        next: dpage < disagreementPages ? pageLink(page, dpage + 1) : null,
      },
    });
  });

  return router;
}

export interface QueuedDisagreement {
  documentId: string;
  documentTitle: string;
  documentPath: string;
  label: string;
  validFrom: string | null;
  key: string;
  en: TwinView;
  cy: TwinView;
}

interface TwinView {
  clauseVersionId: number;
  path: string;
  coproduction: boolean;
  strength: Strength;
  strengthLabel: string;
  reviewed: boolean;
  excerpt: string;
}

/** English/Welsh twins whose tags still disagree once reviews are applied: a review of either side settles it. */
async function disagreementQueue(services: Services): Promise<QueuedDisagreement[]> {
  const raw = await twinDisagreements(services.db, 1000);
  const tags = await effectiveTags(
    services.db,
    raw.flatMap((d) => [d.en.clauseVersionId, d.cy.clauseVersionId]),
  );
  const documentIds = [...new Set(raw.map((d) => d.documentId))];
  const titles = new Map<string, string>();
  for (const ids of chunked(documentIds, 500)) {
    for (const d of await services.db.selectFrom('documents').select(['id', 'title']).where('id', 'in', ids).execute()) titles.set(d.id, d.title);
  }
  const view = (clauseId: number, side: { clauseVersionId: number; coproduction: boolean; strength: string; text: string }): TwinView => {
    const tag: EffectiveTag | undefined = tags.get(side.clauseVersionId);
    const strength = (tag?.strength ?? side.strength) as Strength;
    return {
      clauseVersionId: side.clauseVersionId,
      path: `/clauses/${clauseId}#v${side.clauseVersionId}`,
      coproduction: tag?.coproduction ?? side.coproduction,
      strength,
      strengthLabel: strengthLabels[strength] ?? strength,
      reviewed: tag?.source === 'review',
      excerpt: side.text.length > 220 ? `${side.text.slice(0, 219)}…` : side.text,
    };
  };
  return raw
    .map((d) => ({ documentId: d.documentId, documentTitle: titles.get(d.documentId) ?? d.documentId, documentPath: documentPath(d.documentId), label: d.label, validFrom: d.validFrom, key: d.key, en: view(d.clauseId, d.en), cy: view(d.clauseId, d.cy) }))
    .filter((d) => d.en.coproduction !== d.cy.coproduction || d.en.strength !== d.cy.strength);
}
