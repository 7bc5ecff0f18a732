import { Migrator, sql, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import { isPostgres } from './migrations/portable.js';
import * as coreTables from './migrations/0001-core-tables.js';
import * as documentsAndClauses from './migrations/0002-documents-and-clauses.js';
import * as sourceHealth from './migrations/0003-source-health.js';
import * as tags from './migrations/0004-tags.js';
import * as reviewersAndSessions from './migrations/0005-reviewers-and-sessions.js';
import * as searchIndex from './migrations/0006-search-index.js';
import * as alerts from './migrations/0007-alerts.js';
import * as searchQueue from './migrations/0008-search-queue.js';
import * as searchFacets from './migrations/0009-search-facets.js';
import * as supersededFrom from './migrations/0010-superseded-from.js';

/**
 * Migrations are listed here rather than read from disk so they work the same under tsx, the compiled
 * build and vitest. Names sort in the order they must run; a conventions test checks that.
 */
export const migrations: Record<string, Migration> = {
  '0001-core-tables': coreTables,
  '0002-documents-and-clauses': documentsAndClauses,
  '0003-source-health': sourceHealth,
  '0004-tags': tags,
  '0005-reviewers-and-sessions': reviewersAndSessions,
  '0006-search-index': searchIndex,
  '0007-alerts': alerts,
  '0008-search-queue': searchQueue,
  '0009-search-facets': searchFacets,
  '0010-superseded-from': supersededFrom,
};

/** A Migrator over our migrations, with its bookkeeping tables pinned to the current schema. */
export async function createMigrator(db: Kysely<any>): Promise<Migrator> {
  // kysely looks for its bookkeeping tables in every schema it can see; on PostgreSQL name ours, or a
  // copy in another schema (another deployment, a parallel test) is mistaken for this one's.
  const migrationTableSchema = isPostgres(db) ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema : undefined;
  return new Migrator({ db, provider: { getMigrations: async () => migrations }, ...(migrationTableSchema ? { migrationTableSchema } : {}) });
}

export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  const result = await (await createMigrator(db)).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${String(result.error)}`, { cause: result.error });
  }
  return result;
}
