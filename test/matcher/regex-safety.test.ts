import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRules, matchClause } from '../../src/matcher/index.js';
import { findUnsafeShape } from '../../src/matcher/regex-safety.js';
import { checkSync } from 'recheck';
import { HOSTILE_SENTENCE, hostileClause } from '../support/hostile-clause.js';

/**
 * Catastrophic backtracking guard, three ways: (a) recheck's ReDoS analysis of every rule and of the
 * combined scanners, (b) a structural check for nested quantifier shapes on every rule source and every
 * regex literal in src/matcher (fast, and it explains itself), and (c) every rule run against
 * 50,000-character adversarial strings built from its own alphabet, with a generous bound. Speed proper
 * is measured in bench/matcher-throughput.ts, not here.
 */
const rules = loadRules();
const GENEROUS_MS = 2000;

/** Only bounded repetition ({0,120}), no `*`, `+` or `{n,}` outside a character class's brackets. */
const onlyBoundedRepetition = (pattern: string) => !/(?<!\\)[*+]|\{\d+,\}/.test(pattern.replace(/\[(?:\\.|[^\]\\])*\]/g, 'x'));

describe('recheck (ReDoS analysis)', () => {
  // Exponential blow-up fails outright. A polynomial verdict, or no verdict within recheck's time limit
  // (long alternations of Welsh word forms can take it past the limit on a loaded machine), is accepted
  // only when every repetition in the pattern is bounded — then the cost per start position is bounded
  // too — and the structural check and the 50,000-character adversarial runs below cover it.
  it.each(rules.allRules.map((r) => [r.id, r.pattern] as const))('rule %s is safe', (_id, pattern) => {
    const result = checkSync(pattern, 'i', { timeout: 20_000 });
    const undecided = result.status === 'unknown' && result.error.kind === 'timeout';
    const polynomial = result.status === 'vulnerable' && result.complexity.type === 'polynomial';
    const acceptable = result.status === 'safe' || ((polynomial || undecided) && onlyBoundedRepetition(pattern));
    const detail = result.status === 'vulnerable' ? `${result.complexity.summary}; attack: ${JSON.stringify(result.attack.pattern)}` : result.status === 'unknown' ? `unknown: ${result.error.kind}` : result.status;
    expect(acceptable, detail).toBe(true);
  }, 30_000);

  it('recheck itself flags a known catastrophic pattern (so a "safe" verdict means something)', () => {
    expect(checkSync('^(a+)+$', '').status).toBe('vulnerable');
  });
});

describe('structural check', () => {
  it.each(['(x+)+', '(x*)*', '(a|a)*', '(?:a+)*', '(?:\\w+\\s?)+', '(?:a|b)+', '(?:x?)+', '(?:a{1,3}){2,}'])('flags %s', (source) => {
    expect(findUnsafeShape(source, { allowCapturingGroups: true })).not.toBeNull();
  });

  it.each(['(?:,\\d{3})+', '(?:[A-Z][a-z]+ ){1,4}', '\\bco[- ]?produc(?:e|ed)\\b', '[^.;]{0,120}?\\bin\\b', '(?<!in )respect', '(?:(?!\\s(?:has|is)\\b)[^.,]){3,80}'])('allows %s', (source) => {
    expect(findUnsafeShape(source)).toBeNull();
  });

  it('rejects capturing groups and back-references in rule sources (the combined scanner numbers groups)', () => {
    expect(findUnsafeShape('(co)-production')?.message).toMatch(/capturing/);
    expect(findUnsafeShape('(?:a)\\1')?.message).toMatch(/back-reference/);
  });

  it.each(rules.allRules.map((r) => [r.id, r.pattern] as const))('rule %s has no nested quantifier', (_id, pattern) => {
    expect(findUnsafeShape(pattern, { allowNamedGroups: true })).toBeNull();
  });

  it('finds no nested quantifier in the regex literals of src/matcher', () => {
    const dir = path.resolve(import.meta.dirname, '../../src/matcher');
    const literals: string[] = [];
    const literal = /(?<=[(=,:!&|?]\s{0,4})\/((?:\\.|\[(?:\\.|[^\]\\\n])*\]|[^/\\\n[*])(?:\\.|\[(?:\\.|[^\]\\\n])*\]|[^/\\\n[])*)\/[dgimsuy]*/g;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      for (const m of readFileSync(path.join(dir, file), 'utf8').matchAll(literal)) {
        try {
          new RegExp(m[1]!);
          literals.push(m[1]!);
        } catch {
          /* division or a comment, not a regex */
        }
      }
    }
    expect(literals.length).toBeGreaterThan(3);
    for (const source of literals) expect(findUnsafeShape(source, { allowCapturingGroups: true, allowNamedGroups: true }), source).toBeNull();
  });
});

function alphabetOf(pattern: string): string {
  const letters = pattern.replace(/\\[a-zA-Z]/g, ' ').replace(/[^a-zA-Z£€$0-9 ,.'’-]/g, '');
  return [...new Set(letters)].join('') || 'a';
}

function literalPrefix(pattern: string): string {
  const m = /^(?:\\b)?([a-zA-Z][a-zA-Z ,'-]*)/.exec(pattern.replace(/\[- \]\?/g, '-'));
  return m?.[1] || 'co-';
}

describe('adversarial inputs (50,000 characters)', () => {
  const N = 50_000;
  const generic = [' ', '-', '1', '£', '£1', 'co-', '((', 'a', 'co-operat', 'e '].map((unit) => unit.repeat(Math.ceil(N / unit.length)).slice(0, N) + '!');

  it.each(rules.allRules.map((r) => [r.id, r] as const))('rule %s stays fast', (_id, rule) => {
    const regex = new RegExp(rule.pattern, rule.caseSensitive ? 'g' : 'gi');
    const own = [alphabetOf(rule.pattern), literalPrefix(rule.pattern) + ' '].map((unit) => unit.repeat(Math.ceil(N / unit.length)).slice(0, N) + '§');
    const started = performance.now();
    for (const input of [...own, ...generic]) {
      regex.lastIndex = 0;
      let m: RegExpExecArray | null;
      let guard = 0;
      while ((m = regex.exec(input)) !== null && guard++ < N) regex.lastIndex = m.index + Math.max(1, m[0].length);
    }
    expect(performance.now() - started).toBeLessThan(GENEROUS_MS);
  });

  it('tags a 50,000-character hostile clause correctly', () => {
    const text = hostileClause(N);
    expect(text.length).toBe(N);
    expect(text).toContain(HOSTILE_SENTENCE);
    const result = matchClause({ text, documentKind: 'act' }, rules);
    expect(result.principles.map((p) => p.id)).toContain('explicit_coproduction');
    expect(result.coproduction).toBe(true);
    for (const span of result.evidence) expect(text.slice(span.start, span.end)).toBe(span.text);
    expect(result.amounts.length).toBeLessThanOrEqual(200);
  });
});
