import type { Kysely } from 'kysely';
import { strengths, type Strength } from '../domain/strength.js';
import type { Database } from '../db/schema.js';
import { chunked } from './version-queries.js';

export interface TagReview {
  clauseVersionId: number;
  /** confirm: the machine is right; reject: not co-production; correct: set coproduction and/or strength. */
  action: 'confirm' | 'reject' | 'correct';
  coproduction?: boolean;
  strength?: Strength;
  note: string;
  reviewer: string;
}

export interface EffectiveTag {
  coproduction: boolean;
  strength: Strength;
  funding: boolean;
  /** `review` when a reviewer's decision overrides or confirms the machine. */
  source: 'machine' | 'review';
  matcherVersion: string | null;
  review: { action: string; note: string; reviewer: string; at: string } | null;
}

/** Stores a reviewer's decision. It wins over the machine tag from then on, whatever the matcher does later. */
export async function reviewTag(db: Kysely<Database>, review: TagReview, now = new Date()): Promise<void> {
  if (!review.note.trim()) throw new Error('a review needs a note saying why (it is shown beside the tag)');
  if (review.action === 'correct' && review.coproduction === undefined && review.strength === undefined) {
    throw new Error('a correction must set coproduction or strength');
  }
  if (review.strength !== undefined && !strengths.includes(review.strength)) throw new Error(`unknown strength ${review.strength}`);
  const exists = await db.selectFrom('clause_versions').select('id').where('id', '=', review.clauseVersionId).executeTakeFirst();
  if (!exists) throw new Error(`no clause version ${review.clauseVersionId}`);
  await db
    .insertInto('tag_reviews')
    .values({
      clause_version_id: review.clauseVersionId,
      action: review.action,
      coproduction: review.action === 'reject' ? 0 : review.coproduction === undefined ? null : review.coproduction ? 1 : 0,
      strength: review.action === 'reject' ? 'none' : (review.strength ?? null),
      note: review.note.trim(),
      reviewer: review.reviewer,
      created_at: now.toISOString(),
    })
    .execute();
}

/** The tag to show and count: the latest review applied over the machine tag. */
export async function effectiveTags(db: Kysely<Database>, clauseVersionIds: readonly number[]): Promise<Map<number, EffectiveTag>> {
  const result = new Map<number, EffectiveTag>();
  for (const ids of chunked([...new Set(clauseVersionIds)], 500)) {
    const tags = await db.selectFrom('tags').select(['clause_version_id', 'coproduction', 'strength', 'funding', 'matcher_version']).where('clause_version_id', 'in', ids).execute();
    for (const t of tags) {
      result.set(t.clause_version_id, { coproduction: t.coproduction === 1, strength: t.strength as Strength, funding: t.funding === 1, source: 'machine', matcherVersion: t.matcher_version, review: null });
    }
    const reviews = await db.selectFrom('tag_reviews').selectAll().where('clause_version_id', 'in', ids).orderBy('id').execute();
    for (const r of reviews) {
      const base = result.get(r.clause_version_id) ?? { coproduction: false, strength: 'none' as Strength, funding: false, source: 'machine' as const, matcherVersion: null, review: null };
      const coproduction = r.coproduction === null ? base.coproduction : r.coproduction === 1;
      result.set(r.clause_version_id, {
        ...base,
        coproduction,
        // The taxonomy's convention: no commitment strength and no funding without co-production.
        strength: coproduction ? ((r.strength as Strength | null) ?? base.strength) : 'none',
        funding: coproduction && base.funding,
        source: 'review',
        review: { action: r.action, note: r.note, reviewer: r.reviewer, at: r.created_at },
      });
    }
  }
  return result;
}
