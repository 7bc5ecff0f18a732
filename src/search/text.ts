import lunr from 'lunr';

/**
 * One notion of "word" for every part of search, chosen to agree with SQLite FTS5's
 * `unicode61 remove_diacritics 2` tokenizer: a word is a run of letters and digits; case and
 * diacritics are folded (Welsh ŵ, ŷ, â… match w, y, a…); everything else separates words.
 * Stemming is lunr's Porter stemmer, which is the same algorithm as FTS5's `porter` tokenizer.
 */
const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const COMBINING = /\p{M}+/gu;

/** Lower case, compatibility-decomposed, diacritics removed: "Dŵr" → "dwr". */
export function fold(text: string): string {
  return text.normalize('NFKD').replace(COMBINING, '').toLowerCase();
}

/** The folded words of a text, in order. */
export function words(text: string): string[] {
  return fold(text).match(WORD) ?? [];
}

/** Porter stem of an already folded word, as lunr (and FTS5's porter tokenizer) would index it. */
export function stem(word: string): string {
  let stemmed = stemCache.get(word);
  if (stemmed === undefined) {
    stemmed = lunr.stemmer(new lunr.Token(word, {})).toString();
    if (stemCache.size > 200_000) stemCache.clear();
    stemCache.set(word, stemmed);
  }
  return stemmed;
}
const stemCache = new Map<string, string>();

export interface WordSpan {
  start: number;
  end: number;
  /** Folded, unstemmed. */
  word: string;
}

/** Words of the original text with their UTF-16 offsets, for highlighting and exact phrase checks. */
export function wordSpans(text: string): WordSpan[] {
  const spans: WordSpan[] = [];
  for (const m of text.matchAll(WORD)) {
    const folded = fold(m[0]);
    // A ligature or compatibility form can fold to several words ("ﬁ" → "fi" is one, "½" → "1⁄2" two).
    const parts = folded.match(WORD);
    if (!parts) continue;
    for (const part of parts) spans.push({ start: m.index, end: m.index + m[0].length, word: part });
  }
  return spans;
}

export interface Segment {
  text: string;
  mark: boolean;
}

/** Splits a text into plain and marked segments; ranges may overlap or be unsorted. */
export function segmentsOf(text: string, ranges: readonly { start: number; end: number }[]): Segment[] {
  const sorted = [...ranges].filter((r) => r.end > r.start).sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const r of sorted) {
    const last = merged[merged.length - 1];
    // Words separated only by spaces/punctuation inside one phrase read better as one mark.
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ ...r });
  }
  const segments: Segment[] = [];
  let at = 0;
  for (const r of merged) {
    if (r.start > at) segments.push({ text: text.slice(at, r.start), mark: false });
    segments.push({ text: text.slice(r.start, r.end), mark: true });
    at = r.end;
  }
  if (at < text.length) segments.push({ text: text.slice(at), mark: false });
  return segments;
}

/**
 * A window of a long text around its first mark, so a result shows the matching words without the
 * whole of a long section. Cuts at word boundaries and says so with an ellipsis.
 */
export function excerpt(segments: Segment[], maxChars = 600): Segment[] {
  const total = segments.reduce((n, s) => n + s.text.length, 0);
  if (total <= maxChars) return segments;
  let firstMark = 0;
  let offset = 0;
  for (const s of segments) {
    if (s.mark) {
      firstMark = offset;
      break;
    }
    offset += s.text.length;
  }
  const start = Math.max(0, firstMark - Math.floor(maxChars / 3));
  const end = Math.min(total, start + maxChars);
  const out: Segment[] = [];
  let pos = 0;
  for (const s of segments) {
    const from = Math.max(start, pos);
    const to = Math.min(end, pos + s.text.length);
    if (to > from) out.push({ text: s.text.slice(from - pos, to - pos), mark: s.mark });
    pos += s.text.length;
  }
  const first = out[0];
  if (start > 0 && first && !first.mark) first.text = `…${first.text.replace(/^\S*\s/u, '')}`;
  else if (start > 0) out.unshift({ text: '…', mark: false });
  const last = out[out.length - 1];
  if (end < total && last && !last.mark) last.text = `${last.text.replace(/\s\S*$/u, '')}…`;
  else if (end < total) out.push({ text: '…', mark: false });
  return out;
}
