import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export interface HomeSummary {
  documents: number;
  versions: number;
  clauses: number;
  recentRuns: { source_id: string; status: string; started_at: string; inserted: number; updated: number; failed: number }[];
}

export async function homeSummary(db: Kysely<Database>): Promise<HomeSummary> {
  const count = async (table: 'documents' | 'document_versions' | 'clauses') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const recentRuns = await db
    .selectFrom('runs')
    .select(['source_id', 'status', 'started_at', 'inserted', 'updated', 'failed'])
    .orderBy('id', 'desc')
    .limit(5)
    .execute();
  return { documents: await count('documents'), versions: await count('document_versions'), clauses: await count('clauses'), recentRuns };
}
