import type { CheerioAPI } from 'cheerio';
import { elementsOf, normalise } from './clml-clauses.js';
import type { XmlNode } from './clml-clauses.js';

/**
 * Per-provision facts a clause has no field for, keyed like the clauses (CLML id), for
 * `metadata.provisions`. Wrappers that are not clauses (a P1 holding only P2s) get an entry too:
 * a commencement note on `section-45` covers its subsections, which name it as parentKey.
 */
export interface ProvisionFacts {
  /** RestrictExtent on the provision or the nearest ancestor, when it differs from the document's. */
  extent?: string;
  restrictStartDate?: string;
  restrictEndDate?: string;
  /** `Prospective`, `Repealed`, `Discarded`… from the provision's own Status attribute. */
  status?: string;
  /** Texts of the commencement notes (Commentary Type="I") the provision refers to. */
  commencement?: string[];
  /** How many unapplied effects name this provision (see metadata.unappliedEffects). */
  unappliedEffects?: number;
}

export interface UnappliedEffect {
  type: string | null;
  affectedProvisions: string | null;
  /** CLML ids of the affected provisions (`ukm:AffectedProvisions/ukm:Section/@Ref`). */
  affectedKeys: string[];
  affectingTitle: string | null;
  affectingUri: string | null;
  affectingYear: number | null;
  affectingNumber: string | null;
  affectingProvisions: string | null;
  inForce: { date: string | null; applied: boolean; welshApplied: boolean | null; prospective: boolean; qualification: string | null }[];
  requiresApplied: boolean | null;
  requiresWelshApplied: boolean | null;
  /** The Welsh text still needs this effect: RequiresWelshApplied and no InForce WelshApplied="true". */
  welshPending: boolean;
}

const PROVISION = /^P[1-7]$/;

export function readUnappliedEffects($: CheerioAPI): UnappliedEffect[] {
  return $('ukm\\:UnappliedEffect').map((_, el) => {
    const effect = $(el);
    const attr = (name: string) => effect.attr(name)?.trim() || null;
    const flag = (value: string | undefined) => (value === undefined ? null : value === 'true');
    const inForce = effect.find('ukm\\:InForce').map((__, f) => ({
      date: $(f).attr('Date') ?? null,
      applied: $(f).attr('Applied') === 'true',
      welshApplied: flag($(f).attr('WelshApplied')),
      prospective: $(f).attr('Prospective') === 'true',
      qualification: $(f).attr('Qualification') ?? null,
    })).get();
    const requiresWelshApplied = flag(effect.attr('RequiresWelshApplied'));
    const affectingTitles = effect.children('ukm\\:AffectingTitle');
    const year = Number(attr('AffectingYear'));
    return {
      type: attr('Type'),
      affectedProvisions: attr('AffectedProvisions'),
      affectedKeys: effect.find('ukm\\:AffectedProvisions ukm\\:Section').map((__, s) => $(s).attr('Ref') ?? '').get().filter((r) => r !== ''),
      affectingTitle: affectingTitles.filter((__, t) => $(t).attr('xml:lang') === undefined).first().text().trim() || affectingTitles.first().text().trim() || null,
      affectingUri: attr('AffectingURI'),
      affectingYear: Number.isInteger(year) && year > 0 ? year : null,
      affectingNumber: attr('AffectingNumber'),
      affectingProvisions: attr('AffectingProvisions'),
      inForce,
      requiresApplied: flag(effect.attr('RequiresApplied')),
      requiresWelshApplied,
      welshPending: requiresWelshApplied === true && !inForce.some((f) => f.welshApplied === true),
    };
  }).get();
}

/** Facts per provision id, for the provisions under `containers` (Body, Schedules). */
export function readProvisionFacts(
  root: XmlNode | undefined,
  containers: XmlNode[],
  effects: UnappliedEffect[],
): Record<string, ProvisionFacts> {
  const commentaries = commencementNotes(root);
  const documentExtent = root?.attribs?.RestrictExtent ?? null;
  const out: Record<string, ProvisionFacts> = {};

  const walk = (node: XmlNode, extent: string | null, groupTitle: XmlNode | null): void => {
    for (const child of elementsOf(node)) {
      if (child.name === 'BlockAmendment' || child.name === 'Commentaries') continue;
      const own = child.attribs ?? {};
      const effective = own.RestrictExtent ?? extent;
      const isProvision = PROVISION.test(child.name ?? '') && (own.id ?? '') !== '';
      if (isProvision) {
        const facts: ProvisionFacts = {};
        if (effective !== null && effective !== documentExtent) facts.extent = effective;
        if (own.RestrictStartDate) facts.restrictStartDate = own.RestrictStartDate;
        if (own.RestrictEndDate) facts.restrictEndDate = own.RestrictEndDate;
        if (own.Status) facts.status = own.Status;
        const refs = [...(groupTitle === null ? [] : commentaryRefs(groupTitle)), ...commentaryRefs(child)];
        const notes = [...new Set(refs.map((r) => commentaries.get(r)).filter((t): t is string => t !== undefined))];
        if (notes.length > 0) facts.commencement = notes;
        if (Object.keys(facts).length > 0) out[own.id as string] = facts;
      }
      // A P1group's title notes (often the section's commencement) belong to the P1 it groups.
      const title = child.name === 'P1group' ? (elementsOf(child).find((c) => c.name === 'Title') ?? null) : null;
      walk(child, effective, title ?? (isProvision ? null : groupTitle));
    }
  };
  for (const container of containers) walk(container, container.attribs?.RestrictExtent ?? documentExtent, null);

  for (const effect of effects) {
    for (const key of new Set(effect.affectedKeys)) {
      const facts = (out[key] ??= {});
      facts.unappliedEffects = (facts.unappliedEffects ?? 0) + 1;
    }
  }
  return out;
}

/** Commentary id → text, for Type="I" (commencement) notes only. */
function commencementNotes(root: XmlNode | undefined): Map<string, string> {
  const notes = new Map<string, string>();
  for (const commentaries of elementsOf(root).filter((c) => c.name === 'Commentaries')) {
    for (const note of elementsOf(commentaries)) {
      const id = note.attribs?.id;
      if (note.name !== 'Commentary' || note.attribs?.Type !== 'I' || id === undefined) continue;
      notes.set(id, normalise(textOf(note)));
    }
  }
  return notes;
}

/** Refs in the provision's own markup, not in nested provisions or quoted amendments. */
function commentaryRefs(node: XmlNode): string[] {
  const refs: string[] = [];
  for (const child of elementsOf(node)) {
    if (child.name === 'BlockAmendment' || (PROVISION.test(child.name ?? '') && child.attribs?.id)) continue;
    if (child.name === 'CommentaryRef' && child.attribs?.Ref) refs.push(child.attribs.Ref);
    else refs.push(...commentaryRefs(child));
  }
  return refs;
}

function textOf(node: XmlNode): string {
  if (node.type === 'text') return node.data ?? '';
  return (node.children ?? []).map(textOf).join('');
}
