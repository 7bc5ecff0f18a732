import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

/** One document version that is the current text of its document in one language. */
export interface CurrentVersion {
  versionId: number;
  documentId: string;
  documentTitle: string;
  kind: string;
  jurisdiction: string;
  language: string;
  label: string;
  /** valid_from, or the day it was fetched when the source gives no date. */
  date: string;
  /** A bill's text is a proposal, never law in force. */
  proposed: boolean;
}

/** Latest first: by valid_from (undated last), then by id. */
export function versionIsLater(a: { valid_from: string | null; id: number }, b: { valid_from: string | null; id: number }): boolean {
  const av = a.valid_from ?? '';
  const bv = b.valid_from ?? '';
  return av !== bv ? av > bv : a.id > b.id;
}

/**
 * "Current text": for each active (not withdrawn) document, its latest accepted version per language.
 * Quarantined versions are never current. Bills come back marked `proposed` so callers can show them apart.
 */
export async function currentVersions(db: Kysely<Database>): Promise<CurrentVersion[]> {
  const rows = await db
    .selectFrom('document_versions as v')
    .innerJoin('documents as d', 'd.id', 'v.document_id')
    .select(['v.id', 'v.document_id', 'v.language', 'v.label', 'v.valid_from', 'v.fetched_at', 'd.title', 'd.kind', 'd.jurisdiction'])
    .where('v.status', '=', 'accepted')
    .where('d.status', '=', 'active')
    .execute();
  const latest = new Map<string, (typeof rows)[number]>();
  for (const row of rows) {
    const key = `${row.document_id}\u0000${row.language}`;
    const seen = latest.get(key);
    if (!seen || versionIsLater(row, seen)) latest.set(key, row);
  }
  return [...latest.values()].map((r) => ({
    versionId: r.id,
    documentId: r.document_id,
    documentTitle: r.title,
    kind: r.kind,
    jurisdiction: r.jurisdiction,
    language: r.language,
    label: r.label,
    date: r.valid_from ?? r.fetched_at.slice(0, 10),
    proposed: r.kind === 'bill',
  }));
}
