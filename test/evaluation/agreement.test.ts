import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { agreementOf, readSecondLabels } from '../../src/evaluation/agreement.js';
import { readDevSet } from '../../src/evaluation/evaluate.js';

const r = (coproduction: boolean, strength = coproduction ? 'duty' : 'none') => ({ coproduction, strength });

describe('agreementOf', () => {
  it('computes agreement, Cohen’s kappa and B as a prediction of A', () => {
    // 10 items: both yes 4, both no 4, A yes/B no 1, A no/B yes 1.
    const pairs = [
      ...Array.from({ length: 4 }, () => ({ a: r(true), b: r(true) })),
      ...Array.from({ length: 4 }, () => ({ a: r(false), b: r(false) })),
      { a: r(true), b: r(false) },
      { a: r(false), b: r(true) },
    ];
    pairs[0] = { a: r(true, 'duty'), b: r(true, 'power') };
    const a = agreementOf(pairs);
    expect(a.agreement).toBeCloseTo(0.8);
    // chance agreement 0.5·0.5 + 0.5·0.5 = 0.5, so kappa = (0.8 − 0.5) / 0.5
    expect(a.kappa).toBeCloseTo(0.6);
    expect(a.precision).toBeCloseTo(0.8);
    expect(a.recall).toBeCloseTo(0.8);
    expect(a.strength).toEqual({ both: 4, same: 3 });
  });

  it('is 1 for identical readings', () => {
    expect(agreementOf([{ a: r(true), b: r(true) }, { a: r(false), b: r(false) }]).kappa).toBe(1);
  });
});

// The development samples (read blind by a fourth labeller, and batches 5's and 6's while each was sealed) and the sealed batch 7's sample.
describe.each([
  ['matcher-second-labels.jsonl', ['matcher-dev-set.jsonl', 'matcher-fresh-batch.jsonl', 'matcher-blind-batch-2.jsonl'], 100],
  ['matcher-second-labels-blind5.jsonl', ['matcher-blind-batch-5.jsonl'], 120],
  ['matcher-second-labels-blind6.jsonl', ['matcher-blind-batch-6.jsonl'], 110],
  ['matcher-second-labels-blind7.jsonl', ['matcher-blind-batch-7.jsonl'], 95],
] as const)('the second labels (test/data/%s)', (file, labelled, minItems) => {
  const data = path.resolve(import.meta.dirname, '../data');
  const second = readSecondLabels(path.join(data, file));
  const ids = new Set(labelled.flatMap((f) => readDevSet(path.join(data, f))).map((i) => i.id));

  it('name items of the labelled sets they re-read, once each, and follow the conventions', () => {
    expect(second.length).toBeGreaterThanOrEqual(minItems);
    expect(new Set(second.map((s) => s.id)).size).toBe(second.length);
    for (const s of second) {
      expect(ids.has(s.id), s.id).toBe(true);
      if (!s.label.coproduction) expect({ strength: s.label.strength, funding: s.label.funding }, s.id).toEqual({ strength: 'none', funding: false });
    }
  });
});

describe('reading labelled files', () => {
  it('names the file and line of a line that is not JSON, for the development set and the second labels alike', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'labels-'));
    const file = path.join(dir, 'labels.jsonl');
    writeFileSync(file, '{"id":"a","label":{"coproduction":true,"strength":"duty","funding":false}}\n\n{"id":"b",\n');
    for (const read of [readDevSet, readSecondLabels]) expect(() => read(file)).toThrow(`${file} line 3: not JSON`);
  });
});
