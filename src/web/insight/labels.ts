import { strengths, strengthRank, type Strength } from '../../domain/strength.js';

/** The rungs a commitment can reach, weakest first (the ladder's order from src/domain/strength.ts). */
export const rungs: readonly Strength[] = strengths.filter((s) => s !== 'none');

const strengthNames: Record<Strength, string> = {
  none: 'No commitment',
  aspiration: 'Aspiration',
  guidance: 'Guidance',
  power: 'Power',
  qualified_duty: 'Qualified duty',
  duty: 'Duty',
};

/** What each rung means, in the taxonomy's words (§7), for the methodology page and legends. */
export const strengthMeanings: Record<Strength, string> = {
  duty: 'A binding, unqualified obligation: “must”, “shall”, “it is the duty of”.',
  qualified_duty: 'An obligation softened by regard, effort or discretion: “must have regard to”, “must seek to”, “so far as reasonably practicable”.',
  power: 'A discretion or enabling provision: “may”, “may by regulations”. Rights given to communities to make a request are powers.',
  guidance: 'An expectation in guidance, a code guideline or standards: “should”, “is expected to”.',
  aspiration: 'Executive rhetoric, a commitment that is not law: “we will”, “aims to”, “is committed to”, in statements and strategies.',
  none: 'No commitment: definitions, descriptions, explanatory notes, reports of fact.',
};

export function strengthName(strength: string): string {
  return strengthNames[strength as Strength] ?? strength;
}

export function isStrength(value: string): value is Strength {
  return (strengths as readonly string[]).includes(value);
}

export function strongerFirst(a: Strength, b: Strength): number {
  return strengthRank(b) - strengthRank(a);
}

const jurisdictionNames: Record<string, string> = {
  wales: 'Wales',
  uk: 'UK',
  england: 'England',
  scotland: 'Scotland',
  'northern-ireland': 'Northern Ireland',
  'england-and-wales': 'England and Wales',
};

export function jurisdictionName(id: string): string {
  return jurisdictionNames[id] ?? id;
}

/** Wales and the UK always first (the tracker's focus), then any others alphabetically. */
export function orderJurisdictions(present: Iterable<string>): string[] {
  const others = [...new Set(present)].filter((j) => j !== 'wales' && j !== 'uk').sort();
  return ['wales', 'uk', ...others];
}

const kindNames: Record<string, string> = {
  act: 'Act',
  si: 'Statutory instrument',
  bill: 'Bill',
  code: 'Code of practice',
  guidance: 'Guidance',
  statement: 'Statement',
  budget: 'Budget',
  other: 'Other',
};

export function kindName(kind: string): string {
  return kindNames[kind] ?? kind;
}

export const documentKindIds = Object.keys(kindNames);
