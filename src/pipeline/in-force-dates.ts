import { sql, type Kysely } from 'kysely';

/** When a document version took effect: its valid-from date, else the day it was fetched. */
export const startOf = (alias: string) => sql.raw(`coalesce(${alias}.valid_from, substr(${alias}.fetched_at, 1, 10))`);

/**
 * Sets `superseded_from` on accepted document versions: the day the next accepted version of the same
 * document and language (in start-date, then id, order) took effect, or null for the latest. "In force
 * on D" is then `start <= D and (superseded_from is null or superseded_from > D)`, two comparisons on
 * one row instead of a search for later versions per candidate (search's "as at" filter, issue 6).
 * Called in the import transaction for the one document and language; with no arguments, for all.
 */
export async function refreshSupersededFrom(db: Kysely<any>, scope?: { documentId: string; language: string }): Promise<void> {
  const where = scope ? sql`m.document_id = ${scope.documentId} and m.language = ${scope.language} and m.status = 'accepted'` : sql`m.status = 'accepted'`;
  await sql`update document_versions set superseded_from = (
      select min(${startOf('w')}) from document_versions w
      where w.document_id = document_versions.document_id and w.language = document_versions.language and w.status = 'accepted'
        and (${startOf('w')} > ${startOf('document_versions')} or (${startOf('w')} = ${startOf('document_versions')} and w.id > document_versions.id)))
    where id in (select m.id from document_versions m where ${where})`.execute(db);
}
