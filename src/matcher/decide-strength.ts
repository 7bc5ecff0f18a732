import { strengthRank, type Strength } from '../domain/strength.js';
import type { EvidenceSpan, MatchInput } from './types.js';
import type { CompiledRules, LanguageRules } from './load-rules.js';
import type { Hit } from './rule-set.js';
import type { ModalRule, RawRule } from './rules-schema.js';
import { spanOf } from './evidence.js';

export interface StrengthDecision {
  strength: Strength;
  ambiguous: boolean;
  reasons: string[];
  evidence: EvidenceSpan[];
}

/**
 * Commitment strength (taxonomy §7), computed only for co-production clauses. `anchor` is the first core
 * evidence span: the governing modal is the last one before it (§7.1), else the lead-in's (§7.4), else
 * the first one after it.
 */
export function decideStrength(input: MatchInput, anchor: { start: number; end: number }, lang: LanguageRules, rules: CompiledRules): StrengthDecision {
  const text = input.text;
  const reasons: string[] = [];
  const evidence: EvidenceSpan[] = [];
  if (input.heading && rules.explanatoryHeading.test(input.heading)) {
    return { strength: 'none', ambiguous: false, reasons: ['explanatory material creates no commitment (§7.3)'], evidence };
  }
  const thirdParty = rules.thirdParty && input.documentKind && rules.thirdParty.documentKinds.has(input.documentKind) ? rules.thirdParty : null;
  if (thirdParty) {
    if (lang.modals.scan(text).some((m) => m.rule.negation)) return { strength: 'none', ambiguous: false, reasons: ['negated or disclaimed commitment (§7.5)'], evidence };
    return ownCommitment(input, thirdParty.ownCommitment);
  }
  const modals = withoutSubordinate(lang.modals.scan(text), text, rules);
  const before = lastBefore(modals, anchor.start);
  let governing: { hit: Hit<ModalRule>; fromLeadIn: boolean } | null = before ? { hit: before, fromLeadIn: false } : null;
  let scopeEnd = anchor.end;
  if (!governing && input.leadIn) {
    const leadModals = withoutSubordinate(lang.modals.scan(input.leadIn), input.leadIn, rules);
    const last = leadModals[leadModals.length - 1];
    if (last) {
      governing = { hit: last, fromLeadIn: true };
      // The lead-in's modal governs the whole item, so a qualifier anywhere in it applies ("to the extent it considers appropriate").
      scopeEnd = text.length;
    }
  }
  if (!governing) {
    const after = modals.find((m) => m.start >= anchor.start);
    if (after) {
      governing = { hit: after, fromLeadIn: false };
      scopeEnd = Math.min(text.length, after.end + 60);
    }
  }
  if (!governing) {
    const fallback = input.documentKind ? rules.documentKindDefaults[input.documentKind] : undefined;
    if (fallback && !(input.heading && rules.explanatoryHeading.test(input.heading)) && !rules.reportOfFact?.test(text)) {
      reasons.push(`no modal: a ${input.documentKind} states ${fallback} (§7 table)`);
      return { strength: fallback, ambiguous: false, reasons, evidence };
    }
    return { strength: 'none', ambiguous: false, reasons: [...reasons, 'no modal governs the co-production content'], evidence };
  }

  const { hit, fromLeadIn } = governing;
  const guidanceDocument = input.documentKind === 'guidance' || input.documentKind === 'code';
  let strength: Strength = guidanceDocument && hit.rule.inGuidance ? hit.rule.inGuidance : hit.rule.strength;
  if (fromLeadIn) reasons.push(`modal from list lead-in: "${input.leadIn!.slice(hit.start, hit.end)}" (${hit.rule.id}, §7.4)`);
  else evidence.push(spanOf(text, hit));
  if (hit.rule.negation) {
    reasons.push('negated or disclaimed commitment (§7.5)');
    return { strength: 'none', ambiguous: false, reasons, evidence };
  }

  if (strength === 'duty') {
    // Qualifiers between the modal and the co-production content (or in the lead-in) downgrade (§7.2).
    const from = fromLeadIn ? 0 : hit.start;
    const qualifier = lang.qualifiers.scan(text).find((q) => q.start >= from && q.start < scopeEnd);
    const leadQualifier = fromLeadIn && input.leadIn ? lang.qualifiers.scan(input.leadIn)[0] : undefined;
    if (qualifier) {
      strength = 'qualified_duty';
      evidence.push(spanOf(text, qualifier));
      reasons.push(`qualified by "${text.slice(qualifier.start, qualifier.end)}" (§7.2)`);
    } else if (leadQualifier) {
      strength = 'qualified_duty';
      reasons.push(`lead-in qualifies the duty: "${input.leadIn!.slice(leadQualifier.start, leadQualifier.end)}" (§7.2)`);
    }
  }

  if (strength === 'duty' && input.heading && rules.principlesHeading?.test(input.heading)) {
    strength = 'qualified_duty';
    reasons.push('item of a statutory principles list, read under its have-regard lead-in (§7 qualified_duty note)');
  }

  let ambiguous = false;
  const kind = input.documentKind;
  const cap = kind ? rules.documentKindCaps[kind] : undefined;
  if (cap && strengthRank(strength) > strengthRank(cap)) {
    const welsh = input.language === 'cy' || input.jurisdiction === 'wales';
    // A code of practice says "must" only where the law requires it (the SEND Code of Practice says so in its
    // introduction), so its "must" restates a duty like guidance that cites the statute.
    const restatesStatute = kind === 'code' || (kind === 'guidance' && (rules.statuteReference.test(text) || (!!input.heading && rules.statuteReference.test(input.heading))));
    if ((strength === 'duty' || strength === 'qualified_duty') && kind === 'code' && welsh) {
      reasons.push('Welsh code requirement "must" is binding (§7.3)');
    } else if ((strength === 'duty' || strength === 'qualified_duty') && restatesStatute) {
      ambiguous = true;
      reasons.push(`${kind} restating a statutory duty (§7.3, ambiguous)`);
    } else {
      reasons.push(`${kind} caps strength at ${cap} (§7.3)`);
      strength = cap;
    }
  }
  if (kind === 'bill' && strength !== 'none') reasons.push('bill text: labelled by its modal but not in force (proposed, §7.6)');
  return { strength, ambiguous, reasons, evidence };
}

