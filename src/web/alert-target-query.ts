import { ZodError } from 'zod';
import { ALERT_EVENT_TYPES, type AlertEventType } from '../alerts/channel.js';
import { eventTypesSchema, parseTarget, type SubscriptionTarget } from '../alerts/subscription-targets.js';
import { readSearchParams } from '../search/search-page.js';

/**
 * The query parameters that name what to follow, shared by the Atom feeds (`/alerts/feed.atom?…`), the
 * subscribe page's links and the admin's webhook form:
 *
 * | parameter                         | target                                                         |
 * |-----------------------------------|----------------------------------------------------------------|
 * | `search=<a /search query string>` | saved search: `search=q%3Dco-produc*%26jurisdiction%3Dwales`   |
 * | `q=<words>`                       | shorthand for a saved search without filters                   |
 * | `document=<document id>`          | a document                                                     |
 * | `clause=<clause id>`              | a clause                                                       |
 * | `principle=<id>[&jurisdiction=]`  | a principle, optionally in one jurisdiction                    |
 * | `types=<event type>` (repeated or comma-separated; optional: all types) | event types          |
 *
 * Exactly one target parameter. The search string may also be a whole /search address (its query part is
 * used). A search's dates, "as at" and page are dropped: news has no date range.
 */
export const targetParamNames = ['search', 'q', 'document', 'clause', 'principle', 'jurisdiction', 'types'] as const;

export interface TargetQuery {
  target: SubscriptionTarget;
  eventTypes: AlertEventType[];
  /** The same parameters in a canonical order and spelling: for ETags, self links and subscribe links. */
  canonical: string;
}

export type TargetQueryResult = { ok: true; value: TargetQuery } | { ok: false; message: string };

export function readTargetQuery(query: Record<string, unknown>): TargetQueryResult {
  const single = (name: string): string | undefined | null => {
    const value = query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') return null;
    return value.trim() === '' ? undefined : value.trim();
  };
  for (const name of ['search', 'q', 'document', 'clause', 'principle', 'jurisdiction']) {
    if (single(name) === null) return { ok: false, message: `The field ${name} was given more than once; give it once.` };
  }
  const q = single('q') ?? undefined;
  if (q !== undefined && single('search') !== undefined) return { ok: false, message: 'Give either search= or q=, not both.' };
  const given = (['search', 'document', 'clause', 'principle'] as const).filter((name) => single(name) !== undefined || (name === 'search' && q !== undefined));
  if (given.length !== 1) {
    return { ok: false, message: given.length === 0 ? 'Say what to follow: search=, document=, clause= or principle=.' : `Follow one thing at a time: ${given.join(' and ')} were both given.` };
  }
  const kind = given[0]!;
  const value = kind === 'search' && q !== undefined ? new URLSearchParams({ q }).toString() : single(kind)!;
  const jurisdiction = single('jurisdiction') ?? undefined;
  if (jurisdiction !== undefined && kind !== 'principle') {
    return { ok: false, message: 'jurisdiction= goes with principle=; for a search, put the jurisdiction in the search itself.' };
  }

  let target: SubscriptionTarget;
  try {
    if (kind === 'search') {
      const searchQuery = /^(https?:\/\/|\/|\?)/.test(value) ? value.slice(value.indexOf('?') + 1 || value.length) : value;
      const read = readSearchParams(queryParams(searchQuery));
      if (!read.ok) return { ok: false, message: read.message };
      const p = read.params;
      target = parseTarget('search', {
        q: p.q ?? '',
        filters: {
          ...(p.jurisdiction ? { jurisdiction: p.jurisdiction } : {}),
          ...(p.kind ? { kind: p.kind } : {}),
          ...(p.stage ? { stage: p.stage } : {}),
          ...(p.language ? { language: p.language } : {}),
          ...(p.principle ? { principle: p.principle } : {}),
          ...(p.strength ? { strength: p.strength } : {}),
          ...(p.funded ? { funded: p.funded === 'yes' } : {}),
        },
      });
    } else if (kind === 'document') {
      target = parseTarget('document', { documentId: value });
    } else if (kind === 'clause') {
      if (!/^[1-9]\d{0,9}$/.test(value)) return { ok: false, message: 'clause= must be a clause number, as in /clauses/12.' };
      target = parseTarget('clause', { clauseId: Number(value) });
    } else {
      target = parseTarget('principle', { principle: value, ...(jurisdiction ? { jurisdiction } : {}) });
    }
  } catch (error) {
    if (error instanceof ZodError) return { ok: false, message: `${error.issues.map((i) => i.message).join('; ')}.` };
    throw error;
  }

  const rawTypes = query.types;
  const typeList = (Array.isArray(rawTypes) ? rawTypes : rawTypes === undefined ? [] : [rawTypes])
    .flatMap((t) => (typeof t === 'string' ? t.split(',') : []))
    .map((t) => t.trim())
    .filter(Boolean);
  let eventTypes: AlertEventType[] = [...ALERT_EVENT_TYPES];
  if (typeList.length > 0) {
    const parsed = eventTypesSchema.safeParse(typeList);
    if (!parsed.success) return { ok: false, message: `types= must be among ${ALERT_EVENT_TYPES.join(', ')}.` };
    eventTypes = parsed.data;
  }
  return { ok: true, value: { target, eventTypes, canonical: canonicalQuery(target, eventTypes) } };
}

/** The parameters for a target, in a stable order (types only when not all of them). */
export function canonicalQuery(target: SubscriptionTarget, eventTypes: readonly AlertEventType[]): string {
  const params = new URLSearchParams();
  if (target.type === 'search') {
    const search = new URLSearchParams({ q: target.q });
    const f = target.filters;
    for (const [name, value] of [['jurisdiction', f.jurisdiction], ['kind', f.kind], ['stage', f.stage], ['language', f.language], ['principle', f.principle], ['strength', f.strength]] as const) {
      if (value) search.set(name, value);
    }
    if (f.funded !== undefined) search.set('funded', f.funded ? 'yes' : 'no');
    params.set('search', search.toString());
  } else if (target.type === 'document') params.set('document', target.documentId);
  else if (target.type === 'clause') params.set('clause', String(target.clauseId));
  else {
    params.set('principle', target.principle);
    if (target.jurisdiction) params.set('jurisdiction', target.jurisdiction);
  }
  if (eventTypes.length < ALERT_EVENT_TYPES.length) params.set('types', ALERT_EVENT_TYPES.filter((t) => eventTypes.includes(t)).join(','));
  return params.toString();
}

/** A query string as Express's simple parser gives it: a repeated name becomes an array. */
export function queryParams(text: string): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(text.replace(/^\?/, ''))) {
    const seen = params[k];
    params[k] = seen === undefined ? v : [...(Array.isArray(seen) ? seen : [seen]), v];
  }
  return params;
}
