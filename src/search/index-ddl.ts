import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../db/migrations/portable.js';

/**
 * The full-text index over clause versions (text, heading, and the title of the document version the
 * clause version first appeared in). Clause versions are immutable, so the index only ever gains rows,
 * and a trigger on `clause_versions` adds each one in the importing transaction: a scrape that writes
 * 1,000 clause versions indexes them as it writes them, with no change to the import code.
 *
 * SQLite: an FTS5 contentless table (the text lives in clause_versions already) with the porter
 *   stemmer over unicode61 with diacritics folded — the same Porter algorithm lunr ranks with.
 * PostgreSQL: a table of tsvectors (`simple` configuration: no stemming, no stop words, so Welsh is
 *   not mangled by an English stemmer; case and the common diacritics folded, punctuation split like
 *   FTS5) with a GIN index; title, heading and text are weights A, B and D so `title:` can be asked.
 */
export const SEARCH_TABLE = 'clause_search';

/** PostgreSQL: lower case, Welsh and Western European diacritics folded, punctuation → spaces. */
const PG_FOLD_FROM = 'áàâäãåāéèêëēíìîïīóòôöõōúùûüūýÿŷỳŵẁẃẅñç';
const PG_FOLD_TO = 'aaaaaaaeeeeeiiiiiooooooouuuuuyyyywwwwnc';

function pgVector(title: string, heading: string, text: string): string {
  const f = (expr: string) => `regexp_replace(translate(lower(coalesce(${expr}, '')), '${PG_FOLD_FROM}', '${PG_FOLD_TO}'), '[^[:alnum:]]+', ' ', 'g')`;
  return `setweight(to_tsvector('simple', ${f(title)}), 'A') || setweight(to_tsvector('simple', ${f(heading)}), 'B') || setweight(to_tsvector('simple', ${f(text)}), 'D')`;
}

/** Creates an empty index table named `table` (the live one, or a new one being rebuilt). */
export async function createSearchTable(db: Kysely<any>, table: string): Promise<void> {
  assertName(table);
  if (isPostgres(db)) {
    await sql.raw(`create table ${table} (clause_version_id integer primary key, tsv tsvector not null)`).execute(db);
    await sql.raw(`create index ${table}_tsv on ${table} using gin (tsv)`).execute(db);
  } else {
    await sql.raw(`create virtual table ${table} using fts5(title, heading, text, content='', contentless_delete=1, tokenize='porter unicode61 remove_diacritics 2')`).execute(db);
  }
}

/** Indexes clause versions with ids in (afterId, upToId]; returns how many. */
export async function fillSearchTable(db: Kysely<any>, table: string, afterId: number, upToId: number): Promise<number> {
  assertName(table);
  const result = isPostgres(db)
    ? await sql`insert into ${sql.table(table)} (clause_version_id, tsv) select cv.id, ${sql.raw(pgVector('dv.title', 'cv.heading', 'cv.text'))} from clause_versions cv join document_versions dv on dv.id = cv.document_version_id where cv.id > ${afterId} and cv.id <= ${upToId} on conflict (clause_version_id) do nothing`.execute(db)
    : await sql`insert into ${sql.table(table)} (rowid, title, heading, text) select cv.id, dv.title, coalesce(cv.heading, ''), cv.text from clause_versions cv join document_versions dv on dv.id = cv.document_version_id where cv.id > ${afterId} and cv.id <= ${upToId}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** The trigger that indexes every new clause version into `clause_search`. */
export async function createSearchTrigger(db: Kysely<any>): Promise<void> {
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

export async function dropSearchTrigger(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) await sql.raw('drop trigger if exists clause_search_insert on clause_versions').execute(db);
  else await sql.raw('drop trigger if exists clause_search_insert').execute(db);
}

export async function dropSearchTable(db: Kysely<any>, table: string): Promise<void> {
  assertName(table);
  await sql.raw(`drop table if exists ${table}`).execute(db);
}

export async function maxClauseVersionId(db: Kysely<any>): Promise<number> {
  const row = await sql<{ max: number | null }>`select max(id) as max from clause_versions`.execute(db);
  return Number(row.rows[0]?.max ?? 0);
}

function assertName(table: string): void {
  if (!/^clause_search(?:_new|_old)?$/.test(table)) throw new Error(`not a search table name: ${table}`);
}
