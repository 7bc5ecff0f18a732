/**
 * Similarity of two clause texts in [0, 1]: the Dice coefficient over word multisets. Word order barely
 * matters for telling "the same clause, reworded" from "a different clause", and it is linear in length,
 * which keeps alignment fast on long Acts. (The word-level diff shown to people is a separate concern.)
 */
export function textSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  return bagSimilarity(wordBag(a), wordBag(b));
}

export interface WordBag {
  counts: Map<string, number>;
  size: number;
}

export function wordBag(text: string): WordBag {
  const counts = new Map<string, number>();
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
  return { counts, size: words.length };
}

export function bagSimilarity(a: WordBag, b: WordBag): number {
  if (a.size === 0 || b.size === 0) return a.size === b.size ? 1 : 0;
  const [small, large] = a.counts.size <= b.counts.size ? [a, b] : [b, a];
  let shared = 0;
  for (const [word, n] of small.counts) shared += Math.min(n, large.counts.get(word) ?? 0);
  return (2 * shared) / (a.size + b.size);
}
