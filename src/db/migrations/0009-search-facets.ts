import { sql, type Kysely } from 'kysely';
import { isPostgres } from './portable.js';
import { SEARCH_TABLE, createSearchTable, dropSearchTable, fillSearchTable, maxClauseVersionId } from '../../search/index-ddl.js';

/**
 * SQLite: the search index gains a `facets` column (language, jurisdiction, kind as words) so those
 * filters run inside FTS5, and prefix indexes for `word*`; the table is rebuilt from clause_versions
 * (about 90 s per million clause versions), which also indexes anything still queued. PostgreSQL filters with SQL and is unchanged.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) return;
  await dropSearchTable(db, SEARCH_TABLE);
  await createSearchTable(db, SEARCH_TABLE);
  await sql`delete from search_pending`.execute(db);
  await fillSearchTable(db, SEARCH_TABLE, 0, await maxClauseVersionId(db));
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) return;
  await dropSearchTable(db, SEARCH_TABLE);
  await sql.raw(`create virtual table ${SEARCH_TABLE} using fts5(title, heading, text, content='', contentless_delete=1, tokenize='porter unicode61 remove_diacritics 2')`).execute(db);
  await sql`insert into clause_search (rowid, title, heading, text) select cv.id, dv.title, coalesce(cv.heading, ''), cv.text from clause_versions cv join document_versions dv on dv.id = cv.document_version_id`.execute(db);
}
