import type { EvidenceSpan, FundingAmount } from './types.js';
import type { CompiledRules } from './load-rules.js';
import { overlaps, spanOf } from './evidence.js';

/** A real clause names a handful of sums; the cap bounds the work on hostile input (the rest are dropped). */
export const MAX_AMOUNTS = 200;

/** Every amount in the text (taxonomy §8), linked to co-production or not, up to MAX_AMOUNTS. */
export function extractAmounts(text: string, rules: CompiledRules): FundingAmount[] {
  const f = rules.funding;
  const found: FundingAmount[] = [];
  // Cheap pre-check: most clauses carry no currency sign and no spelled-out million/billion.
  if (!/[£€$]|illion|iliwn/i.test(text)) return found;
  for (const { rule, regex } of f.amounts) {
    // Hits of one rule never overlap each other, so only earlier rules' hits need checking.
    const earlier = found.length;
    regex.lastIndex = 0;
    let m: RegExpExecArray | null;
    while (found.length < MAX_AMOUNTS && (m = regex.exec(text)) !== null) {
      const start = m.index;
      const end = start + m[0].length;
      if (earlier && found.some((a, i) => i < earlier && overlaps(a.span, { start, end }))) continue;
      const g = m.groups ?? {};
      const currency = f.currencies[(g.currency ?? '').toLowerCase()] ?? f.currencies[g.currency ?? ''];
      const whole = Number((g.number ?? '').replace(/,/g, ''));
      if (!currency || !Number.isFinite(whole)) continue;
      const value = g.fraction ? Number(`${whole}.${g.fraction}`) : whole;
      const unit = g.unit ? (f.units[g.unit.toLowerCase()] ?? 1) : 1;
      const tail = text.slice(end, Math.min(text.length, end + 200)).split(/[.;](?:\s|$)/, 1)[0] ?? '';
      const head = text.slice(Math.max(0, start - 30), start);
      found.push({
        amount: Math.round(value * unit * 100) / 100,
        currency,
        period: periodOf(tail, rules),
        recipient: f.recipient.regex.exec(tail)?.groups?.recipient?.trim() ?? null,
        additional: f.additional.regex.test(head) || f.additional.regex.test(tail.slice(0, 25)),
        span: { start, end, text: text.slice(start, end), rule: rule.id },
      });
    }
  }
  return found.sort((a, b) => a.span.start - b.span.start);
}

function periodOf(tail: string, rules: CompiledRules): string | null {
  let best: { index: number; period: string } | null = null;
  for (const { rule, regex } of rules.funding.periods) {
    const m = regex.exec(tail);
    if (!m || (best && best.index <= m.index)) continue;
    const period = rule.period.replace(/\{(\w+)\}/g, (_, name: string) => (m.groups?.[name] ?? '').replace('–', '-'));
    best = { index: m.index, period };
  }
  return best?.period ?? null;
}

export interface FundingSignals {
  /** 0-3 as if the money were tied to co-production (tier 3 needs an amount). */
  tier: 0 | 1 | 2 | 3;
  /** A §8 near miss (cost-neutral, savings, pooled budgets…) without a co-production payment scheme. */
  nearMiss: boolean;
  evidence: EvidenceSpan[];
  reasons: string[];
}

/** Money cues in one clause; the caller decides whether they are linked to co-production. */
export function fundingSignals(text: string, amounts: FundingAmount[], rules: CompiledRules): FundingSignals {
  const f = rules.funding;
  const evidence: EvidenceSpan[] = [];
  const reasons: string[] = [];
  const instruments = f.instruments.scan(text);
  const nearMisses = f.nearMisses.scan(text);
  const link = instruments.some((h) => h.rule.coproductionLink);
  const nearMiss = nearMisses.length > 0 && !link;
  evidence.push(...instruments.map((h) => spanOf(text, h)), ...nearMisses.map((h) => spanOf(text, h)), ...amounts.map((a) => a.span));
  if (nearMiss) {
    reasons.push(`funding near miss (${nearMisses.map((h) => h.rule.id).join(', ')}, §8)`);
    return { tier: 0, nearMiss, evidence, reasons };
  }
  let tier: 0 | 1 | 2 | 3 = 0;
  if (amounts.length) tier = 3;
  else if (instruments.some((h) => h.rule.tier === 2)) tier = 2;
  else if (instruments.length) tier = 1;
  return { tier, nearMiss, evidence, reasons };
}
