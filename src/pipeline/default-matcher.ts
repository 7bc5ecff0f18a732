import { MATCHER_VERSION, matchClause, matchDocument } from '../matcher/index.js';
import type { MatchInput, MatchResult } from '../matcher/types.js';
import type { Matcher } from './tag-clauses.js';

/** The matcher with the rules in data/rules, as the pipeline and the commands use it. */
export const defaultMatcher: Matcher = {
  version: MATCHER_VERSION,
  matchDocument: (inputs) => matchDocument(inputs),
};

export const matchOne = (input: MatchInput): MatchResult => matchClause(input);
