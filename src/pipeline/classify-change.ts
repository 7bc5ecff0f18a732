import { strengthRank, type Strength } from '../domain/strength.js';

/** What the change classifier needs to know about one side of a clause change. */
export interface ClauseSnapshot {
  key: string;
  /** Normalised text. */
  text: string;
  /** Commitment strength from the matcher; undefined when the clause has not been tagged. */
  strength?: Strength | null;
  /** Principle ids the matcher found. */
  principles?: readonly string[];
  /** Normalised funding amounts attached to the clause (e.g. "GBP 2300000 per-year"). */
  funding?: readonly string[];
}

export type ChangeClass = 'added' | 'removed' | 'unchanged' | 'moved' | 'reworded';

export interface ChangeClassification {
  kind: ChangeClass;
  important: boolean;
  /** Why it is important (or what else changed): strength_weakened, principle_gained:<id>, funding_added… */
  reasons: string[];
}

/**
 * The one place that decides what a clause change is and whether anyone should be told about it;
 * alerts, feeds and the dashboard all use it.
 *
 * | previous   | next        | text         | tags / money                       | kind      | important |
 * |------------|-------------|--------------|------------------------------------|-----------|-----------|
 * | none       | clause      | –            | –                                  | added     | yes       |
 * | clause     | none        | –            | –                                  | removed   | yes       |
 * | clause     | clause      | same, key same | same                              | unchanged | no        |
 * | clause     | clause      | same, new key  | same                              | moved     | no        |
 * | clause     | clause      | changed      | same (wording only)                | reworded  | no        |
 * | clause     | clause      | any          | strength lower (duty → power)      | reworded* | yes: strength_weakened |
 * | clause     | clause      | any          | strength higher (may → must)       | reworded* | yes: strength_strengthened |
 * | clause     | clause      | any          | principle gained / lost            | reworded* | yes: principle_gained:<id> / principle_lost:<id> |
 * | clause     | clause      | any          | money added / changed / removed    | reworded* | yes: funding_added / funding_changed / funding_removed |
 *
 * (*) or moved/unchanged when the text itself is the same (tags re-made by a newer matcher).
 * A side whose strength is undefined has not been tagged, so no strength comparison is made.
 */
export function classifyChange(previous: ClauseSnapshot | null, next: ClauseSnapshot | null): ChangeClassification {
  if (!previous && !next) throw new Error('classifyChange needs at least one side');
  if (!previous) return { kind: 'added', important: true, reasons: ['added'] };
  if (!next) return { kind: 'removed', important: true, reasons: ['removed'] };

  const kind: ChangeClass = previous.text !== next.text ? 'reworded' : previous.key !== next.key ? 'moved' : 'unchanged';
  const reasons = [...strengthChange(previous, next), ...principleChanges(previous, next), ...fundingChange(previous, next)];
  return { kind, important: reasons.length > 0, reasons };
}

export function isImportantChange(previous: ClauseSnapshot | null, next: ClauseSnapshot | null): boolean {
  return classifyChange(previous, next).important;
}

function strengthChange(previous: ClauseSnapshot, next: ClauseSnapshot): string[] {
  if (previous.strength === undefined || next.strength === undefined) return [];
  const before = strengthRank(previous.strength ?? 'none');
  const after = strengthRank(next.strength ?? 'none');
  if (after < before) return ['strength_weakened'];
  if (after > before) return ['strength_strengthened'];
  return [];
}

function principleChanges(previous: ClauseSnapshot, next: ClauseSnapshot): string[] {
  if (!previous.principles || !next.principles) return [];
  const before = new Set(previous.principles);
  const after = new Set(next.principles);
  return [
    ...[...after].filter((p) => !before.has(p)).map((p) => `principle_gained:${p}`),
    ...[...before].filter((p) => !after.has(p)).map((p) => `principle_lost:${p}`),
  ];
}

function fundingChange(previous: ClauseSnapshot, next: ClauseSnapshot): string[] {
  const before = [...(previous.funding ?? [])].sort();
  const after = [...(next.funding ?? [])].sort();
  if (before.length === 0 && after.length > 0) return ['funding_added'];
  if (before.length > 0 && after.length === 0) return ['funding_removed'];
  if (before.join('|') !== after.join('|')) return ['funding_changed'];
  return [];
}
