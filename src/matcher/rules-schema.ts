import { z } from 'zod';
import { strengths } from '../domain/strength.js';

/**
 * Zod schemas for the rule files in data/rules/. Every rule carries an id (shown in evidence spans) and a
 * case-insensitive regex source; the loader also checks each source for shapes that backtrack badly.
 */
const ruleId = z.string().regex(/^[a-z_]+:[a-z0-9_./-]+$/, 'rule ids look like `kind:name/detail`');

export const ruleSchema = z.object({
  id: ruleId,
  pattern: z.string().min(1).max(4000),
  description: z.string().optional(),
  /** Compile without the `i` flag (named funds are recognised by their capitals). */
  caseSensitive: z.boolean().optional(),
});
export type RawRule = z.infer<typeof ruleSchema>;

const principleRule = ruleSchema.extend({
  principles: z.array(z.string()).min(1),
  weight: z.number().min(0).max(10).optional(),
  /** The phrase names citizens as the actors (participatory budgeting, user-led, time credits): no institution-only penalty (E1). */
  impliesPeople: z.boolean().optional(),
  /** A weak cue ('involve people') that counts only where the clause or its lead-in commits (must, should, will, need to…). */
  needsCommitment: z.boolean().optional(),
});
const compositionRule = z.object({
  id: ruleId,
  principles: z.array(z.string()).min(1),
  weight: z.number().min(0).max(10).optional(),
  role: z.string().min(1).max(4000),
  object: z.string().min(1).max(4000),
  window: z.number().int().min(20).max(400),
  maxGap: z.number().int().min(0).max(400).optional(),
  roleFirst: z.boolean().optional(),
  description: z.string().optional(),
});
const maskRule = ruleSchema.extend({ suppresses: z.array(z.string()).min(1) });
const guardRule = ruleSchema.extend({ penalty: z.number().min(0).max(20) });
const modalRule = ruleSchema.extend({
  strength: z.enum(strengths),
  negation: z.boolean().optional(),
  /** The strength this cue has in guidance and codes, where it differs (an imperative instructs there, §7 guidance row). */
  inGuidance: z.enum(strengths).optional(),
});
const instrumentRule = ruleSchema.extend({ tier: z.union([z.literal(1), z.literal(2)]), coproductionLink: z.boolean().optional() });
const periodRule = ruleSchema.extend({ period: z.string() });
const comment = { $comment: z.string() };

export const principlesFileSchema = z.object({
  ...comment,
  catalogue: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z_]+$/),
        kind: z.enum(['core', 'adjacent']),
        weight: z.number().min(0).max(10),
        individualLevel: z.boolean().optional(),
        alwaysAmbiguous: z.boolean().optional(),
        description: z.string().optional(),
      }),
    )
    .min(1),
  rules: z.array(principleRule),
  /** Role + object + person in one sentence (taxonomy §1 B): see src/matcher/compositions.ts. */
  compositions: z.array(compositionRule).optional(),
});

export const nearMissesFileSchema = z.object({
  ...comment,
  masks: z.array(maskRule),
  domainGuards: z.array(guardRule),
  denials: z.array(ruleSchema),
  definitions: z.array(ruleSchema),
});

export const counterpartiesFileSchema = z.object({ ...comment, people: z.array(ruleSchema), institutions: z.array(ruleSchema) });

export const mechanismsFileSchema = z.object({
  ...comment,
  consultation: z.array(ruleSchema),
  roles: z.array(ruleSchema),
  parentheticals: z.array(ruleSchema),
});

export const strengthFileSchema = z.object({
  ...comment,
  modals: z.array(modalRule),
  qualifiers: z.array(ruleSchema),
  documentKindCaps: z.record(z.string(), z.enum(strengths)),
  statuteReference: ruleSchema,
  explanatoryHeading: ruleSchema,
  /** Headings of statutory principle lists ("General principles"): a must-item there is read under the list's have-regard lead-in (§7 qualified_duty note). */
  principlesHeading: ruleSchema.optional(),
  /** Modals inside subordinate clauses ("by such time as the Ministers may direct", "considers it should") that govern nothing in the clause (§7.1). */
  subordinateModals: z.array(ruleSchema).optional(),
  /** Strength of a co-production clause with no governing modal, by document kind (§7: guidance states expectations, statements aspirations). */
  documentKindDefaults: z.record(z.string(), z.enum(strengths)).optional(),
  /** Definitions, descriptions and reports of fact: no default strength applies to them (§7 none row). */
  reportOfFact: ruleSchema.optional(),
  /**
   * Text in a third party's own words (document kinds such as `other`: explainers, news, charities' pages): it
   * describes duties and predicts what others will do, which commits no one (§7 none row), so its strength is
   * `aspiration` where the writer commits itself (`ownCommitment`, in the clause or its lead-in) and none otherwise.
   */
  thirdParty: z.object({ documentKinds: z.array(z.string()), ownCommitment: ruleSchema }).optional(),
});

export const fundingFileSchema = z.object({
  ...comment,
  amounts: z.array(ruleSchema),
  units: z.record(z.string(), z.number().positive()),
  currencies: z.record(z.string(), z.enum(['GBP', 'EUR', 'USD'])),
  periods: z.array(periodRule),
  recipient: ruleSchema,
  additional: ruleSchema,
  instruments: z.array(instrumentRule),
  nearMisses: z.array(ruleSchema),
  neighbourLinks: z.array(ruleSchema),
});

export const welshFileSchema = z.object({
  ...comment,
  principles: z.array(principleRule),
  compositions: z.array(compositionRule).optional(),
  people: z.array(ruleSchema),
  institutions: z.array(ruleSchema),
  consultation: z.array(ruleSchema),
  roles: z.array(ruleSchema),
  modals: z.array(modalRule),
  qualifiers: z.array(ruleSchema),
  denials: z.array(ruleSchema),
});

export const versionFileSchema = z.object({ ...comment, version: z.string().regex(/^\d{4}\.\d{2}\.\d{2}-\d+$/) });

export type PrinciplesFile = z.infer<typeof principlesFileSchema>;
export type PrincipleRule = z.infer<typeof principleRule>;
export type MaskRule = z.infer<typeof maskRule>;
export type GuardRule = z.infer<typeof guardRule>;
export type ModalRule = z.infer<typeof modalRule>;
export type InstrumentRule = z.infer<typeof instrumentRule>;
export type PeriodRule = z.infer<typeof periodRule>;
export type FundingFile = z.infer<typeof fundingFileSchema>;
export type StrengthFile = z.infer<typeof strengthFileSchema>;
