import type { EvidenceSpan, MatchInput, MatchResult } from './types.js';
import { loadRules, type CompiledRules } from './load-rules.js';
import { tagPrinciples } from './tag-principles.js';
import { decideCoproduction } from './decide-coproduction.js';
import { decideStrength } from './decide-strength.js';
import { extractAmounts, fundingSignals, type FundingSignals } from './funding.js';
import { matcherVersionOf } from './version.js';

/** A clause result plus what matchDocument needs to link money across neighbours. */
export interface ClauseAnalysis {
  result: MatchResult;
  /** Money cues in this clause, whether or not it is itself a co-production clause. */
  money: FundingSignals | null;
}

/** Match one clause (taxonomy §9): principle tags, ladder decision, strength, funding. */
export function matchClause(input: MatchInput, rules: CompiledRules = loadRules()): MatchResult {
  return analyseClause(input, rules).result;
}

export function analyseClause(input: MatchInput, rules: CompiledRules = loadRules()): ClauseAnalysis {
  const text = input.text;
  const lang = input.language === 'cy' ? rules.cy : rules.en;
  const tagging = tagPrinciples(text, lang, rules);
  const decision = decideCoproduction(text, tagging, lang, rules);
  const amounts = extractAmounts(text, rules);
  const evidence: EvidenceSpan[] = [];
  for (const tag of tagging.tags) evidence.push(...tag.evidence);
  evidence.push(...decision.evidence);
  const reasons = [...decision.reasons];
  let ambiguous = decision.ambiguous;

  const result: MatchResult = {
    coproduction: decision.coproduction,
    ambiguous,
    principles: tagging.tags,
    strength: 'none',
    funding: false,
    fundingTier: 0,
    amounts,
    evidence,
    score: decision.score,
    reasons,
    matcherVersion: matcherVersionOf(rules.version),
  };

  const hasMoneyCue = amounts.length > 0 || rules.funding.instruments.test(text);
  const money = hasMoneyCue ? fundingSignals(text, amounts, rules) : null;
  if (!decision.coproduction) {
    if (money && money.tier > 0) reasons.push('money not linked: clause is not a co-production commitment (§8)');
    return { result, money };
  }

  const anchor = tagging.coreEvidence[0] ?? { start: 0, end: 0 };
  const strength = decideStrength(input, anchor, lang, rules);
  result.strength = strength.strength;
  evidence.push(...strength.evidence);
  reasons.push(...strength.reasons);
  ambiguous ||= strength.ambiguous;

  if (money) {
    evidence.push(...money.evidence);
    reasons.push(...money.reasons);
    if (money.tier > 0) {
      result.funding = true;
      result.fundingTier = money.tier;
      reasons.push(`funding in the co-production clause (F${money.tier})`);
    }
  }
  result.ambiguous = ambiguous;
  dedupe(result);
  return { result, money };
}

function dedupe(result: MatchResult): void {
  const seen = new Set<string>();
  result.evidence = result.evidence.filter((e) => {
    const key = `${e.start}:${e.end}:${e.rule}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
