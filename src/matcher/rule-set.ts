import type { RawRule } from './rules-schema.js';
import { findUnsafeShape } from './regex-safety.js';
import { oneBytePattern, oneByteSubject } from './one-byte-subject.js';

/** One regex hit: the rule that fired and its offsets in the scanned text. */
export interface Hit<R extends RawRule = RawRule> {
  rule: R;
  start: number;
  end: number;
}

/**
 * V8 stops optimising a regular expression whose source is longer than 20 KB (kRegExpTooLargeToOptimize):
 * measured here, the Welsh principle list crossing it (23.5 K characters) scanned 70 times slower. Rules are
 * therefore compiled in chunks whose sources stay under this budget.
 */
export const MAX_ALTERNATION_CHARS = 16_000;

/** What the matcher's heads need from a rule list: its rules, all hits in a text, and whether any rule matches. */
export interface Scanner<R extends RawRule = RawRule> {
  readonly rules: readonly R[];
  scan(text: string): readonly Hit<R>[];
  test(text: string): boolean;
}

/**
 * A list of rules compiled once into alternations `(p1)|(p2)|…` (as few as the size budget allows), so a clause
 * is scanned in one pass per chunk instead of one pass per rule. The group that matched names the rule. After
 * each match the scan resumes one character later, so a rule starting inside another rule's match is still
 * found (each rule source must therefore be free of capturing groups; the loader checks this). Within a chunk
 * the first rule listed wins at a position; rules in different chunks can both fire there.
 */
export class RuleSet<R extends RawRule = RawRule> implements Scanner<R> {
  readonly rules: readonly R[];
  /** The compiled alternations, each with the rules it holds (in order). */
  readonly chunks: readonly { regex: RegExp; rules: readonly R[] }[];
  /** Case-sensitive rules cannot share the `i` alternation; they are scanned one by one. */
  private readonly separate: { rule: R; regex: RegExp }[];
  /** The last text scanned and its hits: one clause is read by several heads (people, modals, roles). */
  private last: { text: string; hits: readonly Hit<R>[] } | null = null;

  constructor(rules: readonly R[]) {
    for (const rule of rules) assertSafe(rule);
    const shared = rules.filter((r) => !r.caseSensitive);
    this.rules = shared;
    this.chunks = chunkBySize(shared).map((chunk) => {
      // When every alternative of every rule starts at a word boundary, the boundary is checked once per
      // position before the alternation instead of once per alternative (the scan's hot path).
      const prefix = chunk.every((r) => startsAtWordBoundary(r.pattern)) ? '\\b' : '';
      return { regex: new RegExp(oneBytePattern(`${prefix}(?:${chunk.map((r) => `(${r.pattern})`).join('|')})`), 'gi'), rules: chunk };
    });
    this.separate = rules.filter((r) => r.caseSensitive).map((rule) => ({ rule, regex: new RegExp(oneBytePattern(rule.pattern), 'g') }));
  }

  get size(): number {
    return this.rules.length + this.separate.length;
  }

  /** All hits, in text order (shared with the next caller that scans the same text: do not modify). */
  scan(text: string): readonly Hit<R>[] {
    if (this.last?.text === text) return this.last.hits;
    const hits: Hit<R>[] = [];
    const subject = oneByteSubject(text);
    for (const { regex: re, rules } of this.chunks) {
      const from = hits.length;
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(subject)) !== null) {
        let g = 1;
        while (m[g] === undefined) g++;
        const rule = rules[g - 1]!;
        const end = m.index + m[0].length;
        // The same rule re-matching a suffix of its own previous match adds nothing.
        const prev = lastOf(hits, rule, from);
        if (!prev || end > prev.end) hits.push({ rule, start: m.index, end });
        re.lastIndex = m.index + 1;
      }
    }
    for (const { rule, regex } of this.separate) {
      regex.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = regex.exec(subject)) !== null) {
        hits.push({ rule, start: m.index, end: m.index + m[0].length });
        regex.lastIndex = m.index + m[0].length;
      }
    }
    // Stable: at one position, earlier chunks (earlier rules) come first.
    if (this.separate.length || this.chunks.length > 1) hits.sort((a, b) => a.start - b.start);
    this.last = { text, hits };
    return hits;
  }

  /** True if any rule matches (cheaper than scan: no hit objects). */
  test(text: string): boolean {
    const subject = oneByteSubject(text);
    for (const { regex } of this.chunks) {
      regex.lastIndex = 0;
      if (regex.test(subject)) return true;
    }
    return this.separate.some(({ regex }) => {
      regex.lastIndex = 0;
      return regex.test(subject);
    });
  }
}

/**
 * Several rule lists read as one: the Welsh lists are the Welsh rules plus the English ones (Welsh texts quote
 * English terms), and sharing the English RuleSet instead of compiling a second copy halves the regular
 * expression code V8 keeps, which it also limits. At one position, hits of earlier lists come first.
 */
export class LayeredScanner<R extends RawRule = RawRule> implements Scanner<R> {
  readonly rules: readonly R[];
  private last: { text: string; hits: readonly Hit<R>[] } | null = null;

  constructor(readonly parts: readonly Scanner<R>[]) {
    this.rules = parts.flatMap((p) => p.rules);
  }

  scan(text: string): readonly Hit<R>[] {
    if (this.last?.text === text) return this.last.hits;
    const hits = this.parts.flatMap((p) => p.scan(text)).sort((a, b) => a.start - b.start);
    this.last = { text, hits };
    return hits;
  }

  test(text: string): boolean {
    return this.parts.some((p) => p.test(text));
  }
}

/** Consecutive runs of rules whose alternation source stays under MAX_ALTERNATION_CHARS (a longer rule stands alone). */
function chunkBySize<R extends RawRule>(rules: readonly R[]): R[][] {
  const chunks: R[][] = [];
  let current: R[] = [];
  let size = 0;
  for (const rule of rules) {
    const cost = rule.pattern.length + 3;
    if (current.length && size + cost > MAX_ALTERNATION_CHARS) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(rule);
    size += cost;
  }
  if (current.length) chunks.push(current);
  return chunks;
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

function lastOf<R extends RawRule>(hits: readonly Hit<R>[], rule: R, from = 0): Hit<R> | undefined {
  for (let i = hits.length - 1; i >= from; i--) if (hits[i]!.rule === rule) return hits[i];
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
