import type { RawRule } from './rules-schema.js';
import { findUnsafeShape } from './regex-safety.js';

/** One regex hit: the rule that fired and its offsets in the scanned text. */
export interface Hit<R extends RawRule = RawRule> {
  rule: R;
  start: number;
  end: number;
}

/**
 * A list of rules compiled once into a single alternation `(p1)|(p2)|…`, so a clause is scanned in one
 * pass per concern instead of one pass per rule. The group that matched names the rule. After each match
 * the scan resumes one character later, so a rule starting inside another rule's match is still found
 * (each rule source must therefore be free of capturing groups; the loader checks this).
 */
export class RuleSet<R extends RawRule = RawRule> {
  readonly rules: readonly R[];
  readonly regex: RegExp | null;
  /** Case-sensitive rules cannot share the `i` alternation; they are scanned one by one. */
  private readonly separate: { rule: R; regex: RegExp }[];

  constructor(rules: readonly R[]) {
    for (const rule of rules) assertSafe(rule);
    const shared = rules.filter((r) => !r.caseSensitive);
    this.rules = shared;
    // When every alternative of every rule starts at a word boundary, the boundary is checked once per
    // position before the alternation instead of once per alternative (the scan's hot path).
    const prefix = shared.length && shared.every((r) => startsAtWordBoundary(r.pattern)) ? '\\b' : '';
    this.regex = shared.length ? new RegExp(`${prefix}(?:${shared.map((r) => `(${r.pattern})`).join('|')})`, 'gi') : null;
    this.separate = rules.filter((r) => r.caseSensitive).map((rule) => ({ rule, regex: new RegExp(rule.pattern, 'g') }));
  }

  get size(): number {
    return this.rules.length + this.separate.length;
  }

  /** All hits, in text order. */
  scan(text: string): Hit<R>[] {
    const hits: Hit<R>[] = [];
    const re = this.regex;
    if (re) {
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(text)) !== null) {
        let g = 1;
        while (m[g] === undefined) g++;
        const rule = this.rules[g - 1]!;
        const end = m.index + m[0].length;
        // The same rule re-matching a suffix of its own previous match adds nothing.
        const prev = lastOf(hits, rule);
        if (!prev || end > prev.end) hits.push({ rule, start: m.index, end });
        re.lastIndex = m.index + 1;
      }
    }
    for (const { rule, regex } of this.separate) {
      regex.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = regex.exec(text)) !== null) {
        hits.push({ rule, start: m.index, end: m.index + m[0].length });
        regex.lastIndex = m.index + m[0].length;
      }
    }
    if (this.separate.length) hits.sort((a, b) => a.start - b.start);
    return hits;
  }

  /** True if any rule matches (cheaper than scan: no hit objects). */
  test(text: string): boolean {
    if (this.regex) {
      this.regex.lastIndex = 0;
      if (this.regex.test(text)) return true;
    }
    return this.separate.some(({ regex }) => {
      regex.lastIndex = 0;
      return regex.test(text);
    });
  }
}

/** True if each top-level alternative of `pattern` begins with `\\b` (so a leading `\\b` changes nothing). */
export function startsAtWordBoundary(pattern: string): boolean {
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i <= pattern.length; i++) {
    const c = pattern[i];
    if (i === pattern.length || (c === '|' && depth === 0 && !inClass)) {
      if (!pattern.startsWith('\\b', start)) return false;
      start = i + 1;
      continue;
    }
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
  }
  return true;
}

function lastOf<R extends RawRule>(hits: Hit<R>[], rule: R): Hit<R> | undefined {
  for (let i = hits.length - 1; i >= 0; i--) if (hits[i]!.rule === rule) return hits[i];
  return undefined;
}

export function assertSafe(rule: RawRule, options: { allowNamedGroups?: boolean } = {}): void {
  const problem = findUnsafeShape(rule.pattern, options);
  if (problem) throw new Error(`rule ${rule.id}: ${problem.message} at ${problem.index} in /${rule.pattern}/`);
  let re: RegExp;
  try {
    re = new RegExp(rule.pattern, rule.caseSensitive ? '' : 'i');
  } catch (error) {
    throw new Error(`rule ${rule.id}: invalid regex: ${(error as Error).message}`);
  }
  if (re.test('')) throw new Error(`rule ${rule.id}: matches the empty string`);
}
