import type { Insertable, Selectable } from 'kysely';
import type { DocumentKind } from '../domain/scraped-document.js';
import type { Strength } from '../domain/strength.js';
import type { TagsTable } from '../db/schema.js';
import type { MatchInput, MatchResult } from '../matcher/types.js';
import type { ClauseSnapshot } from './classify-change.js';

/** What the pipeline needs of the matcher; the composition root passes the real one (src/matcher). */
export interface Matcher {
  version: string;
  /** One result per input, in order; neighbouring clauses inform each other's funding links. */
  matchDocument(inputs: MatchInput[]): MatchResult[];
}

export interface ClauseForMatching {
  key: string;
  text: string;
  heading: string | null;
  parentKey: string | null;
}

/**
 * Match inputs for the clauses of one document version, in order. A list item's lead-in is its parent
 * provision's own text ("A local authority must promote— …"), when the parent is itself a clause.
 */
export function matchInputsFor(
  clauses: readonly ClauseForMatching[],
  document: { kind: string; jurisdiction: string; language: string },
): MatchInput[] {
  const textByKey = new Map(clauses.map((c) => [c.key, c.text]));
  return clauses.map((c) => ({
    text: c.text,
    language: document.language === 'cy' ? 'cy' : 'en',
    documentKind: document.kind as DocumentKind,
    jurisdiction: document.jurisdiction,
    heading: c.heading,
    leadIn: c.parentKey ? (textByKey.get(c.parentKey) ?? null) : null,
  }));
}

export function tagRow(clauseVersionId: number, result: MatchResult, taggedAt: string): Insertable<TagsTable> {
  return {
    clause_version_id: clauseVersionId,
    matcher_version: result.matcherVersion,
    coproduction: result.coproduction ? 1 : 0,
    ambiguous: result.ambiguous ? 1 : 0,
    principles: JSON.stringify(result.principles),
    strength: result.strength,
    funding: result.funding ? 1 : 0,
    funding_tier: result.fundingTier,
    amounts: JSON.stringify(result.amounts),
    evidence: JSON.stringify(result.evidence),
    score: result.score,
    reasons: JSON.stringify(result.reasons),
    tagged_at: taggedAt,
  };
}

/** The parts of a tag that change-classification compares (see classify-change.ts). */
export type TagSnapshot = Pick<ClauseSnapshot, 'strength' | 'principles' | 'funding'>;

export function snapshotOfResult(result: MatchResult): TagSnapshot {
  return {
    strength: result.strength,
    principles: result.principles.map((p) => p.id).sort(),
    funding: result.funding ? result.amounts.map((a) => `${a.currency} ${a.amount}${a.period ? ` ${a.period}` : ''}`).sort() : [],
  };
}

export function snapshotOfTag(row: Pick<Selectable<TagsTable>, 'strength' | 'principles' | 'funding' | 'amounts'>): TagSnapshot {
  const principles = (JSON.parse(row.principles) as { id: string }[]).map((p) => p.id).sort();
  const amounts = JSON.parse(row.amounts) as MatchResult['amounts'];
  return {
    strength: row.strength as Strength,
    principles,
    funding: row.funding ? amounts.map((a) => `${a.currency} ${a.amount}${a.period ? ` ${a.period}` : ''}`).sort() : [],
  };
}
