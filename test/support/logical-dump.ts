import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';

/**
 * The database's content without surrogate ids or row order: what a reader of the archive would see.
 * Two databases with equal dumps hold the same documents, versions, clause texts and events.
 */
export async function logicalDump(db: Kysely<Database>) {
  const documents = await db.selectFrom('documents').select(['id', 'title', 'kind', 'status']).orderBy('id').execute();
  const versions = await db
    .selectFrom('document_versions as v')
    .leftJoin('document_versions as p', 'p.id', 'v.previous_version_id')
    .select(['v.document_id', 'v.language', 'v.label', 'v.valid_from', 'v.content_hash', 'v.clause_count', 'v.status', 'p.content_hash as previous_hash'])
    .orderBy('v.document_id')
    .orderBy('v.language')
    .orderBy('v.label')
    .orderBy('v.content_hash')
    .execute();
  const membership = await db
    .selectFrom('version_clauses as vc')
    .innerJoin('document_versions as v', 'v.id', 'vc.document_version_id')
    .innerJoin('clause_versions as cv', 'cv.id', 'vc.clause_version_id')
    .innerJoin('clauses as c', 'c.id', 'vc.clause_id')
    .select(['v.document_id', 'v.label', 'v.language', 'vc.position', 'cv.key', 'cv.text_hash', 'c.current_key'])
    .orderBy('v.document_id')
    .orderBy('v.label')
    .orderBy('v.language')
    .orderBy('vc.position')
    .execute();
  const clauseVersions = await db.selectFrom('clause_versions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const events = await db
    .selectFrom('change_events as e')
    .leftJoin('document_versions as v', 'v.id', 'e.document_version_id')
    .select(['e.document_id', 'v.label', 'e.kind', 'e.important', 'e.detail'])
    .orderBy('e.document_id')
    .orderBy('v.label')
    .orderBy('e.kind')
    .orderBy('e.detail')
    .execute();
  return { documents, versions, membership, clauseVersions: Number(clauseVersions.n), events };
}