/**
 * A third party's own words commit no one but the writer (§7 none row: descriptions of duties, recommendations
 * by non-government bodies, predictive "will" in explainers): aspiration where the writer commits itself in the
 * clause or its lead-in ("we are committed to", "our ambition", "ICHP have made a commitment to"), else none.
 */
function ownCommitment(input: MatchInput, cue: { rule: RawRule; regex: RegExp }): StrengthDecision {
  const kind = input.documentKind!;
  const m = cue.regex.exec(input.text);
  if (m) {
    return { strength: 'aspiration', ambiguous: false, reasons: [`${kind} text: the writer's own commitment (§7 aspiration row)`], evidence: [spanOf(input.text, { rule: cue.rule, start: m.index, end: m.index + m[0].length })] };
  }
  const lead = input.leadIn ? cue.regex.exec(input.leadIn) : null;
  if (lead) return { strength: 'aspiration', ambiguous: false, reasons: [`${kind} text: the writer's own commitment in the lead-in: "${lead[0]}" (§7.4)`], evidence: [] };
  return { strength: 'none', ambiguous: false, reasons: [`${kind} text describes or predicts and commits no one (§7 none row)`], evidence: [] };
}

/** Drops modals that sit inside a subordinate clause ("as the Ministers may direct"): they govern nothing here. */
function withoutSubordinate(hits: readonly Hit<ModalRule>[], text: string, rules: CompiledRules): readonly Hit<ModalRule>[] {
  if (!hits.length || !rules.subordinateModals.rules.length) return hits;
  const subordinate = rules.subordinateModals.scan(text);
  if (!subordinate.length) return hits;
  return hits.filter((h) => !subordinate.some((s) => h.start >= s.start && h.end <= s.end));
}

function lastBefore<R extends { start: number }>(hits: readonly R[], offset: number): R | undefined {
  let found: R | undefined;
  for (const h of hits) {
    if (h.start >= offset) break;
    found = h;
  }
  return found;
}
