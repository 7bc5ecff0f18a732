import { sql, type Kysely } from 'kysely';
import { isPostgres } from './portable.js';
import { SEARCH_TABLE, createSearchTable, dropSearchTable, fillSearchTable, maxClauseVersionId, pgVector } from '../../search/index-ddl.js';

/**
 * Full-text search over clause versions (issue 6): an FTS5 table on SQLite, a GIN-indexed tsvector
 * table on PostgreSQL, kept up to date by a trigger on clause_versions, filled here from what exists.
 * Also the indexes the search filters need: documents by jurisdiction and kind, versions by date.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await createSearchTable(db, SEARCH_TABLE);
  await fillSearchTable(db, SEARCH_TABLE, 0, await maxClauseVersionId(db));
  await createIndexingTrigger(db);
  await db.schema.createIndex('document_versions_in_force').on('document_versions').columns(['document_id', 'language', 'status', 'valid_from']).execute();
  await db.schema.createIndex('documents_jurisdiction_kind').on('documents').columns(['jurisdiction', 'kind']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('documents_jurisdiction_kind').execute();
  await db.schema.dropIndex('document_versions_in_force').execute();
  if (isPostgres(db)) await sql.raw('drop trigger if exists clause_search_insert on clause_versions').execute(db);
  else await sql.raw('drop trigger if exists clause_search_insert').execute(db);
  await dropSearchTable(db, SEARCH_TABLE);
  if (isPostgres(db)) await sql.raw('drop function if exists clause_search_index()').execute(db);
}

/** 0006's trigger indexed each clause version in the importing transaction; 0008 replaced it with a queue. */
async function createIndexingTrigger(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql
      .raw(
        `create or replace function clause_search_index() returns trigger language plpgsql as $$
begin
  insert into clause_search (clause_version_id, tsv)
    select new.id, ${pgVector('dv.title', 'new.heading', 'new.text')} from document_versions dv where dv.id = new.document_version_id
    on conflict (clause_version_id) do nothing;
  return null;
end $$`,
      )
      .execute(db);
    await sql.raw('create trigger clause_search_insert after insert on clause_versions for each row execute function clause_search_index()').execute(db);
  } else {
    await sql
      .raw(
        `create trigger clause_search_insert after insert on clause_versions begin
  insert into clause_search (rowid, title, heading, text)
    values (new.id, (select title from document_versions where id = new.document_version_id), coalesce(new.heading, ''), new.text);
end`,
      )
      .execute(db);
  }
}
