import { sql, type Kysely } from 'kysely';
import { isPostgres } from './portable.js';
import { SEARCH_TABLE, createSearchTable, createSearchTrigger, dropSearchTable, dropSearchTrigger, fillSearchTable, maxClauseVersionId } from '../../search/index-ddl.js';

/**
 * Full-text search over clause versions (issue 6): an FTS5 table on SQLite, a GIN-indexed tsvector
 * table on PostgreSQL, kept up to date by a trigger on clause_versions, filled here from what exists.
 * Also the indexes the search filters need: documents by jurisdiction and kind, versions by date.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await createSearchTable(db, SEARCH_TABLE);
  await fillSearchTable(db, SEARCH_TABLE, 0, await maxClauseVersionId(db));
  await createSearchTrigger(db);
  await db.schema.createIndex('document_versions_in_force').on('document_versions').columns(['document_id', 'language', 'status', 'valid_from']).execute();
  await db.schema.createIndex('documents_jurisdiction_kind').on('documents').columns(['jurisdiction', 'kind']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('documents_jurisdiction_kind').execute();
  await db.schema.dropIndex('document_versions_in_force').execute();
  await dropSearchTrigger(db);
  await dropSearchTable(db, SEARCH_TABLE);
  if (isPostgres(db)) await sql.raw('drop function if exists clause_search_index()').execute(db);
}
