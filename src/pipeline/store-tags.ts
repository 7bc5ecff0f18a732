import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { MatchResult } from '../matcher/types.js';
import { chunked } from './version-queries.js';
import { snapshotOfTag, tagRow, type TagSnapshot } from './tag-clauses.js';

/** Tags of the given clause versions, as change-classification snapshots. */
export async function tagSnapshots(trx: Transaction<Database>, clauseVersionIds: readonly number[]): Promise<Map<number, TagSnapshot & { matcherVersion: string }>> {
  const snapshots = new Map<number, TagSnapshot & { matcherVersion: string }>();
  for (const ids of chunked([...new Set(clauseVersionIds)], 500)) {
    const rows = await trx.selectFrom('tags').select(['clause_version_id', 'matcher_version', 'strength', 'principles', 'funding', 'amounts']).where('clause_version_id', 'in', ids).execute();
    for (const row of rows) snapshots.set(row.clause_version_id, { ...snapshotOfTag(row), matcherVersion: row.matcher_version });
  }
  return snapshots;
}

/** Writes (or replaces) the machine tags of these clause versions; human reviews live elsewhere and are untouched. */
export async function upsertTags(trx: Transaction<Database>, tags: readonly { clauseVersionId: number; result: MatchResult }[], taggedAt: string): Promise<void> {
  for (const batch of chunked(tags, 200)) {
    await trx
      .insertInto('tags')
      .values(batch.map((t) => tagRow(t.clauseVersionId, t.result, taggedAt)))
      .onConflict((oc) =>
        oc.column('clause_version_id').doUpdateSet((eb) => ({
          matcher_version: eb.ref('excluded.matcher_version'),
          coproduction: eb.ref('excluded.coproduction'),
          ambiguous: eb.ref('excluded.ambiguous'),
          principles: eb.ref('excluded.principles'),
          strength: eb.ref('excluded.strength'),
          funding: eb.ref('excluded.funding'),
          funding_tier: eb.ref('excluded.funding_tier'),
          amounts: eb.ref('excluded.amounts'),
          evidence: eb.ref('excluded.evidence'),
          score: eb.ref('excluded.score'),
          reasons: eb.ref('excluded.reasons'),
          tagged_at: eb.ref('excluded.tagged_at'),
        })),
      )
      .execute();
  }
}
