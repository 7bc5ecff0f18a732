import { provisionName } from '../domain/provision-name.js';
import { parseChangeDetail } from '../pipeline/change-detail.js';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { FundingAmount } from '../matcher/types.js';
import { effectiveTags, type EffectiveTag } from '../pipeline/tag-reviews.js';
import { chunked } from '../pipeline/version-queries.js';
import { clausePath, documentPath } from '../web/documents/labels.js';
import type { AlertClauseSide, AlertEvent } from './channel.js';
import { alertEventTypes } from './event-types.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A clause side with the facts matching needs but messages do not show. */
export interface MatchableSide extends AlertClauseSide {
  coproduction: boolean;
  funded: boolean;
}

/**
 * For a new document, the clauses of its first version (kept beside the event, not in it, so payloads and
 * feeds stay small): a saved search or a principle matches a new document through any of its clauses.
 */
const documentContents = new WeakMap<AlertEvent, MatchableSide[]>();
const sideFacts = new WeakMap<AlertClauseSide, { coproduction: boolean; funded: boolean }>();

export function contentsOfNewDocument(event: AlertEvent): readonly MatchableSide[] {
  return documentContents.get(event) ?? [];
}

/** Effective co-production and funding of a side loaded by loadAlertEvents (false when unknown). */
export function factsOfSide(side: AlertClauseSide): { coproduction: boolean; funded: boolean } {
  return sideFacts.get(side) ?? { coproduction: false, funded: false };
}


/**
 * Change events with everything an alert shows: the document, the version, both sides of a clause change
 * with their effective tags (a reviewer's decision wins over the machine), and the alert types. Batched:
 * a handful of queries whatever the number of events. Works inside the import transaction. Events come
 * back in id order; unknown ids are skipped.
 */
export interface LoadAlertEventsOptions {
  /**
   * Load every clause of a new document's first version, so saved searches and principles can match it
   * (contentsOfNewDocument). Default true; callers that will not match new documents skip the cost.
   */
  documentContents?: boolean;
}

export async function loadAlertEvents(db: Db, ids: readonly number[], options: LoadAlertEventsOptions = {}): Promise<AlertEvent[]> {
  const unique = [...new Set(ids)].sort((a, b) => a - b);
  if (unique.length === 0) return [];
  const rows = [];
  for (const batch of chunked(unique, 400)) {
    rows.push(
      ...(await db
        .selectFrom('change_events as ce')
        .innerJoin('documents as d', 'd.id', 'ce.document_id')
        .leftJoin('document_versions as dv', 'dv.id', 'ce.document_version_id')
        .select([
          'ce.id',
          'ce.kind',
          'ce.detail',
          'ce.created_at',
          'ce.document_id',
          'ce.document_version_id',
          'ce.previous_version_id',
          'ce.clause_id',
          'ce.language',
          'd.title',
          'd.kind as document_kind',
          'd.jurisdiction',
          'dv.label',
          'dv.valid_from',
        ])
        .where('ce.id', 'in', batch)
        .execute()),
    );
  }
  rows.sort((a, b) => a.id - b.id);

  // Which clause version each side is: version_clauses of the previous and the new document version.
  const placed = new Map<string, number>();
  const wanted = rows.flatMap((r) => (r.clause_id === null ? [] : [r.previous_version_id, r.document_version_id].filter((v): v is number => v !== null).map((v) => ({ v, c: r.clause_id! }))));
  const wantedKeys = new Set(wanted.map((w) => `${w.v}:${w.c}`));
  const versionIds = [...new Set(wanted.map((w) => w.v))];
  const clauseIds = [...new Set(wanted.map((w) => w.c))];
  // Versions × clauses is a superset of the pairs wanted; a few queries whatever the number of events.
  for (const vids of chunked(versionIds, 200)) {
    for (const cids of chunked(clauseIds, 400)) {
      const found = await db.selectFrom('version_clauses').select(['document_version_id', 'clause_id', 'clause_version_id']).where('document_version_id', 'in', vids).where('clause_id', 'in', cids).execute();
      for (const f of found) {
        const key = `${f.document_version_id}:${f.clause_id}`;
        if (wantedKeys.has(key)) placed.set(key, f.clause_version_id);
      }
    }
  }
  const side = (versionId: number | null, clauseId: number | null) => (versionId === null || clauseId === null ? undefined : placed.get(`${versionId}:${clauseId}`));

  // New documents: every clause of their first version, for matching.
  const newDocumentVersions =
    options.documentContents === false ? [] : [...new Set(rows.filter((r) => r.kind === 'document_added' && r.document_version_id !== null).map((r) => r.document_version_id!))];
  const contentsByVersion = new Map<number, number[]>();
  for (const vids of chunked(newDocumentVersions, 200)) {
    const found = await db.selectFrom('version_clauses').select(['document_version_id', 'clause_version_id']).where('document_version_id', 'in', vids).orderBy('position').execute();
    for (const f of found) pushTo(contentsByVersion, f.document_version_id, f.clause_version_id);
  }

  const sideIds = new Set<number>();
  for (const r of rows) {
    for (const id of [side(r.previous_version_id, r.clause_id), side(r.document_version_id, r.clause_id)]) if (id !== undefined) sideIds.add(id);
  }
  for (const list of contentsByVersion.values()) for (const id of list) sideIds.add(id);
  const sides = await loadSides(db, [...sideIds]);

  return rows.map((r) => {
    const detail = parseChangeDetail(r.detail);
    const reasons = Array.isArray(detail.reasons) ? detail.reasons.filter((x): x is string => typeof x === 'string') : [];
    const beforeId = r.clause_id === null ? undefined : side(r.previous_version_id, r.clause_id);
    const afterId = r.clause_id === null || r.kind === 'removed' ? undefined : side(r.document_version_id, r.clause_id);
    const before = r.kind === 'added' || beforeId === undefined ? null : (sides.get(beforeId) ?? null);
    const after = afterId === undefined ? null : (sides.get(afterId) ?? null);
    const key = (typeof detail.toKey === 'string' ? detail.toKey : null) ?? (typeof detail.fromKey === 'string' ? detail.fromKey : null);
    const event: AlertEvent = {
      id: r.id,
      types: alertEventTypes({ kind: r.kind, reasons, before, after }),
      kind: r.kind,
      reasons,
      createdAt: r.created_at,
      document: { id: r.document_id, title: r.title, kind: r.document_kind, jurisdiction: r.jurisdiction },
      version: r.document_version_id === null ? null : { id: r.document_version_id, label: r.label ?? '', validFrom: r.valid_from ?? null },
      language: r.language,
      clause: r.clause_id === null ? null : { id: r.clause_id, provision: key === null ? null : provisionName(key, null) },
      before: before && publicSide(before),
      after: after && publicSide(after),
      path: r.clause_id !== null ? clausePath(r.clause_id, afterId ?? beforeId) : documentPath(r.document_id),
    };
    if (r.kind === 'document_added' && r.document_version_id !== null && options.documentContents !== false) {
      documentContents.set(event, (contentsByVersion.get(r.document_version_id) ?? []).map((id) => sides.get(id)).filter((s): s is MatchableSide => s !== undefined));
    }
    return event;
  });
}

