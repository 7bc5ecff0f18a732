import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { documentKinds, jurisdictions, languages } from '../../domain/scraped-document.js';
import { effectiveTags } from '../../pipeline/tag-reviews.js';
import { chunked } from '../../pipeline/version-queries.js';

export const documentsPageSize = 25;

const optionalEnum = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .pipe(z.enum(values, { error: () => `${what} must be one of: ${values.join(', ')}` }).optional());

/** The list's query string. Empty values mean "any" (what an untouched select in the GET form sends). */
export const documentFiltersSchema = z.object({
  kind: optionalEnum(documentKinds, 'kind'),
  jurisdiction: optionalEnum(jurisdictions, 'jurisdiction'),
  stage: z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .pipe(z.string().regex(/^[a-z0-9-]{1,100}$/, 'stage must be a stage label such as enacted, introduced or amended-stage-2').optional()),
  language: optionalEnum(languages, 'language'),
  coproduction: optionalEnum(['yes', 'no'] as const, 'coproduction'),
  page: z
    .string()
    .optional()
    .transform((v) => (v === '' || v === undefined ? '1' : v))
    .pipe(z.string().regex(/^[1-9][0-9]{0,5}$/, 'page must be a whole number from 1'))
    .transform(Number),
});

export type DocumentFilters = z.infer<typeof documentFiltersSchema>;

export interface DocumentListItem {
  id: string;
  title: string;
  kind: string;
  jurisdiction: string;
  status: string;
  languages: string[];
  labels: string[];
  /** Latest accepted version: its valid-from date, else its fetch date. */
  latestDate: string | null;
  latestFetchedAt: string;
  /** Clauses in the latest accepted version (English where there is one). */
  clauseCount: number;
  /** Of those, co-production clauses by the effective (reviewed) tag. */
  coproductionCount: number;
}

interface VersionRow {
  id: number;
  document_id: string;
  language: string;
  label: string;
  valid_from: string | null;
  fetched_at: string;
  clause_count: number;
}

/**
 * Every document with its accepted versions, filtered, newest first. Four queries whatever the corpus
 * size (plus effectiveTags); filtering happens in TypeScript because each filter is "some version has…".
 */
export async function listDocuments(db: Kysely<Database>, filters: Omit<DocumentFilters, 'page'>): Promise<DocumentListItem[]> {
  let docsQuery = db.selectFrom('documents').select(['id', 'title', 'kind', 'jurisdiction', 'status']);
  if (filters.kind) docsQuery = docsQuery.where('kind', '=', filters.kind);
  if (filters.jurisdiction) docsQuery = docsQuery.where('jurisdiction', '=', filters.jurisdiction);
  const docs = await docsQuery.execute();
  const versions = await db
    .selectFrom('document_versions')
    .select(['id', 'document_id', 'language', 'label', 'valid_from', 'fetched_at', 'clause_count'])
    .where('status', '=', 'accepted')
    .execute();
  const byDoc = new Map<string, VersionRow[]>();
  for (const v of versions) {
    const list = byDoc.get(v.document_id) ?? [];
    list.push(v);
    byDoc.set(v.document_id, list);
  }
  const latestOf = (list: VersionRow[]): VersionRow => {
    const english = list.filter((v) => v.language === 'en');
    const pool = english.length > 0 ? english : list;
    return pool.reduce((best, v) => (versionOrder(v, best) > 0 ? v : best));
  };
  const candidates = docs
    .map((d) => ({ doc: d, versions: byDoc.get(d.id) ?? [] }))
    .filter(({ versions: vs }) => vs.length > 0)
    .filter(({ versions: vs }) => !filters.language || vs.some((v) => v.language === filters.language))
    .filter(({ versions: vs }) => !filters.stage || vs.some((v) => v.label === filters.stage));
  const latest = new Map(candidates.map((c) => [c.doc.id, latestOf(c.versions)]));
  const counts = await coproductionCounts(db, [...latest.values()].map((v) => v.id));
  const items = candidates.map(({ doc, versions: vs }): DocumentListItem => {
    const l = latest.get(doc.id) as VersionRow;
    return {
      id: doc.id,
      title: doc.title,
      kind: doc.kind,
      jurisdiction: doc.jurisdiction,
      status: doc.status,
      languages: [...new Set(vs.map((v) => v.language))].sort((a, b) => (a === 'en' ? -1 : b === 'en' ? 1 : a.localeCompare(b))),
      labels: [...new Set([...vs].sort((a, b) => versionOrder(a, b)).map((v) => v.label))],
      latestDate: l.valid_from,
      latestFetchedAt: l.fetched_at,
      clauseCount: l.clause_count,
      coproductionCount: counts.get(l.id) ?? 0,
    };
  });
  const filtered =
    filters.coproduction === 'yes' ? items.filter((i) => i.coproductionCount > 0) : filters.coproduction === 'no' ? items.filter((i) => i.coproductionCount === 0) : items;
  // Stable: newest text first, then by id (unique), so page boundaries do not shift between requests.
  return filtered.sort((a, b) => (b.latestDate ?? '').localeCompare(a.latestDate ?? '') || a.id.localeCompare(b.id));
}

/** Orders versions oldest first: by valid-from (undated first), then id (import order). */
export function versionOrder(a: { valid_from: string | null; id: number }, b: { valid_from: string | null; id: number }): number {
  return (a.valid_from ?? '').localeCompare(b.valid_from ?? '') || a.id - b.id;
}

/** Co-production clauses per document version, by effective tag: machine positives plus any reviewed clause. */
async function coproductionCounts(db: Kysely<Database>, versionIds: number[]): Promise<Map<number, number>> {
  const pairs: { document_version_id: number; clause_version_id: number }[] = [];
  for (const ids of chunked(versionIds, 500)) {
    const machine = await db
      .selectFrom('version_clauses as vc')
      .innerJoin('tags as t', 't.clause_version_id', 'vc.clause_version_id')
      .select(['vc.document_version_id', 'vc.clause_version_id'])
      .where('vc.document_version_id', 'in', ids)
      .where('t.coproduction', '=', 1)
      .execute();
    const reviewed = await db
      .selectFrom('version_clauses as vc')
      .innerJoin('tag_reviews as r', 'r.clause_version_id', 'vc.clause_version_id')
      .select(['vc.document_version_id', 'vc.clause_version_id'])
      .where('vc.document_version_id', 'in', ids)
      .distinct()
      .execute();
    pairs.push(...machine, ...reviewed);
  }
  const tags = await effectiveTags(
    db,
    pairs.map((p) => p.clause_version_id),
  );
  const seen = new Set<string>();
  const counts = new Map<number, number>();
  for (const p of pairs) {
    const key = `${p.document_version_id}/${p.clause_version_id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (tags.get(p.clause_version_id)?.coproduction) counts.set(p.document_version_id, (counts.get(p.document_version_id) ?? 0) + 1);
  }
  return counts;
}

/** Stage labels in use, for the filter's select. */
export async function stageLabels(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('document_versions').select('label').where('status', '=', 'accepted').distinct().execute();
  return rows.map((r) => r.label).sort();
}

/** Query string for a list link keeping the current filters; empty values dropped. */
export function filterQuery(filters: Omit<DocumentFilters, 'page'>, page?: number): string {
  const params = new URLSearchParams();
  for (const key of ['kind', 'jurisdiction', 'stage', 'language', 'coproduction'] as const) {
    const v = filters[key];
    if (v) params.set(key, v);
  }
  if (page && page > 1) params.set('page', String(page));
  const s = params.toString();
  return s ? `?${s}` : '';
}
