import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../db/schema.js';
import { isPostgres } from '../db/migrations/portable.js';
import type { Strength } from '../domain/strength.js';
import { effectiveTags, type EffectiveTag } from '../pipeline/tag-reviews.js';
import { chunked } from '../pipeline/version-queries.js';
import { describeUnits, literalUnits, parseQuery, toFts5, toTsquery, type ParsedQuery, type QueryUnit } from './query.js';
import { highlightRanges, rankCandidates, type Ranked } from './rank.js';
import { excerpt, segmentsOf, type Segment } from './text.js';
import { facetToken } from './index-ddl.js';
import { startOf } from '../pipeline/in-force-dates.js';

export interface SearchFilters {
  jurisdiction?: string | undefined;
  kind?: string | undefined;
  /** document_versions.label: enacted, revised, introduced, stage-2… */
  stage?: string | undefined;
  language?: string | undefined;
  principle?: string | undefined;
  strength?: Strength | undefined;
  funded?: boolean | undefined;
  /** YYYY-MM-DD: clause versions in force at some time in [from, to]. */
  from?: string | undefined;
  to?: string | undefined;
  /** YYYY-MM-DD: only the text in force on that date (latest accepted version per document and language). */
  asAt?: string | undefined;
}

export interface SearchRequest {
  q: string;
  filters?: SearchFilters;
  page?: number;
  pageSize?: number;
}

export interface SearchHit {
  clauseVersionId: number;
  clauseId: number;
  documentId: string;
  documentTitle: string;
  kind: string;
  jurisdiction: string;
  language: string;
  key: string;
  number: string | null;
  label: string;
  validFrom: string | null;
  fetchedAt: string;
  score: number;
  titleSegments: Segment[];
  headingSegments: Segment[];
  textSegments: Segment[];
  /** Full text, for exports. */
  text: string;
  heading: string | null;
  tag: EffectiveTag | null;
  principles: string[];
}

export interface SearchResult {
  parsed: ParsedQuery;
  /** The query as understood, in our syntax ("" when nothing was searched). */
  understood: string;
  hits: SearchHit[];
  /** Results found; an estimate when `estimated`. */
  total: number;
  estimated: boolean;
  /** More than the probe limit matched: "more than 5,000". */
  overflow: boolean;
  /** The count the probe stopped at ("more than N"). */
  countLimit: number;
  /** Results within reach of paging (the ranked window). */
  reachable: number;
  page: number;
  pageCount: number;
  pageSize: number;
  /** How candidates were chosen before lunr ranked them. */
  ordering: 'all' | 'best' | 'recent';
  messages: string[];
  timings: { candidatesMs: number; rankMs: number; totalMs: number };
}

/** Candidates lunr ranks together; also the most results anyone can page through. */
export const RANK_WINDOW = 200;
/** Above this many full-text matches, candidates are the most recent ones rather than the best by bm25. */
export const PROBE_LIMIT = 5000;
/**
 * With filters the database checks (dates, stage, tags), each counted match costs joins, so the count
 * stops sooner: above this many, candidates are the most recent ones (measured at 1M clause versions,
 * DESIGN.md "Search").
 */
export const FILTERED_PROBE_LIMIT = 1000;
export const DEFAULT_PAGE_SIZE = 20;

interface CandidateRow {
  id: number;
  clause_id: number;
  language: string;
  key: string;
  number: string | null;
  heading: string | null;
  text: string;
  label: string;
  valid_from: string | null;
  fetched_at: string;
  version_title: string;
  document_id: string;
  document_title: string;
  kind: string;
  jurisdiction: string;
}

