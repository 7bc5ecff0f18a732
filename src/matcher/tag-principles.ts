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
  /** A core phrase that names citizens as the actors (participatory budgeting, user-led…), if any. */
  impliedPeople: EvidenceSpan | null;
}

export function tagPrinciples(text: string, lang: LanguageRules, rules: CompiledRules): PrincipleTagging {
  const hits = lang.principles.scan(text);
  const consultation = lang.consultation.scan(text);
  let maskHits: ReturnType<typeof rules.masks.scan> | null = null;
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

  let impliedPeople: EvidenceSpan | null = null;
  const masked = (id: string, hit: { start: number; end: number }) => {
    maskHits ??= rules.masks.scan(text);
    const mask = maskHits.find((m) => m.rule.suppresses.includes(id) && overlaps(m, hit));
    if (mask && !maskEvidence.some((e) => e.start === mask.start && e.rule === mask.rule.id)) maskEvidence.push(spanOf(text, mask));
    return mask !== undefined;
  };
  for (const hit of hits) {
    let span: EvidenceSpan | null = null;
    for (const id of hit.rule.principles) {
      if (masked(id, hit)) continue;
      span ??= spanOf(text, hit);
      add(id, hit.rule.weight ?? rules.catalogue.get(id)!.weight, span);
      if (hit.rule.impliesPeople && rules.catalogue.get(id)!.kind === 'core') impliedPeople ??= span;
    }
  }
  // Compositions run after the phrase rules and only add what the phrases missed: an object inside a phrase
  // that already fired, or claimed by an earlier composition, is not counted again.
  const claimed: { start: number; end: number }[] = [...coreEvidence];
  let composed = false;
  for (const composition of lang.compositions) {
    const found = composition.find(text, lang.people, claimed);
    if (!found) continue;
    claimed.push(found.object);
    for (const id of found.rule.principles) {
      if (masked(id, found.role) || masked(id, found.object)) continue;
      const weight = found.rule.weight ?? rules.catalogue.get(id)!.weight;
      const existing = byId.get(id);
      if (existing && existing.score >= weight) continue;
      add(id, weight, spanOf(text, found.role));
      add(id, weight, spanOf(text, found.object));
      composed = true;
    }
  }
  if (composed) coreEvidence.sort((a, b) => a.start - b.start);
  const consultationEvidence = consultation.map((h) => spanOf(text, h));
  for (const span of consultationEvidence) add('consultation_engagement', 0, span);

  return { tags: [...byId.values()], coreEvidence, maskEvidence, consultationEvidence, impliedPeople };
}
