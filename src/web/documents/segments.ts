import { diffWords } from 'diff';
import type { EvidenceSpan } from '../../matcher/types.js';

/** A run of clause text; `mark` runs are the words a rule matched. Rendered with `<%= %>` only. */
export interface TextSegment {
  text: string;
  mark: boolean;
  /** Rules that fired on these words, for the mark's title attribute ("principle:…, strength:must"). */
  rules: string[];
}

/**
 * Cuts a clause text into plain and evidence runs. Spans may overlap (a list rule and a word rule on the
 * same words) or be stale (tagged against another text): overlapping spans merge, and spans outside the
 * text or whose recorded words no longer match are dropped rather than highlighting the wrong words.
 */
export function evidenceSegments(text: string, spans: readonly EvidenceSpan[]): TextSegment[] {
  const valid = spans
    .filter((s) => Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.end <= text.length && s.start < s.end)
    .filter((s) => typeof s.text !== 'string' || text.slice(s.start, s.end) === s.text)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: { start: number; end: number; rules: string[] }[] = [];
  for (const s of valid) {
    const last = merged[merged.length - 1];
    if (last && s.start < last.end) {
      last.end = Math.max(last.end, s.end);
      if (!last.rules.includes(s.rule)) last.rules.push(s.rule);
    } else {
      merged.push({ start: s.start, end: s.end, rules: [s.rule] });
    }
  }
  const segments: TextSegment[] = [];
  let at = 0;
  for (const m of merged) {
    if (m.start > at) segments.push({ text: text.slice(at, m.start), mark: false, rules: [] });
    segments.push({ text: text.slice(m.start, m.end), mark: true, rules: m.rules });
    at = m.end;
  }
  if (at < text.length || segments.length === 0) segments.push({ text: text.slice(at), mark: false, rules: [] });
  return segments;
}

export interface DiffSegment {
  text: string;
  kind: 'same' | 'ins' | 'del';
}

/** Word-level diff (jsdiff's diffWords), as runs the view wraps in `<ins class="diff">` / `<del class="diff">`. */
export function wordDiff(from: string, to: string): DiffSegment[] {
  return diffWords(from, to).map((c) => ({ text: c.value, kind: c.added ? 'ins' : c.removed ? 'del' : 'same' }));
}
