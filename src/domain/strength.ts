/** Commitment strength, weakest first; the order is the embedding ladder's. */
export const strengths = ['none', 'aspiration', 'guidance', 'power', 'qualified_duty', 'duty'] as const;
export type Strength = (typeof strengths)[number];

export function strengthRank(strength: Strength): number {
  return strengths.indexOf(strength);
}
