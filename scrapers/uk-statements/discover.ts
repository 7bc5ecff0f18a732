import type { z } from 'zod';
import { FetchError } from '../../src/scraping/errors.js';
import type { DocumentRef } from '../../src/scraping/source.js';
import type { Transport } from '../../src/scraping/transport.js';
import { readApiJson } from '../../src/scraping/read-api-json.js';
import { statementSearchSchema } from './api-schemas.js';

export const STATEMENTS_API = 'https://questions-statements-api.parliament.uk/api';
const SEARCH_PATH = '/writtenstatements/statements';

export interface StatementSearch {
  /** First day (YYYY-MM-DD) of the window, inclusive. */
  from: string;
  /** Last day (YYYY-MM-DD), inclusive. */
  to: string;
  /** Answering body ids (e.g. 17 = Department of Health and Social Care); none = all. */
  answeringBodies?: readonly number[];
  searchTerm?: string | null;
}

export interface DiscoverStatementsOptions {
  /** Page size (take). Default 20. */
  take?: number;
  /** Pages read per search at most. Default 10. */
  maxPages?: number;
}

/**
 * Search window from the environment: the last UK_STATEMENTS_DAYS days (default 14) up to
 * UK_STATEMENTS_TO (a YYYY-MM-DD day, e.g. to replay a captured window; default `today`). A malformed
 * or impossible UK_STATEMENTS_TO throws rather than silently searching another window.
 */
export function searchFromEnv(env: Record<string, string | undefined>, today: Date): StatementSearch {
  const days = Math.max(1, Number.parseInt(env.UK_STATEMENTS_DAYS ?? '', 10) || 14);
  const to = env.UK_STATEMENTS_TO?.trim() ? parseDay(env.UK_STATEMENTS_TO.trim()) : today;
  const from = new Date(to.getTime() - (days - 1) * 86_400_000);
  const bodies = (env.UK_STATEMENTS_BODIES ?? '').split(',').map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n > 0);
  return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10), answeringBodies: bodies, searchTerm: env.UK_STATEMENTS_SEARCH?.trim() || null };
}

function parseDay(value: string): Date {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`) : null;
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new Error(`UK_STATEMENTS_TO must be a calendar day as YYYY-MM-DD, got ${JSON.stringify(value)}`);
  }
  return date;
}

export function searchUrl(search: StatementSearch, skip: number, take: number): string {
  const query = new URLSearchParams({ madeWhenFrom: search.from, madeWhenTo: search.to });
  if (search.searchTerm) query.set('searchTerm', search.searchTerm);
  for (const body of search.answeringBodies ?? []) query.append('answeringBodies', String(body));
  query.set('skip', String(skip));
  query.set('take', String(take));
  return `${STATEMENTS_API}${SEARCH_PATH}?${query.toString()}`;
}

/** The detail URL each statement is fetched from (members expanded, so the name needs no second call). */
export function statementUrl(id: number): string {
  return `${STATEMENTS_API}${SEARCH_PATH}/${id}?expandMember=true`;
}

/** First-page search URLs held by an offline mirror (`skip=0`): the windows it was captured with. */
export function mirroredSearchUrls(urls: readonly string[]): string[] {
  return urls.filter((u) => u.startsWith(`${STATEMENTS_API}${SEARCH_PATH}?`) && new URL(u).searchParams.get('skip') === '0');
}

/**
 * Pages each search (skip/take) until totalResults and yields one ref per statement, oldest first so a
 * correction is imported after what it corrects. Live, the search is the configured window; over a
 * mirror, the windows it holds (a date window moves every day, a captured one does not).
 */
export async function discoverStatements(transport: Transport, search: StatementSearch, options: DiscoverStatementsOptions = {}): Promise<DocumentRef[]> {
  const take = options.take ?? 20;
  const listed = transport.listUrls?.();
  const firstPages = listed ? mirroredSearchUrls(listed) : [searchUrl(search, 0, take)];
  const found = new Map<number, { id: number; uin: string | null; dateMade: string }>();
  for (const first of firstPages) {
    for (let page = 0, skip = 0; page < (options.maxPages ?? 10); page++) {
      const url = page === 0 ? first : withSkip(first, skip);
      const result = await fetchJson(transport, url, statementSearchSchema);
      for (const { value } of result.results) found.set(value.id, { id: value.id, uin: value.uin ?? null, dateMade: value.dateMade.slice(0, 10) });
      skip += result.results.length;
      if (result.results.length === 0 || skip >= result.totalResults) break;
    }
  }
  return [...found.values()]
    .sort((a, b) => a.dateMade.localeCompare(b.dateMade) || a.id - b.id)
    .map((s) => ({ url: statementUrl(s.id), hint: s }));
}

function withSkip(url: string, skip: number): string {
  const parsed = new URL(url);
  parsed.searchParams.set('skip', String(skip));
  return parsed.toString();
}

async function fetchJson<T>(transport: Transport, url: string, schema: z.ZodType<T>): Promise<T> {
  const response = await transport.fetch({ url, accept: 'application/json' });
  if (response.status !== 'ok') throw new FetchError(`unexpected not-modified for unconditional request ${url}`, { url });
  return readApiJson(response.text, url, schema);
}
