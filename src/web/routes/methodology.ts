import { Router, type Request, type Response } from 'express';
import type { Services } from '../app.js';
import { MATCHER_VERSION } from '../../matcher/index.js';
import { issueTrackerUrl, readMatcherEvaluation } from '../insight/matcher-evaluation.js';
import { rungs, strengthMeanings, strengthName } from '../insight/labels.js';
import { corePrinciples } from '../insight/principle-guide.js';

/** How tagging works, the ladder, and how accurate the tags are — dev and holdout figures. */
export function methodologyRoutes(_services: Services): Router {
  const router = Router();
  const evaluation = readMatcherEvaluation();
  const bugs = issueTrackerUrl();
  router.get('/methodology', (_req: Request, res: Response) => {
    res.render('methodology', {
      title: 'Methodology',
      evaluation,
      stale: evaluation.matcherVersion !== MATCHER_VERSION,
      matcherVersion: MATCHER_VERSION,
      rungs: [...rungs].reverse(),
      strengthMeanings,
      strengthName,
      principleCount: corePrinciples.length,
      bugs,
      percent: (n: number) => `${(n * 100).toFixed(1)}%`,
    });
  });
  return router;
}
