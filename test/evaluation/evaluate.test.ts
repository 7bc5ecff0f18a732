import { describe, expect, it } from 'vitest';
import { batchOf, blindHalfOf, evaluate, formatReport, selectSplit, splitOf, splits, type DevItem } from '../../src/evaluation/evaluate.js';
import type { JsonlOutput } from '../../src/pipeline/match-jsonl.js';

const item = (id: string, coproduction: boolean, strength: string, funding = false): DevItem => ({
  id,
  text: `clause ${id}`,
  sourceUrl: `https://example.test/${id}`,
  label: { coproduction, principles: coproduction ? ['explicit_coproduction'] : [], strength, funding },
});
const answer = (coproduction: boolean, strength: string, funding = false): JsonlOutput => ({
  id: null,
  coproduction,
  ambiguous: false,
  principles: coproduction ? ['explicit_coproduction'] : [],
  strength,
  funding,
  amounts: [],
  evidence: [{ start: 0, end: 6, text: 'clause', rule: 'principle:test' }],
  score: coproduction ? 3 : 0,
  reasons: ['test'],
  matcherVersion: 'test-1',
});

describe('evaluate', () => {
  const items = [item('a', true, 'duty', true), item('b', true, 'power'), item('c', true, 'guidance'), item('d', false, 'none'), item('e', false, 'none', false)];
  const predictions: Record<string, JsonlOutput> = {
    a: answer(true, 'duty', true), // right, funding right
    b: answer(true, 'duty'), // right decision, wrong strength
    c: answer(false, 'none'), // false negative
    d: answer(true, 'aspiration', true), // false positive, funding false positive
    e: answer(false, 'none'),
  };
  const report = evaluate(items, (i) => predictions[i.id]!);

  it('counts the co-production decision, strength on labelled positives and funding', () => {
    expect(report.coproduction).toMatchObject({ tp: 2, fp: 1, fn: 1, tn: 1 });
    expect(report.coproduction.precision).toBeCloseTo(2 / 3);
    expect(report.coproduction.recall).toBeCloseTo(2 / 3);
    expect(report.strength).toMatchObject({ positives: 3, correct: 1, confusion: { duty: { duty: 1 }, power: { duty: 1 }, guidance: { none: 1 } } });
    expect(report.funding).toMatchObject({ tp: 1, fp: 1, fn: 0 });
    expect(report.principles.explicit_coproduction).toEqual({ labelled: 3, predicted: 3, agreed: 2 });
  });

  it('scores the clear-cut clauses (not flagged ambiguous by the labeller) apart', () => {
    const flagged = items.map((i) => (i.id === 'c' || i.id === 'd' ? { ...i, label: { ...i.label, ambiguous: true } } : i));
    const clear = evaluate(flagged, (i) => predictions[i.id]!).clearCut;
    // Without the contested false negative (c) and false positive (d), a, b and e are all read right.
    expect(clear).toMatchObject({ items: 3, tp: 2, fp: 0, fn: 0, tn: 1, precision: 1, recall: 1 });
    expect(report.clearCut).toMatchObject({ items: 5, tp: 2, fp: 1, fn: 1, tn: 1 });
    expect(formatReport(evaluate(flagged, (i) => predictions[i.id]!))).toMatch(/clear-cut {4}precision 1\.000 {2}recall 1\.000 {2}F1 1\.000 on the 3 clauses/);
  });

  it('lists every error with its evidence and source', () => {
    expect(report.errors.map((e) => [e.id, e.what])).toEqual([
      ['b', 'strength'],
      ['c', 'false negative'],
      ['d', 'false positive'],
      ['d', 'funding false positive'],
    ]);
    const text = formatReport(report);
    expect(text).toMatch(/precision 0\.667 \(target ≥ 0\.92\)/);
    expect(text).toMatch(/- d: false positive[\s\S]*principle:test: “clause”[\s\S]*https:\/\/example\.test\/d/);
  });

  it('splits items by a hash of their id: stable, about 30% held out', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `item-${i}`);
    const held = ids.filter((id) => splitOf(id) === 'holdout').length;
    expect(held / ids.length).toBeGreaterThan(0.25);
    expect(held / ids.length).toBeLessThan(0.35);
    expect(splitOf('sswwa-s16-1')).toBe(splitOf('sswwa-s16-1'));
    const all = ids.map((id) => item(id, false, 'none'));
    expect(selectSplit(all, 'dev').length + selectSplit(all, 'holdout').length).toBe(2000);
  });

  it('the fresh split is a whole separate batch, not hashed', () => {
    const all = ['fresh-a', 'fresh-b', 'fresh-c'].map((id) => item(id, false, 'none'));
    expect(selectSplit(all, 'fresh').map((i) => i.id)).toEqual(['fresh-a', 'fresh-b', 'fresh-c']);
  });
});

describe('the second blind batch', () => {
  it('halves by a salted hash, independent of the development split', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `blind-${i}`);
    const sealed = ids.filter((id) => blindHalfOf(id) === 'blind2-sealed');
    expect(sealed.length / ids.length).toBeGreaterThan(0.45);
    expect(sealed.length / ids.length).toBeLessThan(0.55);
    // Not the same partition as the development set's holdout.
    const heldAndSealed = sealed.filter((id) => splitOf(id) === 'holdout').length;
    expect(heldAndSealed / sealed.length).toBeGreaterThan(0.2);
    expect(heldAndSealed / sealed.length).toBeLessThan(0.4);
    const all = ids.map((id) => item(id, false, 'none'));
    expect(selectSplit(all, 'blind2-dev').length + selectSplit(all, 'blind2-sealed').length).toBe(2000);
    expect(selectSplit(all, 'blind2')).toHaveLength(2000);
  });

  it('each split names the file it reads', () => {
    expect(splits.map((s) => [s, batchOf(s)])).toEqual([
      ['dev', 'dev-set'],
      ['holdout', 'dev-set'],
      ['all', 'dev-set'],
      ['fresh', 'fresh'],
      ['blind2-dev', 'blind2'],
      ['blind2-sealed', 'blind2'],
      ['blind2', 'blind2'],
      ['blind3', 'blind3'],
      ['blind4', 'blind4'],
      ['blind5', 'blind5'],
      ['blind6', 'blind6'],
      ['blind7', 'blind7'],
    ]);
  });
});

describe('twin pairs', () => {
  it('counts English/Welsh pairs read alike and lists the rest', () => {
    const en = { ...item('s16-en', true, 'duty'), language: 'en' as const, notes: 'twin:s16-cy' };
    const cy = { ...item('s16-cy', true, 'duty'), language: 'cy' as const, notes: 'twin:s16-en' };
    const en2 = { ...item('s17-en', true, 'duty'), language: 'en' as const, notes: 'twin:s17-cy' };
    const cy2 = { ...item('s17-cy', true, 'duty'), language: 'cy' as const, notes: 'twin:s17-en' };
    const got: Record<string, JsonlOutput> = { 's16-en': answer(true, 'duty'), 's16-cy': answer(true, 'duty'), 's17-en': answer(true, 'duty'), 's17-cy': answer(false, 'none') };
    const report = evaluate([en, cy, en2, cy2], (i) => got[i.id]!);
    expect(report.twins).toEqual({ pairs: 2, agree: 1, disagreements: [{ en: 's17-en', cy: 's17-cy', en_got: 'co-production/duty', cy_got: 'not/none' }] });
    expect(formatReport(report)).toContain('1 of 2 pairs');
  });
});
