import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Services } from '../app.js';
import { listFormatOf, listPath, sendListExport, tagUri } from '../list-export.js';
import { sourceHealth } from '../../scraping/source-health.js';
import { recentFailures } from '../insight/source-failures.js';
import { insightHelpers } from '../insight/view-model.js';

/** Source health: is each scraper working, and what went wrong. */
export function sourceHealthRoutes(services: Services): Router {
  const router = Router();
  router.get(listPath('/sources'), async (req: Request, res: Response, next: NextFunction) => {
    const format = listFormatOf(req);
    if (!format) return next();
    // A source count is small (one per scraper): the per-source queries are bounded by it.
    const health = await sourceHealth(services.db);
    const failures = await recentFailures(services.db, health.map((h) => h.id));
    if (format !== 'html') {
      return sendListExport(req, res, format, {
        title: 'Source health',
        path: '/sources',
        items: health,
        entry: (h) => ({
          id: tagUri('source', h.id),
          title: `${h.name}: ${h.consecutiveFailures > 0 ? `${h.consecutiveFailures} consecutive failures` : 'working'}`,
          path: `/sources#source-${h.id}`,
          updated: [h.lastSuccessAt, h.lastErrorAt, h.lastRun?.finished_at, h.lastRun?.started_at].filter((x): x is string => Boolean(x)).sort().at(-1) ?? '1970-01-01T00:00:00.000Z',
          summary: h.lastError ? `Last error: ${h.lastError}` : 'No error recorded.',
          fields: {
            source_id: h.id,
            last_success_at: h.lastSuccessAt,
            last_error_at: h.lastErrorAt,
            last_error: h.lastError,
            consecutive_failures: h.consecutiveFailures,
            documents: h.documents,
            versions: h.versions,
            quarantined_versions: h.quarantinedVersions,
            last_run_status: h.lastRun?.status ?? null,
            data_quality_problems: h.problems.reduce((n, p) => n + p.count, 0),
          },
        }),
      });
    }
    res.render('sources', {
      ...insightHelpers,
      title: 'Source health',
      feeds: [{ type: 'application/atom+xml', title: 'Source health (Atom)', href: '/sources.atom' }],
      sources: health.map((h) => ({ ...h, failures: failures.get(h.id) ?? [] })),
      exportBase: '/sources',
      exportQuery: '',
    });
  });
  return router;
}
