import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.js';
import { documentKinds, jurisdictions, languages } from '../domain/scraped-document.js';
import { strengths, type Strength } from '../domain/strength.js';
import { jurisdictionName, kindName } from '../web/insight/labels.js';
import { clausePath, documentPath, formatDay, languageName, principleName, strengthName, versionLabelName } from '../web/documents/labels.js';
import type { SearchFilters, SearchHit, SearchResult } from './search.js';
import type { Segment } from './text.js';

/** Query parameters of /search, validated. Empty fields mean "any". */
export const searchParamsSchema = z.object({
  q: z.string().max(20_000, 'the search is longer than 20,000 characters').optional(),
  jurisdiction: z.enum(jurisdictions, { error: `jurisdiction must be one of ${jurisdictions.join(', ')}` }).optional(),
  kind: z.enum(documentKinds, { error: `kind must be one of ${documentKinds.join(', ')}` }).optional(),
  stage: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,59}$/, 'stage must be a version label such as enacted or amended-stage-2').optional(),
  language: z.enum(languages, { error: 'language must be en or cy' }).optional(),
  principle: z.string().regex(/^[a-z][a-z0-9_]{0,59}$/, 'principle must be a principle id such as social_economy').optional(),
  strength: z.enum(strengths, { error: `strength must be one of ${strengths.join(', ')}` }).optional(),
  funded: z.enum(['yes', 'no'], { error: 'funded must be yes or no' }).optional(),
  versions: z.enum(['all', 'as-at'], { error: 'versions must be all or as-at' }).optional(),
  at: z.iso.date({ error: 'the "as at" date must be a date like 2016-04-06' }).optional(),
  from: z.iso.date({ error: 'the "from" date must be a date like 2013-01-01' }).optional(),
  to: z.iso.date({ error: 'the "to" date must be a date like 2016-12-31' }).optional(),
  page: z.coerce.number({ error: 'page must be a whole number' }).int('page must be a whole number').min(1, 'page must be 1 or more').max(1000, 'page must be at most 1000').optional(),
});
export type SearchParams = z.infer<typeof searchParamsSchema>;

export const searchParamNames = ['q', 'jurisdiction', 'kind', 'stage', 'language', 'principle', 'strength', 'funded', 'versions', 'at', 'from', 'to', 'page'] as const;

/** Raw query string → params: empty strings dropped (an empty select means "any"); repeats rejected. */
export function readSearchParams(query: Record<string, unknown>): { ok: true; params: SearchParams } | { ok: false; message: string } {
  const raw: Record<string, string> = {};
  for (const name of searchParamNames) {
    const value = query[name];
    if (value === undefined) continue;
    if (typeof value !== 'string') return { ok: false, message: `The field ${name} was given more than once; give each field once.` };
    if (value.trim() !== '' || name === 'q') raw[name] = name === 'q' ? value : value.trim();
  }
  const parsed = searchParamsSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, message: `The search could not be run: ${parsed.error.issues.map((i) => i.message).join('; ')}.` };
  const p = parsed.data;
  if (p.from && p.to && p.from > p.to) return { ok: false, message: 'The search could not be run: the "from" date is after the "to" date.' };
  return { ok: true, params: p };
}

export function filtersOf(p: SearchParams, today: string): SearchFilters {
  const asAtMode = p.versions === 'as-at' || (p.versions === undefined && p.at !== undefined);
  return {
    jurisdiction: p.jurisdiction,
    kind: p.kind,
    stage: p.stage,
    language: p.language,
    principle: p.principle,
    strength: p.strength as Strength | undefined,
    funded: p.funded === undefined ? undefined : p.funded === 'yes',
    ...(asAtMode ? { asAt: p.at ?? today } : { from: p.from, to: p.to }),
  };
}

/** The query string for these params (page optional), empty values left out, stable order. */
export function searchQueryString(p: SearchParams, page?: number): string {
  const params = new URLSearchParams();
  for (const name of searchParamNames) {
    if (name === 'page') continue;
    const value = p[name];
    if (value !== undefined && value !== '') params.set(name, String(value));
  }
  if (page !== undefined && page > 1) params.set('page', String(page));
  const s = params.toString();
  return s ? `?${s}` : '';
}

export interface Option {
  value: string;
  label: string;
}

export interface SearchFormOptions {
  jurisdictions: Option[];
  kinds: Option[];
  stages: Option[];
  principles: Option[];
  strengths: Option[];
}


