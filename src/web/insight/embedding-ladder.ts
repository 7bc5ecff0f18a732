import { strengthRank, type Strength } from '../../domain/strength.js';
import type { Commitment } from './current-commitments.js';
import { corePrinciples, type PrincipleInfo } from './principle-guide.js';
import { orderJurisdictions } from './labels.js';

/** One cell of the ladder: how far one principle is embedded in one jurisdiction's text. */
export interface LadderCell {
  principleId: string;
  jurisdiction: string;
  /** Highest rung reached, or null when nothing embeds it. */
  rung: Strength | null;
  /** Co-production clauses tagged with this principle (each clause once, whatever its languages). */
  count: number;
  /** Clauses with money linked to the co-production commitment. */
  funded: number;
  /** The clause that reaches the highest rung (the proof). */
  strongest: Commitment | null;
}

export interface LadderRow {
  principle: PrincipleInfo;
  law: LadderCell[];
  proposed: LadderCell[];
}

export interface EmbeddingLadder {
  jurisdictions: string[];
  rows: LadderRow[];
  /** Any proposal (bill) cell is non-empty. */
  hasProposals: boolean;
}

function cellOf(principleId: string, jurisdiction: string, commitments: readonly Commitment[]): LadderCell {
  const mine = commitments.filter((c) => c.version.jurisdiction === jurisdiction && c.principles.includes(principleId));
  let strongest: Commitment | null = null;
  for (const c of mine) {
    if (c.strength === 'none') continue;
    if (!strongest || strengthRank(c.strength) > strengthRank(strongest.strength)) strongest = c;
  }
  return { principleId, jurisdiction, rung: strongest?.strength ?? null, count: mine.length, funded: mine.filter((c) => c.funded).length, strongest };
}

/**
 * Principle × jurisdiction: the highest rung reached by current text in force, and whether money is
 * attached. Bills are computed apart (`proposed`) and never raise the law's rung.
 */
export function embeddingLadder(commitments: readonly Commitment[], principles: readonly PrincipleInfo[] = corePrinciples): EmbeddingLadder {
  const jurisdictions = orderJurisdictions(commitments.map((c) => c.version.jurisdiction));
  const law = commitments.filter((c) => !c.version.proposed);
  const bills = commitments.filter((c) => c.version.proposed);
  const rows = principles.map((principle) => ({
    principle,
    law: jurisdictions.map((j) => cellOf(principle.id, j, law)),
    proposed: jurisdictions.map((j) => cellOf(principle.id, j, bills)),
  }));
  return { jurisdictions, rows, hasProposals: rows.some((r) => r.proposed.some((c) => c.count > 0)) };
}

/** Co-production commitments with legal force (power or stronger) and no money linked, strongest first. */
export function embeddedButUnfunded(commitments: readonly Commitment[]): Commitment[] {
  return commitments
    .filter((c) => !c.version.proposed && !c.funded && strengthRank(c.strength) >= strengthRank('power'))
    .sort((a, b) => strengthRank(b.strength) - strengthRank(a.strength) || jurisdictionOrder(a) - jurisdictionOrder(b) || a.version.jurisdiction.localeCompare(b.version.jurisdiction) || a.clauseId - b.clauseId);
}

/** Wales, then the UK, then the rest: the tracker's focus first. */
function jurisdictionOrder(c: Commitment): number {
  const i = ['wales', 'uk'].indexOf(c.version.jurisdiction);
  return i < 0 ? 2 : i;
}
