import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { strengthRank, type Strength } from '../../domain/strength.js';
import type { FundingAmount, PrincipleTag } from '../../matcher/types.js';
import { chunked } from '../../pipeline/version-queries.js';
import { effectiveTags } from '../../pipeline/tag-reviews.js';
import { currentVersions, type CurrentVersion } from './current-text.js';
import { isCorePrinciple } from './principle-guide.js';

/** One co-production clause of current text, as the reader should see it (effective tag: reviews win). */
export interface Commitment {
  clauseId: number;
  clauseVersionId: number;
  version: CurrentVersion;
  /** Other languages the same clause is current in (e.g. ['cy']). */
  otherLanguages: string[];
  key: string;
  number: string | null;
  heading: string | null;
  text: string;
  strength: Strength;
  funded: boolean;
  /** Core principle ids (taxonomy §4) from the machine tag. */
  principles: string[];
  amounts: FundingAmount[];
  reviewed: boolean;
}

export interface CurrentCommitments {
  /** One entry per clause (its strongest current language version, English on a tie). */
  commitments: Commitment[];
  versions: CurrentVersion[];
}

/** The provision as people cite it: the printed number, else the source key ("section-16-1-c"). */
export function provisionOf(c: Pick<Commitment, 'number' | 'key'>): string {
  return c.number?.trim() ? c.number.trim() : c.key;
}

/**
 * Every co-production clause in current text (bills included, marked proposed). Batched: the text is read
 * only for co-production clauses, and tags and reviews in chunks.
 */
export async function currentCommitments(db: Kysely<Database>): Promise<CurrentCommitments> {
  const versions = await currentVersions(db);
  const versionById = new Map(versions.map((v) => [v.versionId, v]));
  const placements: { versionId: number; clauseId: number; clauseVersionId: number }[] = [];
  for (const ids of chunked(versions.map((v) => v.versionId), 500)) {
    const rows = await db.selectFrom('version_clauses').select(['document_version_id', 'clause_id', 'clause_version_id']).where('document_version_id', 'in', ids).execute();
    for (const r of rows) placements.push({ versionId: r.document_version_id, clauseId: r.clause_id, clauseVersionId: r.clause_version_id });
  }
  const allIds = [...new Set(placements.map((p) => p.clauseVersionId))];
  // Candidates: machine says co-production, or a reviewer has spoken (a correction may say it is).
  const candidates = new Set<number>();
  for (const ids of chunked(allIds, 500)) {
    for (const r of await db.selectFrom('tags').select('clause_version_id').where('clause_version_id', 'in', ids).where('coproduction', '=', 1).execute()) candidates.add(r.clause_version_id);
    for (const r of await db.selectFrom('tag_reviews').select('clause_version_id').where('clause_version_id', 'in', ids).execute()) candidates.add(r.clause_version_id);
  }
  const effective = await effectiveTags(db, [...candidates]);
  const coproductionIds = [...candidates].filter((id) => effective.get(id)?.coproduction);
  const details = new Map<number, { key: string; number: string | null; heading: string | null; text: string; principles: string[]; amounts: FundingAmount[] }>();
  for (const ids of chunked(coproductionIds, 500)) {
    const rows = await db
      .selectFrom('clause_versions as cv')
      .leftJoin('tags as t', 't.clause_version_id', 'cv.id')
      .select(['cv.id', 'cv.key', 'cv.number', 'cv.heading', 'cv.text', 't.principles', 't.amounts'])
      .where('cv.id', 'in', ids)
      .execute();
    for (const r of rows) {
      const principles = r.principles ? (JSON.parse(r.principles) as PrincipleTag[]).map((p) => p.id).filter(isCorePrinciple) : [];
      details.set(r.id, { key: r.key, number: r.number, heading: r.heading, text: r.text, principles: [...new Set(principles)], amounts: r.amounts ? (JSON.parse(r.amounts) as FundingAmount[]) : [] });
    }
  }
  const byClause = new Map<number, Commitment[]>();
  for (const p of placements) {
    const tag = effective.get(p.clauseVersionId);
    const detail = details.get(p.clauseVersionId);
    const version = versionById.get(p.versionId);
    if (!tag?.coproduction || !detail || !version) continue;
    const c: Commitment = {
      clauseId: p.clauseId,
      clauseVersionId: p.clauseVersionId,
      version,
      otherLanguages: [],
      ...detail,
      strength: tag.strength,
      funded: tag.funding,
      reviewed: tag.source === 'review',
    };
    const list = byClause.get(p.clauseId) ?? [];
    list.push(c);
    byClause.set(p.clauseId, list);
  }
  const commitments: Commitment[] = [];
  for (const list of byClause.values()) {
    list.sort((a, b) => strengthRank(b.strength) - strengthRank(a.strength) || Number(b.version.language === 'en') - Number(a.version.language === 'en') || a.clauseVersionId - b.clauseVersionId);
    const [best, ...rest] = list as [Commitment, ...Commitment[]];
    commitments.push({
      ...best,
      // A clause counts once, but its principles and money are the union over its languages.
      principles: [...new Set(list.flatMap((c) => c.principles))],
      funded: list.some((c) => c.funded),
      reviewed: list.some((c) => c.reviewed),
      otherLanguages: [...new Set(rest.map((c) => c.version.language))].filter((l) => l !== best.version.language),
    });
  }
  commitments.sort((a, b) => strengthRank(b.strength) - strengthRank(a.strength) || (a.version.date < b.version.date ? 1 : a.version.date > b.version.date ? -1 : 0) || a.clauseId - b.clauseId);
  return { commitments, versions };
}
