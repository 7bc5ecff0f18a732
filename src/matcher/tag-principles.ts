import type { EvidenceSpan, PrincipleTag } from './types.js';
import type { CompiledRules, LanguageRules } from './load-rules.js';
import { overlaps, spanOf } from './evidence.js';

/** Stage 1 (taxonomy §9.1): principle tags with evidence, after near-miss masks (§6) remove false senses. */
export interface PrincipleTagging {
  tags: PrincipleTag[];
  /** Core principle evidence, in text order (for the modal that governs it, §7.1). */
  coreEvidence: EvidenceSpan[];
  /** Spans of masks that removed a principle. */
  maskEvidence: EvidenceSpan[];
  /** Consultation / engagement cues (they also tag consultation_engagement). */
  consultationEvidence: EvidenceSpan[];
}

export function tagPrinciples(text: string, lang: LanguageRules, rules: CompiledRules): PrincipleTagging {
  const hits = lang.principles.scan(text);
  const consultation = lang.consultation.scan(text);
  const maskHits = hits.length ? rules.masks.scan(text) : [];
  const byId = new Map<string, PrincipleTag>();
  const coreEvidence: EvidenceSpan[] = [];
  const maskEvidence: EvidenceSpan[] = [];

  const add = (id: string, weight: number, span: EvidenceSpan) => {
    const info = rules.catalogue.get(id)!;
    let tag = byId.get(id);
    if (!tag) byId.set(id, (tag = { id, kind: info.kind, score: 0, evidence: [] }));
    tag.score = Math.max(tag.score, weight);
    tag.evidence.push(span);
    if (info.kind === 'core' && coreEvidence[coreEvidence.length - 1] !== span) coreEvidence.push(span);
  };

  for (const hit of hits) {
    let span: EvidenceSpan | null = null;
    for (const id of hit.rule.principles) {
      const mask = maskHits.find((m) => m.rule.suppresses.includes(id) && overlaps(m, hit));
      if (mask) {
        if (!maskEvidence.some((e) => e.start === mask.start && e.rule === mask.rule.id)) maskEvidence.push(spanOf(text, mask));
        continue;
      }
      span ??= spanOf(text, hit);
      add(id, hit.rule.weight ?? rules.catalogue.get(id)!.weight, span);
    }
  }
  const consultationEvidence = consultation.map((h) => spanOf(text, h));
  for (const span of consultationEvidence) add('consultation_engagement', 0, span);

  return { tags: [...byId.values()], coreEvidence, maskEvidence, consultationEvidence };
}