/** Select options from what is in the database (stages, principles) and the fixed lists. */
export async function searchFormOptions(db: Kysely<Database>): Promise<SearchFormOptions> {
  const [stageRows, principleRows] = await Promise.all([
    db.selectFrom('document_versions').select('label').where('status', '=', 'accepted').distinct().execute(),
    db.selectFrom('tags').select('principles').where('coproduction', '=', 1).distinct().execute(),
  ]);
  const principleIds = new Set<string>();
  for (const r of principleRows) {
    try {
      for (const p of JSON.parse(r.principles) as { id?: unknown }[]) if (typeof p.id === 'string') principleIds.add(p.id);
    } catch {
      // A malformed row adds no option.
    }
  }
  return {
    jurisdictions: jurisdictions.map((j) => ({ value: j, label: jurisdictionName(j) })),
    kinds: documentKinds.map((k) => ({ value: k, label: kindName(k) })),
    stages: stageRows.map((r) => r.label).sort().map((l) => ({ value: l, label: versionLabelName(l) })),
    principles: [...principleIds].sort().map((id) => ({ value: id, label: principleName(id) })),
    strengths: [...strengths].reverse().map((s) => ({ value: s, label: strengthName(s) })),
  };
}

export interface HitView {
  clauseVersionId: number;
  href: string;
  documentHref: string;
  titleSegments: Segment[];
  headingSegments: Segment[];
  textSegments: Segment[];
  provision: string;
  language: string;
  lang: string;
  label: string;
  date: string;
  dateIso: string;
  kind: string;
  jurisdiction: string;
  strength: string | null;
  strengthName: string;
  coproduction: boolean;
  funded: boolean;
  reviewed: boolean;
  principles: Option[];
}

export function hitView(h: SearchHit): HitView {
  const provision = h.key.replace(/-/g, ' ');
  return {
    clauseVersionId: h.clauseVersionId,
    href: clausePath(h.clauseId, h.clauseVersionId),
    documentHref: documentPath(h.documentId),
    titleSegments: h.titleSegments,
    headingSegments: h.headingSegments,
    textSegments: h.textSegments,
    provision,
    language: languageName(h.language),
    lang: h.language === 'cy' ? 'cy' : 'en',
    label: versionLabelName(h.label),
    date: h.validFrom ? formatDay(h.validFrom) : `collected ${formatDay(h.fetchedAt)}`,
    dateIso: (h.validFrom ?? h.fetchedAt).slice(0, 10),
    kind: kindName(h.kind),
    jurisdiction: jurisdictionName(h.jurisdiction),
    strength: h.tag?.coproduction ? h.tag.strength : null,
    strengthName: h.tag ? strengthName(h.tag.strength) : '',
    coproduction: h.tag?.coproduction ?? false,
    funded: h.tag?.funding ?? false,
    reviewed: h.tag?.source === 'review',
    principles: h.principles.map((id) => ({ value: id, label: principleName(id) })),
  };
}

/** "about 1,200 results", "3 results", "more than 5,000 results" (1,000 with date, stage or tag filters). */
export function countText(r: SearchResult): string {
  const n = r.total.toLocaleString('en-GB');
  const noun = r.total === 1 ? 'clause version' : 'clause versions';
  if (r.overflow) return `More than ${r.countLimit.toLocaleString('en-GB')} ${noun}`;
  return r.estimated ? `About ${n} ${noun}` : `${n} ${noun}`;
}

/** A one-line description of the filters in force, for the results heading and feed titles. */
export function filterSummary(p: SearchParams, f: SearchFilters): string {
  const parts: string[] = [];
  if (f.asAt) parts.push(`text in force on ${formatDay(f.asAt)}`);
  else if (f.from || f.to) parts.push(`in force ${f.from ? `from ${formatDay(f.from)}` : ''}${f.from && f.to ? ' ' : ''}${f.to ? `to ${formatDay(f.to)}` : ''}`);
  else parts.push('all versions');
  if (p.jurisdiction) parts.push(jurisdictionName(p.jurisdiction));
  if (p.kind) parts.push(kindName(p.kind));
  if (p.stage) parts.push(versionLabelName(p.stage));
  if (p.language) parts.push(languageName(p.language));
  if (p.principle) parts.push(principleName(p.principle));
  if (p.strength) parts.push(strengthName(p.strength));
  if (p.funded) parts.push(p.funded === 'yes' ? 'funded' : 'not funded');
  return parts.join(' · ');
}
