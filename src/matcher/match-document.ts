import type { MatchInput, MatchResult } from './types.js';
import { loadRules, type CompiledRules } from './load-rules.js';
import { analyseClause } from './match-clause.js';

/**
 * Match every clause of one document in order, then link money across neighbours (taxonomy §8: "the
 * clause or its neighbours make that link"): a co-production clause without funding of its own takes the
 * funding of the previous or next clause in the same section when that clause names money, is not a §8
 * near miss, and refers back to the commitment ("this work", "to support this") or is itself about
 * co-production. The money stays in the neighbour's `amounts` (spans index into its own text); the
 * commitment gets `funding`, the tier and a reason naming the neighbour.
 */
export function matchDocument(inputs: MatchInput[], rules: CompiledRules = loadRules()): MatchResult[] {
  const analyses = inputs.map((input) => analyseClause(input, rules));
  analyses.forEach((analysis, i) => {
    const result = analysis.result;
    if (!result.coproduction || result.funding) return;
    for (const j of [i + 1, i - 1]) {
      const neighbour = analyses[j];
      const money = neighbour?.money;
      if (!neighbour || !money || money.nearMiss || money.tier === 0) continue;
      if ((inputs[j]!.heading ?? null) !== (inputs[i]!.heading ?? null)) continue;
      const text = inputs[j]!.text;
      const refersBack = neighbour.result.principles.some((p) => p.kind === 'core') || rules.funding.neighbourLinks.test(text);
      if (!refersBack) continue;
      result.funding = true;
      result.fundingTier = money.tier;
      result.reasons.push(`funding linked from ${j < i ? 'previous' : 'next'} clause (#${j}, F${money.tier}, §8)`);
      break;
    }
  });
  return analyses.map((a) => a.result);
}
