import { bagSimilarity, wordBag, type WordBag } from './text-similarity.js';

export interface AlignableClause {
  key: string;
  textHash: string;
  text: string;
  /** JSON array of status marks (repealed, omitted…), as stored. */
  marks?: string;
}

export type AlignmentKind = 'unchanged' | 'moved' | 'reworded' | 'added' | 'removed';

export interface AlignmentPair {
  kind: AlignmentKind;
  /** Index into `previous`, or null for an added clause. */
  previous: number | null;
  /** Index into `next`, or null for a removed clause. */
  next: number | null;
  /** Text similarity of the pair (1 for identical text). */
  similarity: number;
}

/** Below this, two texts are different clauses rather than one clause reworded. */
export const REWORD_THRESHOLD = 0.5;
/** Same key is weak evidence of identity: bills renumber, so it only breaks near-ties. */
const SAME_KEY_BONUS = 0.1;
/** Past this many candidate pairs, only compare clauses whose positions are close. */
const FULL_COMPARISON_LIMIT = 250_000;
const POSITION_WINDOW = 100;

/**
 * Aligns the clauses of two versions of a document so that a renumbered clause is "moved", not
 * "removed + added". In order: same key and text; same text under a new key (nearest position wins);
 * then the most similar remaining pairs, greedily, above REWORD_THRESHOLD; then a provision whose text
 * became an omission (". . . ." or marked repealed/omitted) under the same key; the rest are added/removed.
 */
export function alignClauses(previous: readonly AlignableClause[], next: readonly AlignableClause[]): AlignmentPair[] {
  const pairs: AlignmentPair[] = [];
  const prevTaken = new Array<boolean>(previous.length).fill(false);
  const nextTaken = new Array<boolean>(next.length).fill(false);
  const take = (p: number, n: number, kind: AlignmentKind, similarity: number) => {
    prevTaken[p] = true;
    nextTaken[n] = true;
    pairs.push({ kind, previous: p, next: n, similarity });
  };

  const prevByKeyAndHash = new Map<string, number>();
  previous.forEach((c, i) => prevByKeyAndHash.set(`${c.key}\u0000${c.textHash}`, i));
  next.forEach((c, n) => {
    const p = prevByKeyAndHash.get(`${c.key}\u0000${c.textHash}`);
    if (p !== undefined && !prevTaken[p]) take(p, n, 'unchanged', 1);
  });

  const prevByHash = new Map<string, number[]>();
  previous.forEach((c, i) => {
    if (!prevTaken[i]) prevByHash.set(c.textHash, [...(prevByHash.get(c.textHash) ?? []), i]);
  });
  next.forEach((c, n) => {
    if (nextTaken[n]) return;
    const candidates = (prevByHash.get(c.textHash) ?? []).filter((p) => !prevTaken[p]);
    if (candidates.length === 0) return;
    const nearest = candidates.reduce((best, p) => (Math.abs(p - n) < Math.abs(best - n) ? p : best));
    take(nearest, n, 'moved', 1);
  });

  matchSimilar(previous, next, prevTaken, nextTaken).forEach(({ p, n, similarity }) => take(p, n, 'reworded', similarity));

  // Repealed text shares no words with what it replaced, but it is the same provision, now empty.
  const openPrevByKey = new Map<string, number>();
  previous.forEach((c, p) => {
    if (!prevTaken[p]) openPrevByKey.set(c.key, p);
  });
  next.forEach((c, n) => {
    const p = openPrevByKey.get(c.key);
    if (!nextTaken[n] && p !== undefined && !prevTaken[p] && isOmission(c)) take(p, n, 'reworded', 0);
  });

  next.forEach((_, n) => {
    if (!nextTaken[n]) pairs.push({ kind: 'added', previous: null, next: n, similarity: 0 });
  });
  previous.forEach((_, p) => {
    if (!prevTaken[p]) pairs.push({ kind: 'removed', previous: p, next: null, similarity: 0 });
  });
  return pairs.sort((a, b) => (a.next ?? Infinity) - (b.next ?? Infinity) || (a.previous ?? 0) - (b.previous ?? 0));
}

function matchSimilar(
  previous: readonly AlignableClause[],
  next: readonly AlignableClause[],
  prevTaken: boolean[],
  nextTaken: boolean[],
): { p: number; n: number; similarity: number }[] {
  const openPrev = previous.map((_, i) => i).filter((i) => !prevTaken[i]);
  const openNext = next.map((_, i) => i).filter((i) => !nextTaken[i]);
  if (openPrev.length === 0 || openNext.length === 0) return [];
  const windowed = openPrev.length * openNext.length > FULL_COMPARISON_LIMIT;
  const bags = new Map<string, WordBag>();
  const bagOf = (side: string, i: number, text: string) => {
    const id = `${side}${i}`;
    let bag = bags.get(id);
    if (!bag) bags.set(id, (bag = wordBag(text)));
    return bag;
  };

  const candidates: { p: number; n: number; similarity: number; score: number }[] = [];
  for (const p of openPrev) {
    for (const n of openNext) {
      if (windowed && Math.abs(p - n) > POSITION_WINDOW) continue;
      const prevClause = previous[p]!;
      const nextClause = next[n]!;
      const similarity = bagSimilarity(bagOf('p', p, prevClause.text), bagOf('n', n, nextClause.text));
      if (similarity < REWORD_THRESHOLD) continue;
      const score = similarity + (prevClause.key === nextClause.key ? SAME_KEY_BONUS : 0);
      candidates.push({ p, n, similarity, score });
    }
  }
  candidates.sort((a, b) => b.score - a.score || Math.abs(a.p - a.n) - Math.abs(b.p - b.n));
  const usedPrev = new Set<number>();
  const usedNext = new Set<number>();
  const chosen: { p: number; n: number; similarity: number }[] = [];
  for (const c of candidates) {
    if (usedPrev.has(c.p) || usedNext.has(c.n)) continue;
    usedPrev.add(c.p);
    usedNext.add(c.n);
    chosen.push(c);
  }
  return chosen;
}

function isOmission(clause: AlignableClause): boolean {
  return /^[\s.…]*$/.test(clause.text) || /"(repealed|omitted)"/.test(clause.marks ?? '');
}
