import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { strengths, strengthRank, type Strength } from '../../domain/strength.js';
import type { PrincipleTag } from '../../matcher/types.js';
import { chunked } from '../../pipeline/version-queries.js';
import { effectiveTags } from '../../pipeline/tag-reviews.js';
import { orderJurisdictions } from './labels.js';

/** The highest rung in force in one jurisdiction from `date` until the next step. */
export interface RungStep {
  date: string;
  rung: Strength;
}

export interface RungSeries {
  jurisdiction: string;
  steps: RungStep[];
}

interface VersionPoint {
  stream: string;
  jurisdiction: string;
  date: string;
  id: number;
  /** Highest strength rank of its co-production clauses (0 = none), overall and per core principle. */
  rank: number;
  byPrinciple: Map<string, number>;
  /** The document was withdrawn on this day: its text stops counting. */
  withdrawnOn: string | null;
}

/**
 * How the highest rung of law (bills excluded) changed over time in each jurisdiction, from the dates
 * of document versions (valid_from, else the day fetched). Withdrawn documents count until withdrawn.
 * With `principleId`, only clauses tagged with that principle count.
 */
export async function rungTimeline(db: Kysely<Database>, principleId?: string): Promise<RungSeries[]> {
  const versions = await db
    .selectFrom('document_versions as v')
    .innerJoin('documents as d', 'd.id', 'v.document_id')
    .select(['v.id', 'v.document_id', 'v.language', 'v.valid_from', 'v.fetched_at', 'd.jurisdiction', 'd.status', 'd.withdrawn_at'])
    .where('v.status', '=', 'accepted')
    .where('d.kind', '!=', 'bill')
    .execute();
  const coproduction = await db
    .selectFrom('version_clauses as vc')
    .innerJoin('tags as t', 't.clause_version_id', 'vc.clause_version_id')
    .select(['vc.document_version_id', 'vc.clause_version_id'])
    .where('t.coproduction', '=', 1)
    .execute();
  const reviewedIds = (await db.selectFrom('tag_reviews').select('clause_version_id').distinct().execute()).map((r) => r.clause_version_id);
  const reviewedPlacements: typeof coproduction = [];
  for (const ids of chunked(reviewedIds, 500)) {
    reviewedPlacements.push(...(await db.selectFrom('version_clauses').select(['document_version_id', 'clause_version_id']).where('clause_version_id', 'in', ids).execute()));
  }
  const placements = [...coproduction, ...reviewedPlacements];
  const cvIds = [...new Set(placements.map((p) => p.clause_version_id))];
  const effective = await effectiveTags(db, cvIds);
  const principlesOf = new Map<number, string[]>();
  for (const ids of chunked(cvIds, 500)) {
    for (const r of await db.selectFrom('tags').select(['clause_version_id', 'principles']).where('clause_version_id', 'in', ids).execute()) {
      principlesOf.set(r.clause_version_id, (JSON.parse(r.principles) as PrincipleTag[]).map((p) => p.id));
    }
  }
  const points = new Map<number, VersionPoint>();
  for (const v of versions) {
    points.set(v.id, {
      stream: `${v.document_id}\u0000${v.language}`,
      jurisdiction: v.jurisdiction,
      date: v.valid_from ?? v.fetched_at.slice(0, 10),
      id: v.id,
      rank: 0,
      byPrinciple: new Map(),
      withdrawnOn: v.status === 'withdrawn' && v.withdrawn_at ? v.withdrawn_at.slice(0, 10) : null,
    });
  }
  const seen = new Set<string>();
  for (const p of placements) {
    const key = `${p.document_version_id}:${p.clause_version_id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const point = points.get(p.document_version_id);
    const tag = effective.get(p.clause_version_id);
    if (!point || !tag?.coproduction) continue;
    const rank = strengthRank(tag.strength);
    point.rank = Math.max(point.rank, rank);
    for (const id of principlesOf.get(p.clause_version_id) ?? []) point.byPrinciple.set(id, Math.max(point.byPrinciple.get(id) ?? 0, rank));
  }
  const rankOf = (p: VersionPoint) => (principleId ? (p.byPrinciple.get(principleId) ?? 0) : p.rank);
  const all = [...points.values()];
  return orderJurisdictions(all.map((p) => p.jurisdiction))
    .map((jurisdiction) => ({ jurisdiction, steps: stepsOf(all.filter((p) => p.jurisdiction === jurisdiction), rankOf) }))
    .filter((s) => s.steps.length > 0);
}

function stepsOf(points: VersionPoint[], rankOf: (p: VersionPoint) => number): RungStep[] {
  const streams = new Map<string, VersionPoint[]>();
  for (const p of points) streams.set(p.stream, [...(streams.get(p.stream) ?? []), p]);
  for (const list of streams.values()) list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id - b.id));
  const dates = [...new Set(points.flatMap((p) => (p.withdrawnOn ? [p.date, p.withdrawnOn] : [p.date])))].sort();
  const steps: RungStep[] = [];
  for (const date of dates) {
    let best = 0;
    for (const list of streams.values()) {
      let current: VersionPoint | undefined;
      for (const p of list) if (p.date <= date) current = p;
      if (current && !(current.withdrawnOn && current.withdrawnOn <= date)) best = Math.max(best, rankOf(current));
    }
    const rung = strengths[best]!;
    if (steps.at(-1)?.rung !== rung) steps.push({ date, rung });
  }
  // A jurisdiction that never reached a rung is still a line (at "none"), so absence is visible.
  return steps;
}