export async function searchClauses(db: Kysely<Database>, request: SearchRequest): Promise<SearchResult> {
  const started = performance.now();
  const pageSize = request.pageSize ?? DEFAULT_PAGE_SIZE;
  const page = Math.max(1, Math.floor(request.page ?? 1));
  const filters = request.filters ?? {};
  const parsed = parseQuery(request.q);
  const empty = (messages: string[]): SearchResult => ({
    parsed,
    understood: describeUnits(parsed.units),
    hits: [],
    total: 0,
    estimated: false,
    overflow: false,
    countLimit: PROBE_LIMIT,
    reachable: 0,
    page,
    pageCount: 0,
    pageSize,
    ordering: 'all',
    messages,
    timings: { candidatesMs: 0, rankMs: 0, totalMs: performance.now() - started },
  });
  if (parsed.units.length === 0) return empty(parsed.messages);

  let units = parsed.units;
  let candidates: Candidates;
  const t0 = performance.now();
  try {
    candidates = await findCandidates(db, units, filters);
  } catch (error) {
    // Every word reaches the database quoted, so this should not happen; if it does, the user still
    // gets an answer: the plain words of the query, and a note.
    if (!isFullTextSyntaxError(error)) throw error;
    units = literalUnits(request.q.slice(0, 500));
    parsed.messages.push('The search engine could not read this query, so its words were searched as plain text.');
    if (units.length === 0) return empty(parsed.messages);
    candidates = await findCandidates(db, units, filters);
  }
  const candidatesMs = performance.now() - t0;

  const t1 = performance.now();
  const byId = new Map(candidates.rows.map((r) => [r.id, r]));
  let ranked = rankCandidates(
    units,
    candidates.rows.map((r) => ({ id: r.id, title: r.version_title, heading: r.heading ?? '', text: r.text })),
  );
  const rankMs = performance.now() - t1;

  const needsTags = filters.strength !== undefined || filters.funded !== undefined || filters.principle !== undefined;
  let tags = new Map<number, EffectiveTag>();
  let principles = new Map<number, string[]>();
  if (needsTags) {
    const ids = ranked.map((r) => r.id);
    [tags, principles] = await Promise.all([effectiveTags(db, ids), principlesOf(db, ids)]);
    ranked = ranked.filter((r) => tagFilterAccepts(filters, tags.get(r.id), principles.get(r.id) ?? []));
  }

  const reachable = ranked.length;
  const estimated = candidates.ordering !== 'all';
  const total = estimated ? estimateTotal(candidates.matched, candidates.rows.length, reachable) : reachable;
  const pageCount = Math.ceil(reachable / pageSize);
  const pageItems = ranked.slice((page - 1) * pageSize, page * pageSize);
  if (!needsTags && pageItems.length > 0) {
    const ids = pageItems.map((r) => r.id);
    [tags, principles] = await Promise.all([effectiveTags(db, ids), principlesOf(db, ids)]);
  }
  const messages = [...parsed.messages];
  if (page > 1 && pageItems.length === 0 && reachable > 0) messages.push(`There is no page ${page}: the results end on page ${pageCount}.`);
  if (candidates.ordering === 'recent') {
    messages.push(`More than ${candidates.limit.toLocaleString('en-GB')} clause versions match, so the ${RANK_WINDOW} most recently collected were ranked. Add words or filters to narrow the search.`);
  }
  return {
    parsed,
    understood: describeUnits(units),
    hits: pageItems.map((r) => toHit(byId.get(r.id)!, r, tags.get(r.id) ?? null, principles.get(r.id) ?? [])),
    total,
    estimated,
    overflow: candidates.matched > candidates.limit,
    countLimit: candidates.limit,
    reachable,
    page,
    pageCount,
    pageSize,
    ordering: candidates.ordering,
    messages,
    timings: { candidatesMs, rankMs, totalMs: performance.now() - started },
  };
}

function estimateTotal(matched: number, window: number, passed: number): number {
  if (window === 0) return 0;
  const estimate = Math.round((matched * passed) / window);
  const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(Math.max(estimate, 1))) - 1);
  return Math.max(passed, Math.round(estimate / magnitude) * magnitude);
}

function toHit(row: CandidateRow, ranked: Ranked, tag: EffectiveTag | null, principles: string[]): SearchHit {
  const heading = row.heading ?? '';
  return {
    clauseVersionId: row.id,
    clauseId: row.clause_id,
    documentId: row.document_id,
    documentTitle: row.version_title || row.document_title,
    kind: row.kind,
    jurisdiction: row.jurisdiction,
    language: row.language,
    key: row.key,
    number: row.number,
    label: row.label,
    validFrom: row.valid_from,
    fetchedAt: row.fetched_at,
    score: Math.round(ranked.score * 1000) / 1000,
    titleSegments: segmentsOf(row.version_title || row.document_title, highlightRanges(row.version_title, ranked.matched.title, ranked.phraseSpans.title)),
    headingSegments: segmentsOf(heading, highlightRanges(heading, ranked.matched.heading, ranked.phraseSpans.heading)),
    textSegments: excerpt(segmentsOf(row.text, highlightRanges(row.text, ranked.matched.text, ranked.phraseSpans.text))),
    text: row.text,
    heading: row.heading,
    tag,
    principles,
  };
}

