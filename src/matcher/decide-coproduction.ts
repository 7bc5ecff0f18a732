import type { EvidenceSpan, PrincipleTag } from './types.js';
import type { CompiledRules, LanguageRules } from './load-rules.js';
import type { PrincipleTagging } from './tag-principles.js';
import { overlaps, spanOf } from './evidence.js';

/** Score at or above which a clause is predicted to embody co-production (taxonomy §9.5). */
export const THRESHOLD = 3;
const PEOPLE_BONUS = 2;
const INSTITUTION_ONLY_PENALTY = 4;
const CONSULTATION_PENALTY = 3;
const DENIAL_PENALTY = 6;
const NAME_DROP_PENALTY = 1.5;
const QUESTION_PENALTY = 3;
/** A question asks; it neither commits to, defines nor describes co-production (§1 A). Senedd and Hansard questions are the usual case. */
const QUESTION = /\?[\s"'”’)]*$/;
/** The name-drop penalty applies only when no commitment modal is present: a commitment to 'co-production' is a commitment (§4.1 'commits to'). */
const COMMITMENT_MODALS = new Set(['strength:duty-of', 'strength:must', 'strength:should', 'strength:will', 'strength:cy-rhaid', 'strength:cy-dylai', 'strength:cy-bydd']);
const PREDICTIVE = /^(?:will|bydd)$/i;
const LEGAL_KINDS = new Set(['act', 'bill', 'si', 'code']);
/** A consultation cue inside a contrast frame ("rather than asking for feedback") is what the clause rejects, not its mechanism (§3 rule of thumb). Bare "more than" is left out: "more than 200 people were consulted" is consultation. */
const CONTRAST = /\b(?:rather than|instead of|not just|not simply|not only|more than just|more than simply|beyond|yn hytrach na)\s+(?:\S+\s+){0,3}$/i;
/** 'co-produced / co-designed with <people>' is itself a role, so it outranks a consultation limb (§3 co-design rung, §9.3 strongest role wins). */
const COPRODUCED_WITH = /\bco-?(?:produc|design)(?:e|ed|ing)\s+(?:with|by)\s+(?:the\s+)?(?:service users|people|patients|carers|families|communities|citizens|residents|tenants|users|individuals)\b/i;
const INHERIT_MIN = 2;

export interface LadderDecision {
  coproduction: boolean;
  /** An explicit denial or a definition (E4, E5) decided it: nothing may read the clause as co-production. */
  forced: boolean;
  ambiguous: boolean;
  score: number;
  reasons: string[];
  evidence: EvidenceSpan[];
  /** Core principles read from the list lead-in only (their evidence is in the lead-in, so no spans). */
  inherited: PrincipleTag[];
}

/** The list lead-in a clause continues, tagged like the clause (taxonomy §9.7). */
export interface LeadInContext {
  text: string;
  tagging: PrincipleTagging;
  /** A list lead-in, or the heading of a money clause (§8). */
  source: 'lead-in' | 'heading';
}

/**
 * Stage 2 (taxonomy §1, §3, §9.2-9.5): score = core principle weights + people counterparty − institution-only
 * counterparty (E1) − consultation-only mechanism (E2) − domain guards (E3) − denial (E4); definitions and
 * eligibility tests (E5) and explicit denials (E4) force false.
 */
export function decideCoproduction(text: string, tagging: PrincipleTagging, lang: LanguageRules, rules: CompiledRules, leadIn: LeadInContext | null = null, documentKind?: string): LadderDecision {
  const reasons: string[] = [];
  const evidence: EvidenceSpan[] = [...tagging.maskEvidence];
  for (const span of tagging.maskEvidence) reasons.push(`near-miss sense masked (${span.rule}: "${span.text}")`);
  const own = tagging.tags.filter((t) => t.kind === 'core');
  const inherited: PrincipleTag[] = [];
  if (leadIn) {
    for (const tag of leadIn.tagging.tags) {
      // Only a role, share of decision or participation stated in the lead-in carries to its items; a lead-in
      // that merely names a theme ("an activity is a social enterprise only if—") or a vehicle does not.
      if (tag.kind !== 'core' || tag.score < INHERIT_MIN || own.some((t) => t.id === tag.id && t.score >= tag.score)) continue;
      inherited.push({ id: tag.id, kind: tag.kind, score: tag.score, evidence: [] });
    }
    if (inherited.length) reasons.push(`${leadIn.source === 'heading' ? 'money clause read with its heading (§8, §9.7)' : 'from the list lead-in (§9.7)'}: ${inherited.map((t) => `${t.id} "${leadIn.tagging.tags.find((x) => x.id === t.id)!.evidence[0]?.text ?? ''}"`).join(', ')}`);
  }
  let core = [...own.filter((t) => !inherited.some((i) => i.id === t.id)), ...inherited];
  // A weak cue ("many ways to involve people") counts only where the clause or its lead-in commits to it.
  const weak = core.filter((t) => t.evidence.length > 0 && t.evidence.every((e) => rules.needsCommitment.has(e.rule)));
  if (weak.length && !commits(text, lang) && !(leadIn && commits(leadIn.text, lang))) {
    core = core.filter((t) => !weak.includes(t));
    reasons.push(`${weak.map((t) => `"${t.evidence[0]!.text}"`).join(', ')} without a commitment (must, should, will, need to) does not count`);
  }
  const parentheticals = rules.parentheticals.scan(text);
  const anyParenthetical = parentheticals.length > 0 || (leadIn !== null && rules.parentheticals.test(leadIn.text));
  if (core.length === 0) {
    reasons.push(tagging.tags.length ? 'only adjacent classes (§5)' : 'no co-production principle');
    // NHS / NI involvement duties that can be met by consultation: negative, flagged ambiguous (§10).
    if (anyParenthetical) {
      reasons.push('involvement that can be met by consultation (E2, ambiguous)');
      evidence.push(...parentheticals.map((h) => spanOf(text, h)));
    }
    return { coproduction: false, forced: false, ambiguous: anyParenthetical, score: 0, reasons, evidence, inherited };
  }
  let score = core.reduce((sum, t) => sum + t.score, 0);
  reasons.push(`principles: ${core.map((t) => `${t.id} ${t.score}`).join(', ')}`);

  const people = lang.people.scan(text);
  const leadPeople = people.length || !leadIn ? [] : lang.people.scan(leadIn.text);
  // Participatory budgeting, user-led services, time credits name citizens as the actors themselves, so a
  // partner body beside them ("work in partnership with local government to have 1% of budgets subject to
  // PB") is not an institutions-only counterparty (E1).
  const implied = people.length || leadPeople.length ? null : tagging.impliedPeople;
  const institutions = people.length || leadPeople.length || implied ? [] : lang.institutions.scan(text);
  if (people.length) {
    score += PEOPLE_BONUS;
    reasons.push('people counterparty');
    evidence.push(spanOf(text, people[0]!));
  } else if (leadPeople.length) {
    score += PEOPLE_BONUS;
    reasons.push(`people counterparty in the lead-in ("${leadIn!.text.slice(leadPeople[0]!.start, leadPeople[0]!.end)}")`);
  } else if (implied) {
    reasons.push(`citizens are the actors of "${implied.text}" (no institution-only penalty)`);
  } else if (institutions.length) {
    score -= INSTITUTION_ONLY_PENALTY;
    reasons.push('institution-only counterparty (E1)');
    evidence.push(...institutions.map((h) => spanOf(text, h)));
  }

  let ambiguous = false;
  // A consultation word inside a core phrase ("have a say in how money is spent") is not a separate mechanism.
  const coreSpans = tagging.coreEvidence;
  const consultation = tagging.consultationEvidence.filter((c) => !coreSpans.some((e) => overlaps(e, c)) && !CONTRAST.test(text.slice(Math.max(0, c.start - 60), c.start)));
  const leadConsultation = leadIn && inherited.length ? leadIn.tagging.consultationEvidence : [];
  if (anyParenthetical) {
    score -= CONSULTATION_PENALTY;
    ambiguous = true;
    reasons.push('involvement that can be met by consultation (E2, ambiguous)');
    evidence.push(...parentheticals.map((h) => spanOf(text, h)));
  } else if (consultation.length || leadConsultation.length) {
    // The role words inside "co-design" itself do not outrank a consultation cue beside it.
    const roles = lang.roles.scan(text).filter((r) => !coreSpans.some((e) => e.rule.startsWith('principle:explicit_coproduction/') && overlaps(e, r)));
    const coprodWith = COPRODUCED_WITH.test(text);
    const leadRoles = !roles.length && leadConsultation.length && leadIn ? lang.roles.scan(leadIn.text) : [];
    if (roles.length === 0 && leadRoles.length === 0 && !coprodWith) {
      score -= CONSULTATION_PENALTY;
      reasons.push('consultation / engagement only (E2)');
      evidence.push(...consultation);
      if (core.some((t) => t.id === 'explicit_coproduction')) {
        ambiguous = true;
        reasons.push('co-production named beside consultation ("coprobabble")');
      }
    } else {
      reasons.push('role verb outranks consultation cue');
      if (roles.length) evidence.push(spanOf(text, roles[0]!));
    }
  }

  for (const guard of leadIn ? rules.domainGuards.scan(leadIn.text) : []) {
    score -= guard.rule.penalty;
    reasons.push(`domain guard in the lead-in (E3): ${guard.rule.id}`);
  }
  for (const guard of rules.domainGuards.scan(text)) {
    score -= guard.rule.penalty;
    reasons.push(`domain guard (E3): ${guard.rule.id}`);
    evidence.push(spanOf(text, guard));
  }

  // Name-drop (taxonomy §4.1 decision, §1 A): the policy word alone, with no people counterparty and no role
  // verb anywhere in the clause or its lead-in, is a name-drop, not a commitment to working with people.
  // ("co-design" also tags design_delivery_involvement, from the same word: still only the word.)
  const onlyExplicit = core.length > 0 && core.every((t) => t.id === 'explicit_coproduction' || t.score === 0 || (t.evidence.length > 0 && t.evidence.every((e) => e.rule.startsWith('principle:explicit_coproduction/'))));
  // Legal instruments take a stance on co-production by being about it (a power to issue guidance about
  // co-production); the name-drop rule is for statements, budgets, commentary, news, explainers and guidance,
  // where "the co-produced plan published in May" describes rather than commits. A statement that commits
  // ("we will", "I believe", "we are committed to") carries a commitment modal and is not a name-drop.
  const commentary = documentKind === undefined || !LEGAL_KINDS.has(documentKind);
  // "co-design" contains the role word "design"; only a role outside the co-production words counts here.
  const roleOutside = () => lang.roles.scan(text).some((r) => !tagging.coreEvidence.some((e) => overlaps(e, r)));
  if (commentary && onlyExplicit && !people.length && !leadPeople.length && !roleOutside() && !(leadIn && lang.roles.test(leadIn.text)) && !rules.funding.instruments.test(text) && !commits(text, lang)) {
    score -= NAME_DROP_PENALTY;
    reasons.push('co-production named without people, a role or money attached (name-drop, §4.1)');
  }
  // Taxonomy §4.7 ("rarely decisive alone"): redefining_work needs another core principle.
  if (core.some((t) => t.id === 'redefining_work') && core.every((t) => t.id === 'redefining_work' || t.score === 0)) {
    score = Math.min(score, THRESHOLD - 0.5);
    reasons.push('redefining_work alone is not decisive (§4.7)');
  }

  if (QUESTION.test(text)) {
    score -= QUESTION_PENALTY;
    reasons.push('a question, not a commitment or description (§1 A)');
  }

  let forcedFalse = false;
  const denials = lang.denials.scan(text);
  if (!denials.length && leadIn && lang.denials.test(leadIn.text)) {
    forcedFalse = true;
    reasons.push('explicit denial in the lead-in (E4)');
  }
  if (denials.length) {
    score -= DENIAL_PENALTY;
    forcedFalse = true;
    reasons.push('explicit denial (E4)');
    evidence.push(...denials.map((h) => spanOf(text, h)));
  }
  const definitions = rules.definitions.scan(text);
  if (!definitions.length && leadIn && rules.definitions.test(leadIn.text)) {
    forcedFalse = true;
    reasons.push('item of a definition of outcomes or eligibility (E5, lead-in)');
  }
  if (definitions.length) {
    forcedFalse = true;
    reasons.push('definition of outcomes or eligibility (E5)');
    evidence.push(...definitions.map((h) => spanOf(text, h)));
  }

  const coproduction = !forcedFalse && score >= THRESHOLD;
  // E4 / E5 are clear negatives, whatever else the clause name-drops.
  if (forcedFalse) ambiguous = false;
  if (!forcedFalse && Math.abs(score - THRESHOLD) <= 1) {
    ambiguous = true;
    reasons.push(`score ${score} within 1 of threshold ${THRESHOLD}`);
  }
  if (coproduction) {
    const info = (id: string) => rules.catalogue.get(id);
    if (core.every((t) => info(t.id)?.individualLevel || t.score === 0)) {
      ambiguous = true;
      reasons.push('individual-level voice / outcomes only (§10)');
    }
    const always = core.find((t) => info(t.id)?.alwaysAmbiguous);
    if (always) {
      ambiguous = true;
      reasons.push(`${always.id} is a contestable positive (§4.15)`);
    }
  }
  return { coproduction, forced: forcedFalse, ambiguous, score, reasons, evidence, inherited };
}

/** A non-predictive commitment modal: must, shall, should, need to, we will, I believe (and their Welsh twins). */
function commits(text: string, lang: LanguageRules): boolean {
  return lang.modals.scan(text).some((m) => COMMITMENT_MODALS.has(m.rule.id) && !PREDICTIVE.test(text.slice(m.start, m.end)));
}
