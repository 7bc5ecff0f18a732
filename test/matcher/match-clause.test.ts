import { describe, expect, it } from 'vitest';
import { loadRules, matchClause, MATCHER_VERSION } from '../../src/matcher/index.js';
import type { MatchInput } from '../../src/matcher/types.js';
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
    if (c.funding !== undefined) expect(result.funding, result.reasons.join(' | ')).toBe(c.funding);
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

describe('compositions: role + object + person in one sentence (taxonomy §1 B)', () => {
  // Constructed sentences: they pin the mechanism (sentence and window limits, the Welsh twin), not a reading of a real text.
  const match = (text: string, extra: Partial<MatchInput> = {}) => matchClause({ text, documentKind: 'act', ...extra }, rules);

  it('fires in English and Welsh with the same decision and strength', () => {
    const en = match('The local authority must enable people to take part in the design of services.');
    const cy = match('Rhaid i’r awdurdod lleol alluogi pobl i gymryd rhan yn y gwaith o ddylunio gwasanaethau.', { language: 'cy' });
    expect({ c: en.coproduction, s: en.strength }).toEqual({ c: true, s: 'duty' });
    expect({ c: cy.coproduction, s: cy.strength }).toEqual({ c: en.coproduction, s: en.strength });
    const roles = en.principles.flatMap((p) => p.evidence).filter((e) => e.rule.startsWith('composition:'));
    expect(roles.map((e) => e.text)).toEqual(['take part', 'design']);
  });

  it('needs all three parts in one sentence', () => {
    expect(match('People attended the meeting. The council must take part in the design of the new building.').coproduction).toBe(false);
    expect(match('The council must take part in the design of services with other bodies.').coproduction).toBe(false);
  });

  it('needs the role and its object close together', () => {
    const far = 'The authority must involve people, in ways that it considers appropriate having regard to all the circumstances of the area and the resources that it has available to it at the time, when it publishes its design statement.';
    expect(match(far).principles.some((p) => p.evidence.some((e) => e.rule.startsWith('composition:')))).toBe(false);
  });

  it('reads decisions about a person\'s own care as individual-level voice and control', () => {
    const result = match('The local authority must involve the person in decisions about their care and support.');
    expect(result.principles.map((p) => p.id)).toContain('voice_control');
    expect(result.principles.map((p) => p.id)).not.toContain('shared_power');
    expect(result.ambiguous).toBe(true);
  });
});

describe('working with the person (taxonomy §5.2 exception)', () => {
  it('reads "together with" and "jointly with" the person alike, and "jointly with" a body as co-operation', () => {
    const read = (text: string) => {
      const m = matchClause({ text, documentKind: 'act' }, rules);
      return { c: m.coproduction, s: m.strength };
    };
    const together = read('A local authority must prepare each care and support plan together with the person to whom the plan relates.');
    expect(together).toEqual({ c: true, s: 'duty' });
    expect(read('A local authority must prepare each care and support plan jointly with the person to whom the plan relates.')).toEqual(together);
    expect(read('The two authorities must act jointly with the health board.')).toEqual({ c: false, s: 'none' });
  });
});

describe('weak cues, interpretation provisions and I-statements', () => {
  const match = (text: string, extra: Partial<MatchInput> = {}) => matchClause({ text, documentKind: 'act', ...extra }, rules);

  it('counts "involve people" only where the clause or its lead-in commits to it', () => {
    const described = match('There are many different ways to involve people.', { documentKind: 'guidance' });
    expect(described.coproduction).toBe(false);
    expect(described.reasons.join(' | ')).toContain('without a commitment');
    const committed = match('The local authority must involve carers.');
    expect({ c: committed.coproduction, s: committed.strength, a: committed.ambiguous }).toEqual({ c: true, s: 'duty', a: true });
    expect(match('(5) A local authority, in carrying out a needs assessment, must involve— (a) the adult, and (b) any carer that the adult has.').coproduction).toBe(true);
  });

  it('reads an interpretation provision as a definition (E5), unless it defines co-production itself', () => {
    const outcomes = match('“personal outcomes” (“canlyniadau personol”) means the outcomes which a person wishes to achieve;');
    expect(outcomes.coproduction).toBe(false);
    expect(outcomes.reasons.join(' | ')).toContain('definition of outcomes or eligibility (E5)');
    expect(match('“co-production” means people who use services and professionals working together as equal partners;').coproduction).toBe(true);
  });

  it('reads numbered national standards written as I-statements as guidance with the person as "I"', () => {
    const result = match('2.3 I am fully involved in all decisions about my care and support.', { documentKind: 'guidance', jurisdiction: 'scotland' });
    expect({ c: result.coproduction, s: result.strength }).toEqual({ c: true, s: 'guidance' });
    expect(match('I am pleased to publish the strategy today.', { documentKind: 'statement' }).coproduction).toBe(false);
  });
});

describe('the word co-design is not itself a role', () => {
  it('names co-design beside consultation without giving anyone a role: coprobabble, not co-production', () => {
    const m = matchClause({ text: 'I thank everyone who has contributed to the consultation on the national care service, our co-design sessions, the annual forums and the many meetings that my officials and I have undertaken.', documentKind: 'statement', jurisdiction: 'scotland' }, rules);
    expect(m.coproduction).toBe(false);
    expect(m.reasons.join(' | ')).toContain('consultation / engagement only (E2)');
    // With a role outside the word, it is co-production.
    expect(matchClause({ text: 'People who use services will co-design the service with us and run it.', documentKind: 'statement' }, rules).coproduction).toBe(true);
  });
});
