import type { EvidenceSpan } from './types.js';
import type { Hit } from './rule-set.js';

export function spanOf(text: string, hit: Hit): EvidenceSpan {
  return { start: hit.start, end: hit.end, text: text.slice(hit.start, hit.end), rule: hit.rule.id };
}

export function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}
