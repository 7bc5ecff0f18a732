import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { projectRoot } from '../project-root.js';
import type { Strength } from '../domain/strength.js';
import { LayeredScanner, RuleSet, assertSafe, type Scanner } from './rule-set.js';
import { Composition } from './compositions.js';
import { compileLearned, learnedFileSchema, type LearnedModel } from './learned-model.js';
import {
  counterpartiesFileSchema,
  fundingFileSchema,
  mechanismsFileSchema,
  nearMissesFileSchema,
  principlesFileSchema,
  strengthFileSchema,
  versionFileSchema,
  welshFileSchema,
  type FundingFile,
  type GuardRule,
  type InstrumentRule,
  type MaskRule,
  type ModalRule,
  type PeriodRule,
  type PrincipleRule,
  type PrinciplesFile,
  type RawRule,
} from './rules-schema.js';

export const defaultRulesDir = path.join(projectRoot, 'data', 'rules');

export type PrincipleInfo = PrinciplesFile['catalogue'][number];

/** The rule sets for one language: English, or English plus the Welsh additions. */
export interface LanguageRules {
  principles: Scanner<PrincipleRule>;
  /** In order: a composition's object already claimed by an earlier one is not counted again. */
  compositions: Composition[];
  people: Scanner;
  institutions: Scanner;
  consultation: Scanner;
  roles: Scanner;
  modals: Scanner<ModalRule>;
  qualifiers: Scanner;
  denials: Scanner;
}

/** Everything the engine needs, compiled once per rules folder. */
export interface CompiledRules {
  version: string;
  dir: string;
  catalogue: ReadonlyMap<string, PrincipleInfo>;
  en: LanguageRules;
  cy: LanguageRules;
  masks: RuleSet<MaskRule>;
  domainGuards: RuleSet<GuardRule>;
  definitions: RuleSet;
  parentheticals: RuleSet;
  documentKindCaps: Readonly<Record<string, Strength>>;
  statuteReference: RegExp;
  explanatoryHeading: RegExp;
  principlesHeading: RegExp | null;
  subordinateModals: RuleSet;
  documentKindDefaults: Readonly<Record<string, Strength>>;
  reportOfFact: RegExp | null;
  thirdParty: { documentKinds: ReadonlySet<string>; ownCommitment: { rule: RawRule; regex: RegExp } } | null;
  funding: {
    amounts: { rule: RawRule; regex: RegExp }[];
    units: FundingFile['units'];
    currencies: FundingFile['currencies'];
    periods: { rule: PeriodRule; regex: RegExp }[];
    recipient: { rule: RawRule; regex: RegExp };
    additional: { rule: RawRule; regex: RegExp };
    instruments: RuleSet<InstrumentRule>;
    nearMisses: RuleSet;
    neighbourLinks: RuleSet;
  };
  /** Ids of principle rules that count only beside a commitment modal. */
  needsCommitment: ReadonlySet<string>;
  /** The learned layer (learned.json), read where the rules say "not co-production"; null when the folder has none. */
  learned: LearnedModel | null;
  /** Every regex source with its id, for the safety tests. */
  allRules: readonly RawRule[];
}

const cache = new Map<string, CompiledRules>();

/** Load, validate (zod + regex shape) and compile the rules in `dir` (default data/rules); cached per folder. */
export function loadRules(dir: string = defaultRulesDir): CompiledRules {
  const key = path.resolve(dir);
  const cached = cache.get(key);
  if (cached) return cached;
  const compiled = compile(key);
  cache.set(key, compiled);
  return compiled;
}

