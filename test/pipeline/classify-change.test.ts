import { describe, expect, it } from 'vitest';
import { classifyChange, isImportantChange, type ClauseSnapshot } from '../../src/pipeline/classify-change.js';

const base: ClauseSnapshot = { key: 's-16', text: 'A local authority must promote social enterprises.' };

describe('classifyChange truth table', () => {
  it.each<[string, ClauseSnapshot | null, ClauseSnapshot | null, string, boolean, string[]]>([
    ['added', null, base, 'added', true, ['added']],
    ['removed', base, null, 'removed', true, ['removed']],
    ['unchanged', base, { ...base }, 'unchanged', false, []],
    ['renumbered only', base, { ...base, key: 's-17' }, 'moved', false, []],
    ['wording only', base, { ...base, text: 'A local authority must promote social enterprises in its area.' }, 'reworded', false, []],
    ['duty → power', { ...base, strength: 'duty' }, { ...base, text: 'A local authority may promote social enterprises.', strength: 'power' }, 'reworded', true, ['strength_weakened']],
    ['power → duty', { ...base, strength: 'power' }, { ...base, strength: 'duty' }, 'unchanged', true, ['strength_strengthened']],
    ['untagged side', { ...base, strength: 'duty' }, { ...base, text: 'x' }, 'reworded', false, []],
    ['principle gained', { ...base, principles: [] }, { ...base, principles: ['co-production'] }, 'unchanged', true, ['principle_gained:co-production']],
    ['principle lost', { ...base, principles: ['user-led'] }, { ...base, principles: [] }, 'unchanged', true, ['principle_lost:user-led']],
    ['money added', base, { ...base, funding: ['GBP 2300000'] }, 'unchanged', true, ['funding_added']],
    ['money changed', { ...base, funding: ['GBP 1'] }, { ...base, funding: ['GBP 2'] }, 'unchanged', true, ['funding_changed']],
    ['money removed', { ...base, funding: ['GBP 1'] }, base, 'unchanged', true, ['funding_removed']],
  ])('%s', (_name, previous, next, kind, important, reasons) => {
    expect(classifyChange(previous, next)).toEqual({ kind, important, reasons });
    expect(isImportantChange(previous, next)).toBe(important);
  });

  it('refuses a change with no sides', () => {
    expect(() => classifyChange(null, null)).toThrow(/at least one side/);
  });
});
