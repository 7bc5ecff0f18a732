import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { FundingAmount, PrincipleTag } from '../../matcher/types.js';
import { chunked } from '../../pipeline/version-queries.js';
import { effectiveTags } from '../../pipeline/tag-reviews.js';
import { currentVersions, type CurrentVersion } from './current-text.js';
import { isCorePrinciple } from './principle-guide.js';

/** One amount of money found in a clause of current text. */
export interface FundingLine {
  /** Stable: clause version and the amount's position in the text. */
  id: string;
  clauseId: number;
  clauseVersionId: number;
  version: CurrentVersion;
  provision: string;
  amount: FundingAmount;
  /** The money is tied to a co-production commitment (effective tag: co-production and funding). */
  linked: boolean;
  principles: string[];
}

export interface FundingTotal {
  jurisdiction: string;
  currency: string;
  linked: number;
  unlinked: number;
}

/**
 * Every amount the matcher found in current text (one language per clause, English preferred), marked
 * linked when it funds the co-production commitment itself. Bills are included and marked proposed.
 */
export async function fundingLedger(db: Kysely<Database>): Promise<FundingLine[]> {
  const versions = await currentVersions(db);
  const byId = new Map(versions.map((v) => [v.versionId, v]));
  const rows: { versionId: number; clauseId: number; cvId: number; key: string; number: string | null; amounts: string; principles: string }[] = [];
  for (const ids of chunked([...byId.keys()], 500)) {
    const found = await db
      .selectFrom('version_clauses as vc')
      .innerJoin('tags as t', 't.clause_version_id', 'vc.clause_version_id')
      .innerJoin('clause_versions as cv', 'cv.id', 'vc.clause_version_id')
      .select(['vc.document_version_id', 'vc.clause_id', 'vc.clause_version_id', 'cv.key', 'cv.number', 't.amounts', 't.principles'])
      .where('vc.document_version_id', 'in', ids)
      .where('t.amounts', '!=', '[]')
      .execute();
    for (const f of found) rows.push({ versionId: f.document_version_id, clauseId: f.clause_id, cvId: f.clause_version_id, key: f.key, number: f.number, amounts: f.amounts, principles: f.principles });
  }
  const effective = await effectiveTags(db, rows.map((r) => r.cvId));
  // One language per clause, so a bilingual clause's money is not counted twice.
  const chosen = new Map<number, (typeof rows)[number]>();
  for (const r of rows) {
    const seen = chosen.get(r.clauseId);
    if (!seen || (byId.get(r.versionId)!.language === 'en' && byId.get(seen.versionId)!.language !== 'en')) chosen.set(r.clauseId, r);
  }
  const lines: FundingLine[] = [];
  for (const r of chosen.values()) {
    const tag = effective.get(r.cvId);
    const amounts = JSON.parse(r.amounts) as FundingAmount[];
    const principles = [...new Set((JSON.parse(r.principles) as PrincipleTag[]).map((p) => p.id).filter(isCorePrinciple))];
    amounts.forEach((amount, i) => {
      lines.push({
        id: `${r.cvId}-${amount.span?.start ?? i}`,
        clauseId: r.clauseId,
        clauseVersionId: r.cvId,
        version: byId.get(r.versionId)!,
        provision: r.number?.trim() || r.key,
        amount,
        linked: Boolean(tag?.coproduction && tag.funding),
        principles,
      });
    });
  }
  lines.sort((a, b) => (a.version.date < b.version.date ? 1 : a.version.date > b.version.date ? -1 : b.amount.amount - a.amount.amount));
  return lines;
}

/** Totals per jurisdiction and currency, of text in force only (bills are not money anyone has promised yet). */
export function fundingTotals(lines: readonly FundingLine[]): FundingTotal[] {
  const totals = new Map<string, FundingTotal>();
  for (const l of lines) {
    if (l.version.proposed) continue;
    const key = `${l.version.jurisdiction}|${l.amount.currency}`;
    const t = totals.get(key) ?? { jurisdiction: l.version.jurisdiction, currency: l.amount.currency, linked: 0, unlinked: 0 };
    if (l.linked) t.linked += l.amount.amount;
    else t.unlinked += l.amount.amount;
    totals.set(key, t);
  }
  return [...totals.values()].sort((a, b) => a.jurisdiction.localeCompare(b.jurisdiction) || a.currency.localeCompare(b.currency));
}