function read<S extends z.ZodType>(dir: string, file: string, schema: S): z.infer<S> {
  const full = path.join(dir, file);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(full, 'utf8'));
  } catch (error) {
    throw new Error(`rules file ${full}: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new Error(`rules file ${full}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

function compile(dir: string): CompiledRules {
  const principles = read(dir, 'principles.json', principlesFileSchema);
  const nearMisses = read(dir, 'near-misses.json', nearMissesFileSchema);
  const counterparties = read(dir, 'counterparties.json', counterpartiesFileSchema);
  const mechanisms = read(dir, 'mechanisms.json', mechanismsFileSchema);
  const strength = read(dir, 'strength.json', strengthFileSchema);
  const funding = read(dir, 'funding.json', fundingFileSchema);
  const welsh = read(dir, 'welsh.json', welshFileSchema);
  const { version } = read(dir, 'version.json', versionFileSchema);
  const learned = existsSync(path.join(dir, 'learned.json')) ? compileLearned(read(dir, 'learned.json', learnedFileSchema)) : null;

  const catalogue = new Map(principles.catalogue.map((p) => [p.id, p]));
  const compositionsOf = (list: typeof principles.compositions) => (list ?? []).map((c) => new Composition(c));
  const enCompositions = compositionsOf(principles.compositions);
  const cyCompositions = compositionsOf(welsh.compositions);
  for (const rule of [...principles.rules, ...welsh.principles, ...(principles.compositions ?? []), ...(welsh.compositions ?? [])]) {
    for (const id of rule.principles) if (!catalogue.has(id)) throw new Error(`rule ${rule.id}: unknown principle ${id}`);
  }
  for (const mask of nearMisses.masks) {
    for (const id of mask.suppresses) if (!catalogue.has(id)) throw new Error(`rule ${mask.id}: unknown principle ${id}`);
  }

  const en: LanguageRules = {
    principles: new RuleSet(principles.rules),
    compositions: enCompositions,
    people: new RuleSet(counterparties.people),
    institutions: new RuleSet(counterparties.institutions),
    consultation: new RuleSet(mechanisms.consultation),
    roles: new RuleSet(mechanisms.roles),
    modals: new RuleSet(strength.modals),
    qualifiers: new RuleSet(strength.qualifiers),
    denials: new RuleSet(nearMisses.denials),
  };
  // Welsh texts are read with the Welsh rules first, then the English ones (shared, not compiled twice).
  const layer = <R extends RawRule>(welshRules: R[], english: Scanner<R>): Scanner<R> => new LayeredScanner([new RuleSet(welshRules), english]);
  const cy: LanguageRules = {
    principles: layer(welsh.principles, en.principles),
    compositions: [...cyCompositions, ...enCompositions],
    people: layer(welsh.people, en.people),
    institutions: layer(welsh.institutions, en.institutions),
    consultation: layer(welsh.consultation, en.consultation),
    roles: layer(welsh.roles, en.roles),
    modals: layer(welsh.modals, en.modals),
    qualifiers: layer(welsh.qualifiers, en.qualifiers),
    denials: layer(welsh.denials, en.denials),
  };

  const single = (rule: RawRule, flags: string, named = false) => {
    assertSafe(rule, { allowNamedGroups: named });
    return { rule, regex: new RegExp(rule.pattern, flags) };
  };
  const allRules: RawRule[] = [
    ...principles.rules,
    ...nearMisses.masks,
    ...nearMisses.domainGuards,
    ...nearMisses.denials,
    ...nearMisses.definitions,
    ...counterparties.people,
    ...counterparties.institutions,
    ...mechanisms.consultation,
    ...mechanisms.roles,
    ...mechanisms.parentheticals,
    ...strength.modals,
    ...strength.qualifiers,
    strength.statuteReference,
    strength.explanatoryHeading,
    ...(strength.principlesHeading ? [strength.principlesHeading] : []),
    ...(strength.subordinateModals ?? []),
    ...(strength.reportOfFact ? [strength.reportOfFact] : []),
    ...(strength.thirdParty ? [strength.thirdParty.ownCommitment] : []),
    ...funding.amounts,
    ...funding.periods,
    funding.recipient,
    funding.additional,
    ...funding.instruments,
    ...funding.nearMisses,
    ...funding.neighbourLinks,
    ...welsh.principles,
    ...welsh.people,
    ...welsh.institutions,
    ...welsh.consultation,
    ...welsh.roles,
    ...welsh.modals,
    ...welsh.qualifiers,
    ...welsh.denials,
    ...new Set([...enCompositions, ...cyCompositions].flatMap((c) => c.rawRules)),
  ];
  const ids = new Set<string>();
  for (const rule of allRules) {
    if (ids.has(rule.id)) throw new Error(`duplicate rule id ${rule.id}`);
    ids.add(rule.id);
  }

  return {
    version,
    dir,
    catalogue,
    en,
    cy,
    masks: new RuleSet(nearMisses.masks),
    domainGuards: new RuleSet(nearMisses.domainGuards),
    definitions: new RuleSet(nearMisses.definitions),
    parentheticals: new RuleSet(mechanisms.parentheticals),
    documentKindCaps: strength.documentKindCaps,
    statuteReference: single(strength.statuteReference, 'i').regex,
    explanatoryHeading: single(strength.explanatoryHeading, 'i').regex,
    principlesHeading: strength.principlesHeading ? single(strength.principlesHeading, 'i').regex : null,
    subordinateModals: new RuleSet(strength.subordinateModals ?? []),
    documentKindDefaults: strength.documentKindDefaults ?? {},
    reportOfFact: strength.reportOfFact ? single(strength.reportOfFact, 'i').regex : null,
    thirdParty: strength.thirdParty ? { documentKinds: new Set(strength.thirdParty.documentKinds), ownCommitment: single(strength.thirdParty.ownCommitment, 'i') } : null,
    funding: {
      amounts: funding.amounts.map((r) => single(r, 'gi', true)),
      units: funding.units,
      currencies: funding.currencies,
      periods: funding.periods.map((r) => single(r, 'i', true) as { rule: PeriodRule; regex: RegExp }),
      recipient: single(funding.recipient, 'i', true),
      additional: single(funding.additional, 'i'),
      instruments: new RuleSet(funding.instruments),
      nearMisses: new RuleSet(funding.nearMisses),
      neighbourLinks: new RuleSet(funding.neighbourLinks),
    },
    needsCommitment: new Set([...principles.rules, ...welsh.principles].filter((r) => r.needsCommitment).map((r) => r.id)),
    learned,
    allRules,
  };
}
