export type { EvidenceSpan, FundingAmount, MatchInput, MatchResult, PrincipleTag } from './types.js';
export { loadRules, defaultRulesDir, type CompiledRules } from './load-rules.js';
export { matchClause } from './match-clause.js';
export { matchDocument } from './match-document.js';
export { MATCHER_VERSION, ENGINE_VERSION } from './version.js';
