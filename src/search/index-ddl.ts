import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../db/migrations/portable.js';

/**
 * The full-text index over clause versions (text, heading, and the title of the document version the
 * clause version first appeared in). Clause versions are immutable, so the index only ever gains rows:
 * a trigger on `clause_versions` queues each new one in `search_pending` (in the importing transaction,
 * so none is ever missed) and src/search/index-pending.ts indexes the queue in batches after the import.
 *
 * SQLite: an FTS5 contentless table (the text lives in clause_versions already) with the porter
 *   stemmer over unicode61 with diacritics folded — the same Porter algorithm lunr ranks with — and
 *   prefix indexes for 2–6 characters: without them FTS5 merges the doclists of every word a `partn*`
 *   matches before returning a row (measured at 1M clause versions: 45–97 ms → under 1 ms; the build
 *   takes about 3.5 times as long).
 * PostgreSQL: a table of tsvectors (`simple` configuration: no stemming, no stop words, so Welsh is
 *   not mangled by an English stemmer; case and the common diacritics folded, punctuation split like
 *   FTS5) with a GIN index; title, heading and text are weights A, B and D so `title:` can be asked.
 */
export const SEARCH_TABLE = 'clause_search';

/** PostgreSQL: lower case, Welsh and Western European diacritics folded, punctuation → spaces. */
const PG_FOLD_FROM = 'áàâäãåāéèêëēíìîïīóòôöõōúùûüūýÿŷỳŵẁẃẅñç';
const PG_FOLD_TO = 'aaaaaaaeeeeeiiiiiooooooouuuuuyyyywwwwnc';

export function pgVector(title: string, heading: string, text: string): string {
  const f = (expr: string) => `regexp_replace(translate(lower(coalesce(${expr}, '')), '${PG_FOLD_FROM}', '${PG_FOLD_TO}'), '[^[:alnum:]]+', ' ', 'g')`;
  return `setweight(to_tsvector('simple', ${f(title)}), 'A') || setweight(to_tsvector('simple', ${f(heading)}), 'B') || setweight(to_tsvector('simple', ${f(text)}), 'D')`;
}

/**
 * SQLite only: the clause version's language, jurisdiction and kind as words of a fourth FTS5 column, so
 * those filters are posting lists intersected inside the index ("promote" among 1M clause versions,
 * Welsh only, no longer walks every English match through joins). Values are folded to letters and
 * digits, the same way on both sides (`facetToken`).
 */
const sqliteFacets = sql.raw(
  ['language', 'jurisdiction', 'kind']
    .map((name) => `'facet${name.slice(0, 4)}' || lower(replace(replace(replace(${name === 'language' ? 'cv' : 'd'}.${name}, '-', ''), '_', ''), ' ', ''))`)
    .join(" || ' ' || "),
);

/** The facet word a filter value is indexed as (see `sqliteFacets`). */
export function facetToken(name: 'language' | 'jurisdiction' | 'kind', value: string): string {
  return `facet${name.slice(0, 4)}${value.toLowerCase().replace(/[-_ ]/g, '')}`;
}

/** Creates an empty index table named `table` (the live one, or a new one being rebuilt). */
export async function createSearchTable(db: Kysely<any>, table: string): Promise<void> {
  assertName(table);
  if (isPostgres(db)) {
    await sql.raw(`create table ${table} (clause_version_id integer primary key, tsv tsvector not null)`).execute(db);
    await sql.raw(`create index ${table}_tsv on ${table} using gin (tsv)`).execute(db);
  } else {
    await sql.raw(`create virtual table ${table} using fts5(title, heading, text, facets, content='', contentless_delete=1, prefix='2 3 4 5 6', tokenize='porter unicode61 remove_diacritics 2')`).execute(db);
  }
}

/** Indexes clause versions with ids in (afterId, upToId]; returns how many. */
export async function fillSearchTable(db: Kysely<any>, table: string, afterId: number, upToId: number): Promise<number> {
  assertName(table);
  const result = isPostgres(db)
    ? await sql`insert into ${sql.table(table)} (clause_version_id, tsv) select cv.id, ${sql.raw(pgVector('dv.title', 'cv.heading', 'cv.text'))} from clause_versions cv join document_versions dv on dv.id = cv.document_version_id where cv.id > ${afterId} and cv.id <= ${upToId} on conflict (clause_version_id) do nothing`.execute(db)
    : await sql`insert into ${sql.table(table)} (rowid, title, heading, text, facets) select cv.id, dv.title, coalesce(cv.heading, ''), cv.text, ${sqliteFacets} from clause_versions cv join document_versions dv on dv.id = cv.document_version_id join documents d on d.id = dv.document_id where cv.id > ${afterId} and cv.id <= ${upToId}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * The trigger that queues every new clause version for indexing. Indexing itself is done in batches after
 * the import commits (`indexPendingClauseVersions`): FTS5 writes a segment per transaction, so indexing
 * row by row inside each document's import transaction cost more than the import itself (measured:
 * DESIGN.md, "Index maintenance"), while one batch of 30,000 takes ~0.3 s. A queue, not a watermark,
 * because PostgreSQL ids can commit out of order.
 */
export async function createSearchTrigger(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql
      .raw(
        `create or replace function clause_search_enqueue() returns trigger language plpgsql as $$
begin
  insert into search_pending (clause_version_id) values (new.id) on conflict do nothing;
  return null;
end $$`,
      )
      .execute(db);
    await sql.raw('create trigger clause_search_queue after insert on clause_versions for each row execute function clause_search_enqueue()').execute(db);
  } else {
    await sql.raw('create trigger clause_search_queue after insert on clause_versions begin insert or ignore into search_pending (clause_version_id) values (new.id); end').execute(db);
  }
}

export async function dropSearchTrigger(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) await sql.raw('drop trigger if exists clause_search_queue on clause_versions').execute(db);
  else await sql.raw('drop trigger if exists clause_search_queue').execute(db);
}

/** Indexes the given clause versions into `table` (ids assumed not yet indexed there). */
export async function indexClauseVersions(db: Kysely<any>, table: string, ids: readonly number[]): Promise<number> {
  assertName(table);
  if (ids.length === 0) return 0;
  const result = isPostgres(db)
    ? await sql`insert into ${sql.table(table)} (clause_version_id, tsv) select cv.id, ${sql.raw(pgVector('dv.title', 'cv.heading', 'cv.text'))} from clause_versions cv join document_versions dv on dv.id = cv.document_version_id where cv.id in (${sql.join(ids)}) on conflict (clause_version_id) do nothing`.execute(db)
    : await sql`insert into ${sql.table(table)} (rowid, title, heading, text, facets) select cv.id, dv.title, coalesce(cv.heading, ''), cv.text, ${sqliteFacets} from clause_versions cv join document_versions dv on dv.id = cv.document_version_id join documents d on d.id = dv.document_id where cv.id in (${sql.join(ids)})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
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
