import { amountText, clausePath, documentPath, formatDay } from '../documents/labels.js';
import type { Commitment } from './current-commitments.js';
import { provisionOf } from './current-commitments.js';
import { jurisdictionName, kindName, strengthName } from './labels.js';
import { principleLabel } from './principle-guide.js';

/** Formatting functions the insight views call (passed with each render; they format, never fetch). */
export const insightHelpers = { amountText, clausePath, documentPath, formatDay, jurisdictionName, kindName, principleLabel, provisionOf, strengthName, excerpt };

/** The first `max` characters of a clause, cut at a word. */
export function excerpt(text: string, max = 240): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${cut.slice(0, space > max * 0.6 ? space : max)}…`;
}

export function commitmentPath(c: Commitment): string {
  return clausePath(c.clauseId, c.clauseVersionId);
}
