import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { AlignmentPair } from './align-clauses.js';
import type { ClauseContent, PreparedClause } from './prepare-document.js';
import { chunked, type StoredClause } from './version-queries.js';

export interface WriteClausesInput {
  documentId: string;
  language: string;
  versionId: number;
  now: string;
  clauses: PreparedClause[];
  previousClauses: StoredClause[];
  pairs: AlignmentPair[];
  /** The document's clauses with no text yet in this language (their twins in another language), by key. */
  otherLanguageClauses: Map<string, number>;
}

/** Writes new clauses and changed clause versions, then the version's membership rows. */
export async function writeClauses(trx: Transaction<Database>, input: WriteClausesInput) {
  const { clauses, previousClauses } = input;
  const clauseIdAt: (number | undefined)[] = new Array(clauses.length);
  const clauseVersionIdAt: (number | undefined)[] = new Array(clauses.length);
  const renamed: { clauseId: number; key: string }[] = [];

  for (const pair of input.pairs) {
    if (pair.next === null || pair.previous === null) continue;
    const before = previousClauses[pair.previous]!;
    const after = clauses[pair.next]!;
    clauseIdAt[pair.next] = before.clauseId;
    if (sameContent(before, after)) clauseVersionIdAt[pair.next] = before.clauseVersionId;
    if (before.key !== after.key) renamed.push({ clauseId: before.clauseId, key: after.key });
  }
  clauses.forEach((c, i) => {
    if (clauseIdAt[i] === undefined && input.otherLanguageClauses.has(c.key)) clauseIdAt[i] = input.otherLanguageClauses.get(c.key);
  });

  const newClauses = clauses.filter((_, i) => clauseIdAt[i] === undefined);
  for (const batch of chunked(newClauses)) {
    const rows = await trx
      .insertInto('clauses')
      .values(batch.map((c) => ({ document_id: input.documentId, current_key: c.key, created_at: input.now })))
      .returning(['id', 'current_key'])
      .execute();
    // Keys are unique within a version, so the returned rows map back by key whatever order they come in.
    const idByKey = new Map(rows.map((r) => [r.current_key, r.id]));
    for (const c of batch) clauseIdAt[c.position] = idByKey.get(c.key);
  }
  for (const r of renamed) await trx.updateTable('clauses').set({ current_key: r.key }).where('id', '=', r.clauseId).execute();

  const changed = clauses.filter((_, i) => clauseVersionIdAt[i] === undefined);
  for (const batch of chunked(changed, 300)) {
    const rows = await trx
      .insertInto('clause_versions')
      .values(
        batch.map((c) => ({
          clause_id: clauseIdAt[c.position]!,
          language: input.language,
          key: c.key,
          number: c.number,
          heading: c.heading,
          parent_key: c.parentKey,
          text: c.text,
          text_hash: c.textHash,
          marks: c.marks,
          document_version_id: input.versionId,
          created_at: input.now,
        })),
      )
      .returning(['id', 'clause_id'])
      .execute();
    const idByClause = new Map(rows.map((r) => [r.clause_id, r.id]));
    for (const c of batch) clauseVersionIdAt[c.position] = idByClause.get(clauseIdAt[c.position]!);
  }

  const membership = clauses.map((c) => ({
    document_version_id: input.versionId,
    position: c.position,
    clause_id: clauseIdAt[c.position]!,
    clause_version_id: clauseVersionIdAt[c.position]!,
  }));
  for (const batch of chunked(membership, 1000)) await trx.insertInto('version_clauses').values(batch).execute();

  return { clauseIdAt: clauseIdAt as number[], clauseVersionIdAt: clauseVersionIdAt as number[], clauseVersionsWritten: changed.length };
}

function sameContent(before: ClauseContent, after: ClauseContent): boolean {
  return (
    before.textHash === after.textHash &&
    before.key === after.key &&
    before.number === after.number &&
    before.heading === after.heading &&
    before.parentKey === after.parentKey &&
    before.marks === after.marks
  );
}
