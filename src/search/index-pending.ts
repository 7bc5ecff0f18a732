import { sql, type Kysely } from 'kysely';
import { SEARCH_TABLE, indexClauseVersions } from './index-ddl.js';

export interface IndexPendingOptions {
  /** Clause versions per transaction. Default 5000. */
  batchSize?: number;
  onProgress?: (indexed: number) => void;
}

/**
 * Indexes the clause versions queued by the trigger, a batch per short transaction, each batch taken
 * off the queue in the transaction that indexes it: a crash leaves them queued, never half-indexed.
 * Called after each scrape run (and every few thousand clause versions within one), at server start,
 * by the demo loader and by `npm run reindex`. Returns how many were indexed.
 */
export async function indexPendingClauseVersions(db: Kysely<any>, options: IndexPendingOptions = {}): Promise<number> {
  const batchSize = options.batchSize ?? 5000;
  let indexed = 0;
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      const rows = await sql<{ id: number }>`select clause_version_id as id from search_pending order by clause_version_id limit ${batchSize}`.execute(trx);
      const ids = rows.rows.map((r) => Number(r.id));
      if (ids.length === 0) return 0;
      await indexClauseVersions(trx, SEARCH_TABLE, ids);
      await sql`delete from search_pending where clause_version_id in (${sql.join(ids)})`.execute(trx);
      return ids.length;
    });
    if (done === 0) return indexed;
    indexed += done;
    options.onProgress?.(indexed);
    if (done < batchSize) return indexed;
  }
}

/** How many clause versions wait to be indexed (shown on the search page when not zero). */
export async function pendingIndexCount(db: Kysely<any>): Promise<number> {
  const row = await sql<{ n: number }>`select count(*) as n from search_pending`.execute(db);
  return Number(row.rows[0]?.n ?? 0);
}