/** The contract's side (what messages and payloads carry); matching facts stay reachable through factsOfSide. */
function publicSide(s: MatchableSide): AlertClauseSide {
  const out: AlertClauseSide = { clauseVersionId: s.clauseVersionId, text: s.text, heading: s.heading, strength: s.strength, principles: s.principles, evidence: s.evidence, amounts: s.amounts };
  sideFacts.set(out, { coproduction: s.coproduction, funded: s.funded });
  return out;
}

async function loadSides(db: Db, ids: number[]): Promise<Map<number, MatchableSide>> {
  const out = new Map<number, MatchableSide>();
  if (ids.length === 0) return out;
  const tags = new Map<number, { principles: string; evidence: string; amounts: string; funding: number }>();
  for (const batch of chunked(ids, 400)) {
    const versions = await db.selectFrom('clause_versions').select(['id', 'text', 'heading']).where('id', 'in', batch).execute();
    const tagRows = await db.selectFrom('tags').select(['clause_version_id', 'principles', 'evidence', 'amounts', 'funding']).where('clause_version_id', 'in', batch).execute();
    for (const t of tagRows) tags.set(t.clause_version_id, t);
    for (const v of versions) out.set(v.id, { clauseVersionId: v.id, text: v.text, heading: v.heading, strength: null, principles: [], evidence: [], amounts: [], coproduction: false, funded: false });
  }
  const effective: Map<number, EffectiveTag> = await effectiveTags(db as Kysely<Database>, ids);
  for (const [id, s] of out) {
    const tag = tags.get(id);
    const eff = effective.get(id);
    if (eff) {
      s.strength = eff.strength;
      s.coproduction = eff.coproduction;
      s.funded = eff.funding;
    }
    if (!tag) continue;
    // A reviewer who says "not co-production" also takes away the principles (as the search filter does).
    const rejected = eff?.source === 'review' && !eff.coproduction;
    s.principles = rejected ? [] : parseJson<{ id?: unknown }[]>(tag.principles, []).map((p) => (typeof p.id === 'string' ? p.id : '')).filter(Boolean).sort();
    s.evidence = parseJson<{ start?: unknown; end?: unknown }[]>(tag.evidence, [])
      .filter((e) => typeof e.start === 'number' && typeof e.end === 'number')
      .map((e) => ({ start: e.start as number, end: e.end as number }));
    s.amounts = s.funded ? parseJson<FundingAmount[]>(tag.amounts, []).map((a) => `${a.currency} ${a.amount}${a.period ? ` ${a.period}` : ''}`).sort() : [];
  }
  return out;
}

function parseJson<T>(text: string, fallback: T): T {
  try {
    const value = JSON.parse(text) as unknown;
    return (Array.isArray(fallback) ? (Array.isArray(value) ? value : fallback) : (value ?? fallback)) as T;
  } catch {
    return fallback;
  }
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
