/** A drop to less than this share of the previous clause count, unexplained, means the parser broke. */
export const MAX_UNEXPLAINED_DROP = 0.5;

export type DriftVerdict = { suspect: false } | { suspect: true; reason: string };

/**
 * Sites change their markup far more often than Acts lose half their sections. A version with no
 * clauses, or one that silently loses more than half of them, is far more likely a broken parser than
 * a repeal, so it is quarantined: stored for inspection, never allowed to delete clauses or send alerts.
 */
export function checkParserDrift(previousCount: number | null, nextCount: number, explainedDrop?: string | null): DriftVerdict {
  if (nextCount === 0) return { suspect: true, reason: 'parser suspect: the version has no clauses' };
  if (previousCount !== null && previousCount > 0 && nextCount < previousCount * MAX_UNEXPLAINED_DROP && !explainedDrop) {
    return {
      suspect: true,
      reason: `parser suspect: clauses fell from ${previousCount} to ${nextCount} (more than ${MAX_UNEXPLAINED_DROP * 100}% lost) with no explanation`,
    };
  }
  return { suspect: false };
}