function tagFilterAccepts(filters: SearchFilters, tag: EffectiveTag | undefined, principles: string[]): boolean {
  const strength = tag?.strength ?? 'none';
  if (filters.strength !== undefined && strength !== filters.strength) return false;
  if (filters.funded !== undefined && (tag?.funding ?? false) !== filters.funded) return false;
  if (filters.principle !== undefined) {
    if (!principles.includes(filters.principle)) return false;
    if (tag?.source === 'review' && !tag.coproduction) return false;
  }
  return true;
}

async function principlesOf(db: Kysely<Database>, ids: readonly number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  for (const batch of chunked([...ids], 500)) {
    const rows = await db.selectFrom('tags').select(['clause_version_id', 'principles']).where('clause_version_id', 'in', batch).execute();
    for (const r of rows) {
      try {
        const parsed = JSON.parse(r.principles) as { id?: unknown }[];
        out.set(r.clause_version_id, parsed.map((p) => (typeof p.id === 'string' ? p.id : '')).filter(Boolean));
      } catch {
        out.set(r.clause_version_id, []);
      }
    }
  }
  return out;
}

interface Candidates {
  rows: CandidateRow[];
  /** Full-text matches that pass the SQL filters, counted up to limit + 1. */
  matched: number;
  /** PROBE_LIMIT, or FILTERED_PROBE_LIMIT when the database checks filters row by row. */
  limit: number;
  ordering: 'all' | 'best' | 'recent';
}


/**
 * SQL conditions over cv (clause_versions), dv (its document version) and d (documents). On SQLite the
 * language, jurisdiction and kind filters are facet words inside the full-text expression instead
 * (`facetExpression`), intersected in the index.
 */
function filterConditions(filters: SearchFilters, facetsInIndex: boolean): RawBuilder<unknown>[] {
  const where: RawBuilder<unknown>[] = [];
  if (!facetsInIndex) {
    if (filters.jurisdiction) where.push(sql`d.jurisdiction = ${filters.jurisdiction}`);
    if (filters.kind) where.push(sql`d.kind = ${filters.kind}`);
    if (filters.language) where.push(sql`cv.language = ${filters.language}`);
  }
  const from = filters.asAt ?? filters.from;
  const to = filters.asAt ?? filters.to;
  if (from !== undefined || to !== undefined || filters.stage) {
    // Some accepted version containing this clause version has the stage and was in force during
    // [from, to]: it started on or before `to`, and no later version had started by `from`.
    const inForce: RawBuilder<unknown>[] = [sql`vc.clause_version_id = cv.id`, sql`m.status = 'accepted'`];
    if (filters.stage) inForce.push(sql`m.label = ${filters.stage}`);
    if (to !== undefined) inForce.push(sql`${startOf('m')} <= ${to}`);
    if (from !== undefined) inForce.push(sql`(m.superseded_from is null or m.superseded_from > ${from})`);
    where.push(sql`exists (select 1 from version_clauses vc join document_versions m on m.id = vc.document_version_id where ${sql.join(inForce, sql` and `)})`);
  }
  // A withdrawn document is in force until it was withdrawn (repealed, revoked, superseded guidance).
  if (from !== undefined) where.push(sql`(d.withdrawn_at is null or substr(d.withdrawn_at, 1, 10) > ${from})`);
  // Tag filters: a superset here (a review may override the machine tag); exact in TypeScript.
  const reviewed = sql`exists (select 1 from tag_reviews r where r.clause_version_id = cv.id)`;
  if (filters.strength) where.push(sql`(${reviewed} or exists (select 1 from tags t where t.clause_version_id = cv.id and t.strength = ${filters.strength}))`);
  if (filters.funded === true) where.push(sql`(${reviewed} or exists (select 1 from tags t where t.clause_version_id = cv.id and t.funding = 1))`);
  if (filters.funded === false) where.push(sql`(${reviewed} or not exists (select 1 from tags t where t.clause_version_id = cv.id and t.funding = 1))`);
  if (filters.principle) where.push(sql`exists (select 1 from tags t where t.clause_version_id = cv.id and t.principles like ${`%"id":"${filters.principle}"%`})`);
  return where;
}

