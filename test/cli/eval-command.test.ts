import { afterEach, describe, expect, it, vi } from 'vitest';
import { evalCommand } from '../../src/cli/eval-command.js';

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
    const sealed = await run({ split: 'blind5', errors: false });
    expect(sealed.items).toBe(359);
    expect(sealed.errors).toEqual([]);
    expect(sealed.twins.disagreements).toEqual([]);
    const asked = await run({ split: 'blind5', errors: true });
    expect(asked.errors.length).toBeGreaterThan(0);
    // The totals do not depend on what is shown.
    expect(asked.twins.pairs).toBe(sealed.twins.pairs);
  });

  it('rejects an unknown split with the list of splits', async () => {
    await expect(evalCommand({ split: 'blind9', json: true, errors: false })).rejects.toThrow(/--split takes dev, holdout, .*blind5/);
  });
});
