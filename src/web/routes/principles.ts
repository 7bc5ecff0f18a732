import { Router, type Request, type Response } from 'express';
import type { Services } from '../app.js';
import { currentCommitments } from '../insight/current-commitments.js';
import { embeddingLadder } from '../insight/embedding-ladder.js';
import { corePrinciple } from '../insight/principle-guide.js';
import { rungTimeline } from '../insight/rung-timeline.js';
import { timelineChart } from '../insight/timeline-chart.js';
import { commitmentPath, excerpt, insightHelpers } from '../insight/view-model.js';

/** The principle catalogue and one page per principle: definition, where embedded, strongest clauses, trend. */
export function principleRoutes(services: Services): Router {
  const { db } = services;
  const router = Router();

  router.get('/principles', async (_req: Request, res: Response) => {
    const { commitments } = await currentCommitments(db);
    res.render('principles', {
      ...insightHelpers,
      title: 'Principles of co-production',
      ladder: embeddingLadder(commitments),
    });
  });

  router.get('/principles/:id', async (req: Request, res: Response) => {
    const principle = corePrinciple(String(req.params.id));
    if (!principle) {
      res.status(404).render('error', { title: 'Page not found', message: 'There is no principle with this id. The catalogue lists them all at /principles.' });
      return;
    }
    const [{ commitments }, timeline] = await Promise.all([currentCommitments(db), rungTimeline(db, principle.id)]);
    const ladder = embeddingLadder(commitments, [principle]);
    const mine = commitments.filter((c) => c.principles.includes(principle.id));
    res.render('principle', {
      ...insightHelpers,
      title: principle.name,
      principle,
      row: ladder.rows[0]!,
      jurisdictions: ladder.jurisdictions,
      strongest: mine.filter((c) => !c.version.proposed).slice(0, 10),
      proposed: mine.filter((c) => c.version.proposed).slice(0, 5),
      total: mine.filter((c) => !c.version.proposed).length,
      chart: timelineChart(timeline, new Date().toISOString().slice(0, 10)),
      excerpt,
      commitmentPath,
    });
  });
  return router;
}