const columns = sql.raw(`cv.id as id, cv.clause_id as clause_id, cv.language as language, cv.key as key, cv.number as number, cv.heading as heading, cv.text as text,
  dv.label as label, dv.valid_from as valid_from, dv.fetched_at as fetched_at, dv.title as version_title,
  d.id as document_id, d.title as document_title, d.kind as kind, d.jurisdiction as jurisdiction`);

async function findCandidates(db: Kysely<Database>, units: QueryUnit[], filters: SearchFilters): Promise<Candidates> {
  const postgres = isPostgres(db);
  const terms = postgres ? toTsquery(units) : toFts5(units);
  if (terms === null) return { rows: [], matched: 0, ordering: 'all', limit: PROBE_LIMIT };
  const expression = postgres ? terms : withFacets(terms, filters);
  const conditions = filterConditions(filters, !postgres);
  // SQLite: CROSS JOIN keeps the full-text table as the outer loop, so the planner never probes
  // FTS5 once per document row. PostgreSQL plans the bitmap scan on its own.
  const from = postgres
    ? sql`clause_search s join clause_versions cv on cv.id = s.clause_version_id join document_versions dv on dv.id = cv.document_version_id join documents d on d.id = dv.document_id`
    : sql`clause_search cross join clause_versions cv on cv.id = clause_search.rowid cross join document_versions dv on dv.id = cv.document_version_id cross join documents d on d.id = dv.document_id`;
  const match = postgres ? sql`s.tsv @@ to_tsquery('simple', ${expression})` : sql`clause_search match ${expression}`;
  const where = sql.join([match, ...conditions], sql` and `);

  // Without filters every full-text match is a candidate: count them in the index alone, no joins.
  const probeFrom = conditions.length > 0 ? sql`select cv.id from ${from} where ${where}` : postgres ? sql`select s.clause_version_id from clause_search s where ${match}` : sql`select rowid from clause_search where ${match}`;
  const limit = conditions.length > 0 ? FILTERED_PROBE_LIMIT : PROBE_LIMIT;
  const probe = await sql<{ n: number }>`select count(*) as n from (${probeFrom} limit ${limit + 1}) probe`.execute(db);
  const matched = Number(probe.rows[0]?.n ?? 0);
  if (matched === 0) return { rows: [], matched, ordering: 'all', limit };
  if (matched <= RANK_WINDOW) {
    const rows = await sql<CandidateRow>`select ${columns} from ${from} where ${where}`.execute(db);
    return { rows: rows.rows, matched, ordering: 'all', limit };
  }
  if (matched <= limit) {
    const order = postgres ? sql`ts_rank(s.tsv, to_tsquery('simple', ${expression})) desc, cv.id desc` : sql`bm25(clause_search, 1.5, 2.0, 1.0, 0.0), cv.id desc`;
    const rows = await sql<CandidateRow>`select ${columns} from ${from} where ${where} order by ${order} limit ${RANK_WINDOW}`.execute(db);
    return { rows: rows.rows, matched, ordering: 'best', limit };
  }
  const order = postgres ? sql`s.clause_version_id desc` : sql`clause_search.rowid desc`;
  const rows = await sql<CandidateRow>`select ${columns} from ${from} where ${where} order by ${order} limit ${RANK_WINDOW}`.execute(db);
  return { rows: rows.rows, matched, ordering: 'recent', limit };
}

/** The query's FTS5 expression AND the facet words of the language, jurisdiction and kind filters. */
function withFacets(expression: string, filters: SearchFilters): string {
  const facets = (['language', 'jurisdiction', 'kind'] as const).filter((name) => filters[name]).map((name) => `"${facetToken(name, filters[name]!).replace(/"/g, '""')}"`);
  return facets.length === 0 ? expression : `${expression} AND {facets} : (${facets.join(' AND ')})`;
}

function isFullTextSyntaxError(error: unknown): boolean {
  const message = error instanceof Error ? `${error.message} ${String((error as { cause?: unknown }).cause ?? '')}` : String(error);
  return /fts5: syntax error|fts5:|malformed MATCH|unterminated string|syntax error in tsquery|no operand in tsquery|tsquery/i.test(message);
}
