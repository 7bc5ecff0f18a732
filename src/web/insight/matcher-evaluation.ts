import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../project-root.js';

export interface EvaluationSplit {
  id: string;
  name: string;
  note: string;
  items: number;
  precision: number;
  recall: number;
  strengthAccuracy: number;
  fundingF1: number;
}

export interface MatcherEvaluation {
  rulesVersion: string;
  /** The MATCHER_VERSION these figures were measured on; a test fails when it is stale. */
  matcherVersion: string;
  command: string;
  targets: { precision: number; recall: number; strengthAccuracy: number; fundingF1: number };
  splits: EvaluationSplit[];
  /** Two labellers' readings of the same clauses: the second scored as a prediction of the first (the ceiling). */
  agreement?: {
    items: number;
    precision: number;
    recall: number;
    kappa: number;
    command: string;
    /** The same on a sample of the sealed batch, with the matcher scored against the first reading there. */
    sealed?: { split: string; items: number; precision: number; recall: number; kappa: number; matcherPrecision: number; matcherRecall: number; matcherKappa: number };
  };
}

/** src/web/insight/matcher-evaluation.json: the figures of DESIGN.md's "Matcher quality" table. */
export function readMatcherEvaluation(): MatcherEvaluation {
  return JSON.parse(readFileSync(path.join(projectRoot, 'src/web/insight/matcher-evaluation.json'), 'utf8')) as MatcherEvaluation;
}

/** Where to report a wrong tag: package.json `bugs` (url or string) when set. */
export function issueTrackerUrl(): string | null {
  const pkg = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { bugs?: string | { url?: string } };
  const bugs = typeof pkg.bugs === 'string' ? pkg.bugs : pkg.bugs?.url;
  return bugs && /^https?:\/\//.test(bugs) ? bugs : null;
}
