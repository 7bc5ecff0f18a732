import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../db/migrations/portable.js';
import { SEARCH_TABLE, createSearchTable, dropSearchTable, fillSearchTable, maxClauseVersionId } from './index-ddl.js';

export interface ReindexOptions {
  /** Clause versions per batch (each batch its own short transaction). Default 5000. */
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface ReindexReport {
  indexed: number;
  caughtUp: number;
  ms: number;
}

const NEW_TABLE = 'clause_search_new';

/**
 * Rebuilds the search index beside the live one and swaps it in. The server keeps answering from the
 * old index while the new one fills in short batches (the write lock is held for one batch at a time);
 * clause versions imported meanwhile are copied across in the swap, which is one short transaction:
 * catch up, empty the queue (the new table now holds every clause version), drop the old table, rename.
 */
export async function rebuildSearchIndex(db: Kysely<any>, options: ReindexOptions = {}): Promise<ReindexReport> {
  const started = performance.now();
  const batchSize = options.batchSize ?? 5000;
  await dropSearchTable(db, NEW_TABLE);
  await createSearchTable(db, NEW_TABLE);
  const upTo = await maxClauseVersionId(db);
  const total = Number((await sql<{ n: number }>`select count(*) as n from clause_versions where id <= ${upTo}`.execute(db)).rows[0]?.n ?? 0);
  let indexed = 0;
  let after = 0;
  options.onProgress?.(0, total);
  while (after < upTo) {
    const next = Math.min(upTo, after + batchSize);
    indexed += await fillSearchTable(db, NEW_TABLE, after, next);
    after = next;
    options.onProgress?.(Math.min(indexed, total), total);
  }
  let caughtUp = 0;
  await db.transaction().execute(async (trx) => {
    if (isPostgres(trx)) await sql`lock table clause_versions in share row exclusive mode`.execute(trx);
    caughtUp = await fillSearchTable(trx, NEW_TABLE, upTo, 2_147_483_647);
    await sql`delete from search_pending`.execute(trx);
    await dropSearchTable(trx, SEARCH_TABLE);
    await sql.raw(`alter table ${NEW_TABLE} rename to ${SEARCH_TABLE}`).execute(trx);
    if (isPostgres(trx)) await sql.raw(`alter index ${NEW_TABLE}_tsv rename to ${SEARCH_TABLE}_tsv`).execute(trx);
  });
  // PostgreSQL plans the candidate query from table statistics; with none (a bulk load autovacuum has not
  // reached yet) it walked the index backwards for minutes where the analysed plan takes milliseconds.
  if (isPostgres(db)) await sql`analyze`.execute(db);
  return { indexed: indexed + caughtUp, caughtUp, ms: Math.round(performance.now() - started) };
}
