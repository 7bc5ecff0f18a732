import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Strength } from '../../domain/strength.js';
import type { EvidenceSpan, FundingAmount, PrincipleTag } from '../../matcher/types.js';
import { effectiveTags, type EffectiveTag } from '../../pipeline/tag-reviews.js';
import { chunked } from '../../pipeline/version-queries.js';
import { amountText, principleName } from './labels.js';

/** What a page shows of one clause version's tag: the effective decision plus the machine's evidence. */
export interface TagView {
  coproduction: boolean;
  strength: Strength;
  funding: boolean;
  reviewed: boolean;
  reviewNote: string | null;
  /** The machine called it borderline and no one has reviewed it yet: a person should check it. */
  needsCheck: boolean;
  /** When the learned layer, not a rule, proposed it as co-production: the words that weighed most (else empty). */
  learnedWords: string[];
  principles: { id: string; name: string; core: boolean }[];
  amounts: string[];
  evidence: EvidenceSpan[];
  /** The words that set the strength ("must", "may"), for sentences about changes. */
  strengthWords: string[];
  /** Raw effective tag, for review forms. */
  effective: EffectiveTag;
}

function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export interface TagDetailRow {
  clause_version_id: number;
  principles: string;
  evidence: string;
  amounts: string;
  ambiguous: number;
}

/** Tags of many clause versions in a fixed number of queries (tags unless already `known`, then effectiveTags' two). */
export async function tagViews(db: Kysely<Database>, clauseVersionIds: readonly number[], known?: Map<number, TagDetailRow>): Promise<Map<number, TagView>> {
  const ids = [...new Set(clauseVersionIds)];
  const detail = known ?? new Map<number, TagDetailRow>();
  if (!known) {
    for (const chunk of chunked(ids, 500)) {
      const rows = await db.selectFrom('tags').select(['clause_version_id', 'principles', 'evidence', 'amounts', 'ambiguous']).where('clause_version_id', 'in', chunk).execute();
      for (const r of rows) detail.set(r.clause_version_id, r);
    }
  }
  const effective = await effectiveTags(db, ids);
  const views = new Map<number, TagView>();
  for (const id of ids) {
    const e = effective.get(id);
    if (!e) continue;
    const r = detail.get(id);
    const principles = parseJson<PrincipleTag[]>(r?.principles, []);
    const evidence = parseJson<EvidenceSpan[]>(r?.evidence, []);
    const amounts = parseJson<FundingAmount[]>(r?.amounts, []);
    views.set(id, {
      coproduction: e.coproduction,
      strength: e.strength,
      funding: e.funding,
      reviewed: e.source === 'review',
      reviewNote: e.review ? `${e.review.action} by ${e.review.reviewer}: ${e.review.note}` : null,
      needsCheck: e.source !== 'review' && Boolean(r?.ambiguous),
      learnedWords: e.source !== 'review' && e.coproduction ? evidence.filter((s) => s.rule.startsWith('learned:')).map((s) => s.text) : [],
      // All principles, adjacent ones too: change callouts must agree with classifyChange's principle_gained/lost.
      principles: principles.map((p) => ({ id: p.id, name: principleName(p.id), core: p.kind === 'core' })),
      amounts: amounts.map(amountText),
      evidence,
      strengthWords: [...new Set(evidence.filter((s) => s.rule.startsWith('strength:')).map((s) => s.text.toLowerCase()))],
      effective: e,
    });
  }
  return views;
}
