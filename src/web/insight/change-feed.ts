import { parseChangeDetail } from '../../pipeline/change-detail.js';
import type { Kysely } from 'kysely';
import type { ChangeKind, Database } from '../../db/schema.js';
import { strengthRank, type Strength } from '../../domain/strength.js';
import { chunked } from '../../pipeline/version-queries.js';
import { effectiveTags } from '../../pipeline/tag-reviews.js';
import { clausePath, documentPath } from '../documents/labels.js';
import { jurisdictionName, strengthName } from './labels.js';
import { principleLabel } from './principle-guide.js';

export const changeKinds = ['added', 'removed', 'reworded', 'moved', 'document_added', 'language_added', 'withdrawn', 'retagged'] as const satisfies readonly ChangeKind[];

/** What a reader can filter on: the reason the classifier gave (src/pipeline/classify-change.ts). */
export const changeReasons = {
  strength_weakened: 'Strength weakened',
  strength_strengthened: 'Strength strengthened',
  funding: 'Money added, changed or removed',
  principle: 'Principle gained or lost',
} as const;
export type ChangeReason = keyof typeof changeReasons;

export interface ChangeFilters {
  important: boolean;
  kind: ChangeKind | null;
  jurisdiction: string | null;
  reason: ChangeReason | null;
}

export interface ChangeItem {
  id: number;
  kind: ChangeKind;
  important: boolean;
  createdAt: string;
  documentId: string;
  documentTitle: string;
  documentKind: string;
  jurisdiction: string;
  language: string | null;
  /** "Strength weakened: duty → power" — what happened, in words. */
  headline: string;
  /** Further facts, each a short sentence. */
  details: string[];
  /** Provision key of the clause concerned, if any. */
  provision: string | null;
  path: string;
  proposed: boolean;
  weakened: boolean;
}

const kindWords: Record<ChangeKind, string> = {
  added: 'New clause',
  removed: 'Clause removed',
  reworded: 'Clause reworded',
  moved: 'Clause moved or renumbered',
  document_added: 'New document',
  language_added: 'New language version',
  withdrawn: 'Document withdrawn',
  retagged: 'Tags revised by a newer matcher',
};

export function changeKindName(kind: string): string {
  return kindWords[kind as ChangeKind] ?? kind;
}


/** Filters the events query; `reason` looks inside the JSON detail with LIKE, which both databases read the same. */
function filtered(db: Kysely<Database>, filters: ChangeFilters) {
  let q = db.selectFrom('change_events as ce').innerJoin('documents as d', 'd.id', 'ce.document_id');
  if (filters.important) q = q.where('ce.important', '=', 1);
  if (filters.kind) q = q.where('ce.kind', '=', filters.kind);
  if (filters.jurisdiction) q = q.where('d.jurisdiction', '=', filters.jurisdiction);
  if (filters.reason) {
    const pattern = filters.reason === 'funding' ? '%"funding_%' : filters.reason === 'principle' ? '%"principle_%' : `%"${filters.reason}"%`;
    q = q.where('ce.detail', 'like', pattern);
  }
  return q;
}

