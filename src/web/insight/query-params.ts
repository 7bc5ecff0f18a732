import { renderProblem } from '../error-page.js';
import type { Response } from 'express';
import { z } from 'zod';

/** Items per page on every insight list. */
export const pageSize = 25;

export const pageParam = z.coerce.number({ message: 'page must be a whole number' }).int('page must be a whole number').min(1, 'page starts at 1').max(100_000, 'page is too large').default(1);
export const jurisdictionParam = z.string().regex(/^[a-z][a-z-]{1,39}$/, 'jurisdiction must be an id such as wales or uk');

/** Empty strings from a submitted filter form mean "any". */
export function blankToUndefined(query: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== ''));
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/** Validates a query string; unknown keys are ignored, bad values are reported in words. */
export function parseQuery<T>(schema: z.ZodType<T>, query: unknown): Parsed<T> {
  const result = schema.safeParse(blankToUndefined((query ?? {}) as Record<string, unknown>));
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, problems: result.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)) };
}

/** A 400 page that says what was wrong, never echoing the raw value. */
export function badRequest(res: Response, problems: readonly string[]): void {
  renderProblem(res, 400, `This address has a filter the tracker cannot use. ${problems.join('. ')}.`);
}

/** `?a=1&b=2` from the set values only (null/undefined/'' dropped), for filter and pagination links. */
export function queryString(params: Record<string, string | number | boolean | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '' && v !== false) search.set(k, String(v));
  const s = search.toString();
  return s ? `?${s}` : '';
}

export interface PageInfo {
  page: number;
  pages: number;
  total: number;
  from: number;
  to: number;
  previous: string | null;
  next: string | null;
}

export function pageInfo(total: number, page: number, linkFor: (page: number) => string): PageInfo {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const from = total === 0 ? 0 : Math.min(total, (page - 1) * pageSize + 1);
  const to = Math.min(total, page * pageSize);
  return { page, pages, total, from, to, previous: page > 1 ? linkFor(Math.min(page - 1, pages)) : null, next: page < pages ? linkFor(page + 1) : null };
}
