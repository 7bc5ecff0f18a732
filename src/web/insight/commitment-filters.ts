import { z } from 'zod';
import { strengths } from '../../domain/strength.js';
import type { Commitment } from './current-commitments.js';
import { corePrinciples } from './principle-guide.js';
import { documentKindIds } from './labels.js';
import { jurisdictionParam, pageParam } from './query-params.js';

const principleIds = corePrinciples.map((p) => p.id) as [string, ...string[]];

export const commitmentQuery = z.object({
  principle: z.enum(principleIds, { message: 'principle must be one of the core principle ids listed on /principles' }).optional(),
  jurisdiction: jurisdictionParam.optional(),
  strength: z.enum(strengths, { message: `strength must be one of ${strengths.join(', ')}` }).optional(),
  funded: z.enum(['yes', 'no'], { message: 'funded must be yes or no' }).optional(),
  kind: z.enum(documentKindIds as [string, ...string[]], { message: `kind must be one of ${documentKindIds.join(', ')}` }).optional(),
  scope: z.enum(['law', 'proposed', 'all'], { message: 'scope must be law, proposed or all' }).default('all'),
  page: pageParam,
});
export type CommitmentQuery = z.infer<typeof commitmentQuery>;

export function filterCommitments(all: readonly Commitment[], q: CommitmentQuery): Commitment[] {
  return all.filter(
    (c) =>
      (!q.principle || c.principles.includes(q.principle)) &&
      (!q.jurisdiction || c.version.jurisdiction === q.jurisdiction) &&
      (!q.strength || c.strength === q.strength) &&
      (!q.funded || c.funded === (q.funded === 'yes')) &&
      (!q.kind || c.version.kind === q.kind) &&
      (q.scope === 'all' || c.version.proposed === (q.scope === 'proposed')),
  );
}
