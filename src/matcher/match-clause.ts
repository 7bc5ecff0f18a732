import type { EvidenceSpan, MatchInput, MatchResult } from './types.js';
import { loadRules, type CompiledRules, type LanguageRules } from './load-rules.js';
import { tagPrinciples, type PrincipleTagging } from './tag-principles.js';
import { decideCoproduction, type LadderDecision, type LeadInContext } from './decide-coproduction.js';
import { decideStrength } from './decide-strength.js';
import { extractAmounts, fundingSignals, type FundingSignals } from './funding.js';
import { matcherVersionOf } from './version.js';
import { probabilityOf, readLearned } from './learned-model.js';

/** Only the end of a long lead-in governs the item (the words just before the dash or colon). */
const LEAD_IN_WINDOW = 400;

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
  // A list item is read with its lead-in (taxonomy §9.7, §7.4): "A local authority must collaborate with the
  // person in relation to—" carries the co-production content of "(b) the provision of support".
  const leadIn = input.leadIn ? input.leadIn.slice(-LEAD_IN_WINDOW) : null;
  let context: LeadInContext | null = leadIn ? { text: leadIn, tagging: tagPrinciples(leadIn, lang, rules), source: 'lead-in' } : null;
  const amounts = extractAmounts(text, rules);
  // The figures of a fund are often given clause by clause under a heading that names it ("£1.5 million of
  // the fund is available in two categories" under "Community Choices Fund … participatory budgeting"): a
  // clause that names an amount and has no principle of its own is read with its heading (§8, §9.7) when
  // the heading names a co-production fund or payment scheme (participatory budgeting, involvement payments).
  if (amounts.length && input.heading && !tagging.coreEvidence.length && !context?.tagging.coreEvidence.length && namesCoproductionFund(input.heading, rules)) {
    const heading = input.heading.slice(-LEAD_IN_WINDOW);
    context = { text: heading, tagging: tagPrinciples(heading, lang, rules), source: 'heading' };
  }
  const decision = decideCoproduction(text, tagging, lang, rules, context, input.documentKind);
  if (!decision.coproduction && !decision.forced && rules.learned) proposeFromWords(input, decision, tagging, lang, rules);
  const evidence: EvidenceSpan[] = [];
  for (const tag of tagging.tags) evidence.push(...tag.evidence);
  evidence.push(...decision.evidence);
  const reasons = [...decision.reasons];
  let ambiguous = decision.ambiguous;

  const result: MatchResult = {
    coproduction: decision.coproduction,
    ambiguous,
    principles: [...tagging.tags.filter((t) => !decision.inherited.some((i) => i.id === t.id)), ...decision.inherited],
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

/**
 * Where the rules say "not co-production", the learned layer (data/rules/learned.json) may still propose the clause:
 * phrasings no rule lists yet are the matcher's main loss on unseen text. A proposal is always flagged ambiguous for
 * review, names the words that weighed most (as evidence, like any rule), and never overrides an exclusion the rules
 * found (E1, E3, E4, E5).
 */
function proposeFromWords(input: MatchInput, decision: LadderDecision, tagging: PrincipleTagging, lang: LanguageRules, rules: CompiledRules): void {
  if (probabilityOf(rules.learned!, input) < rules.learned!.threshold) return;
  // What the rules know for certain is not co-production stays so: an explicit denial or a definition (E4, E5), a
  // near-miss sense or domain (E3: film co-production, "participatory budgeting working group" as a body's name),
  // institutions as the only partners (E1).
  if (lang.denials.test(input.text) || rules.definitions.test(input.text)) return;
  if (tagging.maskEvidence.length || rules.domainGuards.test(input.text)) return;
  if (!lang.people.test(input.text) && lang.institutions.test(input.text)) return;
  const reading = readLearned(rules.learned!, input);
  decision.coproduction = true;
  decision.ambiguous = true;
  decision.reasons.push(
    `learned layer: probability ${reading.probability.toFixed(2)} ≥ ${rules.learned!.threshold} from the words ${reading.words.map((w) => `"${input.text.slice(w.feature.start, w.feature.end)}" (+${w.weight.toFixed(2)})`).join(', ') || '(none of the clause’s own)'}; proposed for review`,
  );
  for (const w of reading.words) decision.evidence.push({ start: w.feature.start!, end: w.feature.end!, text: input.text.slice(w.feature.start, w.feature.end), rule: `learned:${w.feature.key}` });
}

function namesCoproductionFund(heading: string, rules: CompiledRules): boolean {
  return rules.funding.instruments.scan(heading).some((h) => h.rule.coproductionLink);
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