export async function countChanges(db: Kysely<Database>, filters: ChangeFilters): Promise<number> {
  const row = await filtered(db, filters).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One page of change events, newest first, each told in words. */
export async function listChanges(db: Kysely<Database>, filters: ChangeFilters, limit: number, offset: number): Promise<ChangeItem[]> {
  const rows = await filtered(db, filters)
    .select(['ce.id', 'ce.kind', 'ce.important', 'ce.created_at', 'ce.document_id', 'ce.document_version_id', 'ce.previous_version_id', 'ce.clause_id', 'ce.language', 'ce.detail', 'd.title', 'd.kind as document_kind', 'd.jurisdiction'])
    .orderBy('ce.created_at', 'desc')
    .orderBy('ce.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  return describeChanges(db, rows);
}

type EventRow = {
  id: number;
  kind: ChangeKind;
  important: number;
  created_at: string;
  document_id: string;
  document_version_id: number | null;
  previous_version_id: number | null;
  clause_id: number | null;
  language: string | null;
  detail: string;
  title: string;
  document_kind: string;
  jurisdiction: string;
};

async function describeChanges(db: Kysely<Database>, rows: EventRow[]): Promise<ChangeItem[]> {
  // The clause versions on each side, in one batch, to say "duty → power" with the effective tags.
  const versionIds = [...new Set(rows.flatMap((r) => (r.clause_id === null ? [] : [r.document_version_id, r.previous_version_id])).filter((v): v is number => v !== null))];
  const clauseIds = [...new Set(rows.map((r) => r.clause_id).filter((c): c is number => c !== null))];
  const placed = new Map<string, number>();
  if (versionIds.length > 0 && clauseIds.length > 0) {
    for (const vids of chunked(versionIds, 400)) {
      for (const cids of chunked(clauseIds, 400)) {
        const found = await db.selectFrom('version_clauses').select(['document_version_id', 'clause_id', 'clause_version_id']).where('document_version_id', 'in', vids).where('clause_id', 'in', cids).execute();
        for (const f of found) placed.set(`${f.document_version_id}:${f.clause_id}`, f.clause_version_id);
      }
    }
  }
  const retaggedIds = rows.map((r) => parseChangeDetail(r.detail).clauseVersionId).filter((id): id is number => typeof id === 'number');
  const tags = await effectiveTags(db, [...placed.values(), ...retaggedIds]);
  const strengthAt = (versionId: number | null, clauseId: number | null): Strength | null => {
    if (versionId === null || clauseId === null) return null;
    const cv = placed.get(`${versionId}:${clauseId}`);
    return cv === undefined ? null : (tags.get(cv)?.strength ?? null);
  };
  return rows.map((r) => {
    const detail = parseChangeDetail(r.detail);
    const reasons = Array.isArray(detail.reasons) ? detail.reasons.filter((x): x is string => typeof x === 'string') : [];
    const newCv = r.clause_id === null ? undefined : (placed.get(`${r.document_version_id}:${r.clause_id}`) ?? (typeof detail.clauseVersionId === 'number' ? detail.clauseVersionId : undefined));
    const before = strengthAt(r.previous_version_id, r.clause_id);
    const after = newCv === undefined ? null : (tags.get(newCv)?.strength ?? null);
    const newTag = newCv === undefined ? undefined : tags.get(newCv);
    const phrases: string[] = [];
    for (const reason of reasons) {
      if (reason === 'strength_weakened' || reason === 'strength_strengthened') {
        const verb = reason === 'strength_weakened' ? 'Strength weakened' : 'Strength strengthened';
        phrases.push(before && after ? `${verb}: ${strengthName(before).toLowerCase()} → ${strengthName(after).toLowerCase()}` : verb);
      } else if (reason === 'funding_added') phrases.push('Funding announced');
      else if (reason === 'funding_changed') phrases.push('Funding changed');
      else if (reason === 'funding_removed') phrases.push('Funding removed');
      else if (reason.startsWith('principle_gained:')) phrases.push(`Principle gained: ${principleLabel(reason.slice(17))}`);
      else if (reason.startsWith('principle_lost:')) phrases.push(`Principle lost: ${principleLabel(reason.slice(15))}`);
    }
    let lead = kindWords[r.kind] ?? r.kind;
    if (r.kind === 'added' && newTag?.coproduction) lead = newTag.strength === 'none' ? 'New co-production clause' : `New co-production clause (${strengthName(newTag.strength).toLowerCase()})`;
    const headline = phrases.length > 0 ? phrases.join('; ') : lead;
    const details: string[] = [];
    if (phrases.length > 0 && r.kind !== 'reworded') details.push(lead + '.');
    if (r.kind === 'moved' && typeof detail.fromKey === 'string' && typeof detail.toKey === 'string') details.push(`Renumbered from ${detail.fromKey} to ${detail.toKey}.`);
    if (r.kind === 'withdrawn' && typeof detail.reason === 'string') details.push(`Reason given: ${detail.reason}`);
    if (r.kind === 'document_added' && typeof detail.clauses === 'number') details.push(`${detail.clauses} clauses.`);
    if (r.document_kind === 'bill') details.push('A bill: proposed, not law.');
    const provision = (typeof detail.toKey === 'string' ? detail.toKey : null) ?? (typeof detail.fromKey === 'string' ? detail.fromKey : null);
    const path = r.clause_id !== null ? clausePath(r.clause_id, newCv) : documentPath(r.document_id);
    return {
      id: r.id,
      kind: r.kind,
      important: r.important === 1,
      createdAt: r.created_at,
      documentId: r.document_id,
      documentTitle: r.title,
      documentKind: r.document_kind,
      jurisdiction: r.jurisdiction,
      language: r.language,
      headline,
      details,
      provision,
      path,
      proposed: r.document_kind === 'bill',
      weakened: reasons.includes('strength_weakened') || (before !== null && after !== null && strengthRank(after) < strengthRank(before)),
    };
  });
}

/** The full sentence for feeds and lists: "Strength weakened: duty → power in Social Services Act (section-16-1), Wales". */
export function changeSentence(c: ChangeItem): string {
  const where = c.provision ? `${c.documentTitle} (${c.provision})` : c.documentTitle;
  return `${c.headline} in ${where}, ${jurisdictionName(c.jurisdiction)}`;
}

/** For the dashboard: the latest changes a campaigner should hear about first. */
export async function notableChanges(db: Kysely<Database>, count: number): Promise<ChangeItem[]> {
  const recent = await listChanges(db, { important: true, kind: null, jurisdiction: null, reason: null }, 200, 0);
  const notable = recent.filter((c) => c.headline !== kindWords[c.kind] || c.kind === 'withdrawn');
  const rest = recent.filter((c) => !notable.includes(c));
  // Weakened duties, new co-production clauses and money first; other important changes fill the list.
  return [...notable, ...rest].slice(0, count);
}
