import { afterEach, describe, expect, it, vi } from 'vitest';
import { evalCommand } from '../../src/cli/eval-command.js';
import { SEALED_SPLIT } from '../../src/evaluation/evaluate.js';
import { readMatcherEvaluation } from '../../src/web/insight/matcher-evaluation.js';

// `npm run eval` prints each split's errors with their evidence, except for the sealed batch: its errors are
// what no rule may be written against, so they appear only with --errors.
interface Printed {
  items: number;
  split: string;
  errors: unknown[];
  twins: { pairs: number; agree: number; disagreements: unknown[] };
}

async function run(args: { split: string; errors: boolean }): Promise<Printed> {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  expect(await evalCommand({ ...args, json: true })).toBe(0);
  return JSON.parse(String(log.mock.calls.at(-1)?.[0])) as Printed;
}

describe('npm run eval', () => {
  afterEach(() => vi.restoreAllMocks());

  it('lists the errors of a development split', async () => {
    const report = await run({ split: 'blind3', errors: false });
    expect(report.split).toBe('blind3');
    expect(report.items).toBe(357);
    expect(report.errors.length).toBeGreaterThan(0);
  });

  it('keeps the sealed batch to totals unless --errors is given', async () => {
    const sealed = await run({ split: 'blind7', errors: false });
    expect(sealed.items).toBe(262);
    expect(sealed.errors).toEqual([]);
    expect(sealed.twins.disagreements).toEqual([]);
    const asked = await run({ split: 'blind7', errors: true });
    expect(asked.errors.length).toBeGreaterThan(0);
    // The totals do not depend on what is shown.
    expect(asked.twins.pairs).toBe(sealed.twins.pairs);
  });

  it('reports how far two labellers and the matcher agree, on development items and on the sealed batch, as /methodology shows', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(await evalCommand({ agreement: true, json: true, errors: false })).toBe(0);
    type A = { items: number; precision: number; recall: number; kappa: number };
    const printed = JSON.parse(String(log.mock.calls.at(-1)?.[0])) as { labellers: A; sealed: { split: string; labellers: A; matcherAgainstFirst: A } };
    const r3 = (x: number) => Math.round(x * 1000) / 1000;
    const shown = readMatcherEvaluation().agreement!;
    expect({ items: printed.labellers.items, precision: r3(printed.labellers.precision), recall: r3(printed.labellers.recall), kappa: r3(printed.labellers.kappa) }).toEqual({ items: shown.items, precision: shown.precision, recall: shown.recall, kappa: shown.kappa });
    const s = printed.sealed;
    expect(s.split).toBe(SEALED_SPLIT);
    expect({ split: s.split, items: s.labellers.items, precision: r3(s.labellers.precision), recall: r3(s.labellers.recall), kappa: r3(s.labellers.kappa), matcherPrecision: r3(s.matcherAgainstFirst.precision), matcherRecall: r3(s.matcherAgainstFirst.recall), matcherKappa: r3(s.matcherAgainstFirst.kappa) }).toEqual(shown.sealed);
  });

  it('rejects an unknown split with the list of splits', async () => {
    await expect(evalCommand({ split: 'blind9', json: true, errors: false })).rejects.toThrow(/--split takes dev, holdout, .*blind7/);
  });
});
