import { describe, expect, it } from 'vitest';
import { loadRules, matchClause, MATCHER_VERSION } from '../../src/matcher/index.js';
import { cases } from './cases.js';

const rules = loadRules();

describe('matchClause: the ladder decision on real sentences', () => {
  it.each(cases)('$name', (c) => {
    const result = matchClause(c.input, rules);
    const ids = result.principles.map((p) => p.id);
    expect({ coproduction: result.coproduction, strength: result.strength }, result.reasons.join(' | ')).toEqual({
      coproduction: c.coproduction,
      strength: c.strength,
    });
    if (c.ambiguous !== undefined) expect(result.ambiguous, result.reasons.join(' | ')).toBe(c.ambiguous);
    for (const id of c.principles ?? []) expect(ids).toContain(id);
    for (const id of c.notPrinciples ?? []) expect(ids).not.toContain(id);
    if (c.reason) expect(result.reasons.join(' | ')).toContain(c.reason);
    if (!result.coproduction) expect({ strength: result.strength, funding: result.funding, tier: result.fundingTier }).toEqual({ strength: 'none', funding: false, tier: 0 });
    expect(result.matcherVersion).toBe(MATCHER_VERSION);
  });

  it.each(cases)('evidence spans index the words that fired: $name', (c) => {
    const result = matchClause(c.input, rules);
    const spans = [...result.evidence, ...result.principles.flatMap((p) => p.evidence), ...result.amounts.map((a) => a.span)];
    for (const span of spans) {
      expect(c.input.text.slice(span.start, span.end)).toBe(span.text);
      expect(span.rule).toMatch(/^[a-z_]+:/);
    }
  });

  it('records the lead-in modal as a reason, since spans only index the clause text', () => {
    const result = matchClause(cases[0]!.input, rules);
    expect(result.reasons.join(' | ')).toMatch(/modal from list lead-in: "must"/);
    expect(result.evidence.some((e) => e.rule.startsWith('strength:'))).toBe(false);
  });

  it('points the co-production evidence at the right words', () => {
    const text = 'Local authorities should actively promote participation in providing interventions that are co-produced with individuals, families, friends, carers and the community.';
    const result = matchClause({ text, documentKind: 'guidance' }, rules);
    const tag = result.principles.find((p) => p.id === 'explicit_coproduction')!;
    expect(tag.evidence[0]).toMatchObject({ text: 'co-produced', rule: 'principle:explicit_coproduction/co-produce', start: text.indexOf('co-produced') });
    expect(result.evidence.find((e) => e.rule === 'strength:should')?.text).toBe('should');
  });

  it('gives a clause and its Welsh twin the same decision', () => {
    const byName = (prefix: string) => cases.find((c) => c.name.startsWith(prefix))!;
    const pairs = [
      [cases[0]!, cases[1]!],
      [cases[2]!, cases[3]!],
      [byName('SSWWA official gloss'), byName('SSWWA gloss, Welsh twin')],
    ] as const;
    for (const [en, cy] of pairs) {
      const a = matchClause(en.input, rules);
      const b = matchClause(cy.input, rules);
      expect({ c: b.coproduction, s: b.strength, a: b.ambiguous }).toEqual({ c: a.coproduction, s: a.strength, a: a.ambiguous });
    }
  });

  it('defaults to English and handles empty text', () => {
    const result = matchClause({ text: '' }, rules);
    expect(result).toMatchObject({ coproduction: false, strength: 'none', funding: false, fundingTier: 0, amounts: [], principles: [] });
  });
});
