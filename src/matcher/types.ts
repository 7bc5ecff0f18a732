import type { DocumentKind } from '../domain/scraped-document.js';
import type { Strength } from '../domain/strength.js';

/**
 * The matcher's contract (issue 4). `src/matcher/` applies the rules in `data/rules/`; the pipeline,
 * the CLI (`npm run match`) and the evaluation (`npm run eval`) only see these types.
 */
export interface MatchInput {
  text: string;
  /** Default 'en'. */
  language?: 'en' | 'cy';
  /** act, si, bill, code, guidance, statement, budget, other — caps and reads strength (taxonomy §7). */
  documentKind?: DocumentKind;
  jurisdiction?: string;
  /** Section / cross-heading / part titles, outermost first, joined as the scrapers give them. */
  heading?: string | null;
  /** The list lead-in the clause continues ("A local authority must promote—"), if it is a list item. */
  leadIn?: string | null;
}

/** Character offsets into MatchInput.text (UTF-16 code units, end exclusive) of the words that fired. */
export interface EvidenceSpan {
  start: number;
  end: number;
  text: string;
  /** Id of the rule that fired, e.g. `principle:explicit_coproduction/co-produce`, `guard:film`, `strength:must`. */
  rule: string;
}

export interface PrincipleTag {
  /** Taxonomy id (§4 core, §5 adjacent). */
  id: string;
  kind: 'core' | 'adjacent';
  score: number;
  evidence: EvidenceSpan[];
}

export interface FundingAmount {
  /** The amount in units of currency (2300000 for "£2.3m"). */
  amount: number;
  currency: 'GBP' | 'EUR' | 'USD';
  /** "a year", "over three years", "2026-27"… as stated, normalised where possible ('per-year'). */
  period: string | null;
  recipient: string | null;
  /** "an additional £10 million". */
  additional: boolean;
  span: EvidenceSpan;
}

export interface MatchResult {
  coproduction: boolean;
  /** Close to the threshold, or a contestable individual-level reading (taxonomy §9.5). */
  ambiguous: boolean;
  principles: PrincipleTag[];
  /** `none` whenever coproduction is false (taxonomy §7 convention). */
  strength: Strength;
  /** Money attached to the co-production commitment (false whenever coproduction is false, §8). */
  funding: boolean;
  /** Funding tier F0–F3 (§8). */
  fundingTier: 0 | 1 | 2 | 3;
  /** Every amount found in the text, linked or not (the tracker shows the linked ones). */
  amounts: FundingAmount[];
  /** All spans that contributed, including guards and strength cues. */
  evidence: EvidenceSpan[];
  score: number;
  /** Human-readable reasons for the decision ("consultation only (E2)", "people counterparty"…). */
  reasons: string[];
  matcherVersion: string;
}
