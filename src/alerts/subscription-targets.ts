import { z } from 'zod';
import { documentKinds, jurisdictions, languages } from '../domain/scraped-document.js';
import { strengths } from '../domain/strength.js';
import { parseQuery, type QueryUnit } from '../search/query.js';
import { rankCandidates, type RankDocument } from '../search/rank.js';
import { contentsOfNewDocument, factsOfSide } from './alert-events.js';
import { ALERT_EVENT_TYPES, type AlertClauseSide, type AlertEvent, type AlertEventType } from './channel.js';

const principleId = z.string().regex(/^[a-z][a-z0-9_]{0,59}$/, 'principle must be a principle id such as social_economy');

/** A saved search: the /search query and its filters (dates and "as at" make no sense for news, so they are not kept). */
export const searchTargetSchema = z.strictObject({
  q: z.string().trim().min(1, 'a saved search needs words to look for').max(500, 'the search is longer than 500 characters'),
  filters: z
    .strictObject({
      jurisdiction: z.enum(jurisdictions).optional(),
      kind: z.enum(documentKinds).optional(),
      stage: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,59}$/).optional(),
      language: z.enum(languages).optional(),
      principle: principleId.optional(),
      strength: z.enum(strengths).optional(),
      funded: z.boolean().optional(),
    })
    .default({}),
});
export const documentTargetSchema = z.strictObject({ documentId: z.string().min(1).max(300) });
export const clauseTargetSchema = z.strictObject({ clauseId: z.number().int().positive() });
export const principleTargetSchema = z.strictObject({ principle: principleId, jurisdiction: z.enum(jurisdictions).optional() });

export const targetSchemas = {
  search: searchTargetSchema,
  document: documentTargetSchema,
  clause: clauseTargetSchema,
  principle: principleTargetSchema,
} as const;
export type TargetType = keyof typeof targetSchemas;
export const targetTypes = Object.keys(targetSchemas) as TargetType[];

export type SubscriptionTarget =
  | ({ type: 'search' } & z.infer<typeof searchTargetSchema>)
  | ({ type: 'document' } & z.infer<typeof documentTargetSchema>)
  | ({ type: 'clause' } & z.infer<typeof clauseTargetSchema>)
  | ({ type: 'principle' } & z.infer<typeof principleTargetSchema>);

export const eventTypesSchema = z.array(z.enum(ALERT_EVENT_TYPES)).min(1, 'choose at least one kind of change').transform((types) => ALERT_EVENT_TYPES.filter((t) => types.includes(t)));

/** Validates a target for storing: returns it with its type, or throws a ZodError with readable messages. */
export function parseTarget(type: string, value: unknown): SubscriptionTarget {
  if (!(type in targetSchemas)) throw new Error(`unknown target type ${type}`);
  const parsed = targetSchemas[type as TargetType].parse(value);
  return { type, ...parsed } as SubscriptionTarget;
}

/** subscriptions.target_type + target (JSON text) → target; the JSON stored is what targetJson wrote. */
export function targetOfRow(row: { target_type: string; target: string }): SubscriptionTarget {
  return parseTarget(row.target_type, JSON.parse(row.target));
}

/** The JSON to store in subscriptions.target (without the type, which has its own column). */
export function targetJson(target: SubscriptionTarget): string {
  const { type: _type, ...rest } = target;
  return JSON.stringify(rest);
}

export function eventTypesOfRow(row: { event_types: string }): AlertEventType[] {
  const parsed = eventTypesSchema.safeParse(JSON.parse(row.event_types));
  return parsed.success ? parsed.data : [];
}

/** Does this event concern the target? (Event types are checked separately: see wantedBy.) */
export function targetMatches(target: SubscriptionTarget, event: AlertEvent): boolean {
  return matchingEvents(target, [event]).length > 0;
}

/** A subscription wants an event when it follows one of the event's types and the target matches. */
export function wantedBy(target: SubscriptionTarget, eventTypes: readonly AlertEventType[], events: readonly AlertEvent[]): AlertEvent[] {
  return matchingEvents(
    target,
    events.filter((e) => e.types.some((t) => eventTypes.includes(t))),
  );
}

/**
 * The events that concern a target, in order. A saved search is run in memory with the search page's own
 * parser and lunr ranking over both sides of each change (a clause that lost the followed words matters as
 * much as one that gained them), or over every clause of a new document; its filters are checked against
 * the same side, so "strength: duty" finds a duty weakened to a power.
 */
export function matchingEvents(target: SubscriptionTarget, events: readonly AlertEvent[]): AlertEvent[] {
  switch (target.type) {
    case 'document':
      return events.filter((e) => e.document.id === target.documentId);
    case 'clause':
      return events.filter((e) => e.clause?.id === target.clauseId);
    case 'principle':
      return events.filter((e) => (!target.jurisdiction || e.document.jurisdiction === target.jurisdiction) && sidesOf(e).some((s) => s.principles.includes(target.principle)));
    case 'search':
      return searchMatches(target, events);
  }
}

interface Side {
  text: string;
  heading: string | null;
  strength: string | null;
  principles: readonly string[];
  funded: boolean;
}

function sidesOf(event: AlertEvent): Side[] {
  const withFacts = (s: AlertClauseSide): Side => ({ ...s, funded: factsOfSide(s).funded || s.amounts.length > 0 });
  if (event.kind === 'document_added') {
    const contents = contentsOfNewDocument(event).map((s) => ({ ...s, funded: s.funded || s.amounts.length > 0 }));
    // A document with no clauses loaded still has a title to search.
    return contents.length > 0 ? contents : [{ text: '', heading: null, strength: null, principles: [], funded: false }];
  }
  return [event.before, event.after].filter((s): s is AlertClauseSide => s !== null).map(withFacts);
}

const parsedQueries = new Map<string, QueryUnit[]>();

function unitsOf(q: string): QueryUnit[] {
  let units = parsedQueries.get(q);
  if (!units) {
    units = parseQuery(q).units;
    if (parsedQueries.size > 1000) parsedQueries.clear();
    parsedQueries.set(q, units);
  }
  return units;
}

function searchMatches(target: Extract<SubscriptionTarget, { type: 'search' }>, events: readonly AlertEvent[]): AlertEvent[] {
  const units = unitsOf(target.q);
  if (units.length === 0) return [];
  const f = target.filters;
  const docs: RankDocument[] = [];
  const owner: AlertEvent[] = [];
  for (const e of events) {
    if (f.jurisdiction && e.document.jurisdiction !== f.jurisdiction) continue;
    if (f.kind && e.document.kind !== f.kind) continue;
    if (f.stage && e.version?.label !== f.stage) continue;
    if (f.language && e.language !== f.language) continue;
    for (const s of sidesOf(e)) {
      if (f.principle && !s.principles.includes(f.principle)) continue;
      if (f.strength && (s.strength ?? 'none') !== f.strength) continue;
      if (f.funded !== undefined && s.funded !== f.funded) continue;
      docs.push({ id: docs.length, title: e.document.title, heading: s.heading ?? '', text: s.text });
      owner.push(e);
    }
  }
  if (docs.length === 0) return [];
  const hits = new Set(rankCandidates(units, docs).map((r) => owner[r.id]!));
  return events.filter((e) => hits.has(e));
}
