import { describe, expect, it } from 'vitest';
import { checkParserDrift } from '../../src/pipeline/guard-parser-drift.js';

describe('checkParserDrift', () => {
  it.each([
    [null, 0, null, true],
    [10, 0, 'repealed', true],
    [null, 1, null, false],
    [10, 5, null, false],
    [10, 4, null, true],
    [10, 4, 'Part 2 repealed by 2016 anaw 2', false],
    [10, 40, null, false],
  ])('previous %s → next %s (explained: %s) suspect=%s', (previous, next, explained, suspect) => {
    expect(checkParserDrift(previous, next, explained).suspect).toBe(suspect);
  });
});
