import { sql, type Kysely } from 'kysely';
import { isPostgres } from './portable.js';
import { createSearchTrigger } from '../../search/index-ddl.js';

/**
 * The search index is filled from a queue after each import instead of row by row inside it (see
 * src/search/index-ddl.ts for the measured reason). Replaces 0006's indexing trigger with a queueing one.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('search_pending').addColumn('clause_version_id', 'integer', (c) => c.primaryKey()).execute();
  if (isPostgres(db)) {
    await sql.raw('drop trigger if exists clause_search_insert on clause_versions').execute(db);
    await sql.raw('drop function if exists clause_search_index()').execute(db);
  } else {
    await sql.raw('drop trigger if exists clause_search_insert').execute(db);
  }
  await createSearchTrigger(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql.raw('drop trigger if exists clause_search_queue on clause_versions').execute(db);
    await sql.raw('drop function if exists clause_search_enqueue()').execute(db);
  } else {
    await sql.raw('drop trigger if exists clause_search_queue').execute(db);
  }
  await db.schema.dropTable('search_pending').execute();
}
