import type { Kysely, Transaction } from 'kysely';
import type { Database, DocumentVersion } from '../db/schema.js';
import type { ClauseContent } from './prepare-document.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface StoredClause extends ClauseContent {
  position: number;
  clauseId: number;
  clauseVersionId: number;
}

/** The accepted versions of one document in one language: the stream a new version continues. */
export async function acceptedVersions(db: Db, documentId: string, language: string): Promise<DocumentVersion[]> {
  return db
    .selectFrom('document_versions')
    .selectAll()
    .where('document_id', '=', documentId)
    .where('language', '=', language)
    .where('status', '=', 'accepted')
    .execute();
}

/**
 * The version a new one follows: the latest accepted version valid on or before the new one's date
 * (point-in-time texts can arrive out of order), or simply the latest when dates are unknown.
 */
export function predecessorOf(versions: readonly DocumentVersion[], validFrom: string | null): DocumentVersion | null {
  const candidates = validFrom ? versions.filter((v) => (v.valid_from ?? '') <= validFrom) : versions;
  let best: DocumentVersion | null = null;
  for (const v of candidates) {
    if (!best || (v.valid_from ?? '') > (best.valid_from ?? '') || ((v.valid_from ?? '') === (best.valid_from ?? '') && v.id > best.id)) {
      best = v;
    }
  }
  return best;
}

export async function clausesOfVersion(db: Db, versionId: number): Promise<StoredClause[]> {
  const rows = await db
    .selectFrom('version_clauses as vc')
    .innerJoin('clause_versions as cv', 'cv.id', 'vc.clause_version_id')
    .select([
      'vc.position',
      'vc.clause_id',
      'vc.clause_version_id',
      'cv.key',
      'cv.number',
      'cv.heading',
      'cv.parent_key',
      'cv.text',
      'cv.text_hash',
      'cv.marks',
    ])
    .where('vc.document_version_id', '=', versionId)
    .orderBy('vc.position')
    .execute();
  return rows.map((r) => ({
    position: r.position,
    clauseId: r.clause_id,
    clauseVersionId: r.clause_version_id,
    key: r.key,
    number: r.number,
    heading: r.heading,
    parentKey: r.parent_key,
    text: r.text,
    textHash: r.text_hash,
    marks: r.marks,
  }));
}

/** Splits rows for multi-row INSERTs: SQLite allows 32,766 bound parameters, PostgreSQL 65,535. */
export function chunked<T>(rows: readonly T[], size = 400): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size));
  return chunks;
}
