import { strengthRank, strengths, type Strength } from '../domain/strength.js';
import { ALERT_EVENT_TYPES, type AlertEventType } from './channel.js';

/** One side of a clause change, as far as deciding its alert types needs (effective tags: reviews win). */
export interface EventSideFacts {
  clauseVersionId: number;
  text: string;
  coproduction: boolean;
  strength: string | null;
  principles: readonly string[];
  amounts: readonly string[];
}

export interface EventTypeInput {
  /** change_events.kind */
  kind: string;
  /** The classifier's reasons from change_events.detail. */
  reasons: readonly string[];
  before: EventSideFacts | null;
  after: EventSideFacts | null;
}

/** Words for the subscribe form, the manage page and messages ("commitment weakened", never "strength"). */
export const alertEventTypeNames: Record<AlertEventType, { en: string; cy: string }> = {
  new_document: { en: 'New document', cy: 'Dogfen newydd' },
  new_coproduction_clause: { en: 'New co-production clause', cy: 'Cymal cyd-gynhyrchu newydd' },
  clause_reworded: { en: 'Clause reworded', cy: 'Cymal wedi’i aileirio' },
  duty_weakened: { en: 'Commitment weakened', cy: 'Ymrwymiad wedi’i wanhau' },
  duty_strengthened: { en: 'Commitment strengthened', cy: 'Ymrwymiad wedi’i gryfhau' },
  principle_gained: { en: 'Principle gained', cy: 'Egwyddor wedi’i hennill' },
  principle_lost: { en: 'Principle lost', cy: 'Egwyddor wedi’i cholli' },
  funding_announced: { en: 'Funding announced', cy: 'Cyllid wedi’i gyhoeddi' },
  funding_changed: { en: 'Funding changed or removed', cy: 'Cyllid wedi newid neu wedi’i ddileu' },
};

/**
 * What a change event means to a subscriber. Only changes in the text of the law (or of a document)
 * alert:
 *
 * | change_events.kind        | condition                                     | alert types                           |
 * |---------------------------|-----------------------------------------------|---------------------------------------|
 * | document_added            | –                                             | new_document                          |
 * | added                     | effective tag says co-production              | new_coproduction_clause               |
 * | added                     | money attached                                | funding_announced                     |
 * | reworded / moved          | the same clause version on both sides         | none (a newer matcher re-read it)     |
 * | reworded                  | text differs                                  | clause_reworded                       |
 * | reworded / moved          | strength_weakened / strength_strengthened     | duty_weakened / duty_strengthened     |
 * | reworded / moved          | principle_gained:* / principle_lost:*         | principle_gained / principle_lost     |
 * | reworded / moved          | funding_added / funding_changed, _removed     | funding_announced / funding_changed   |
 * | removed                   | it was co-production with a strength > none   | duty_weakened (a duty repealed is the |
 * |                           | it had principles / money                     | strongest weakening), principle_lost, |
 * |                           |                                               | funding_changed                       |
 * | retagged, withdrawn, language_added | –                                   | none                                  |
 *
 * Retagging never alerts: the law did not change. Withdrawn documents do not alert (issue 7 scope).
 */
export function alertEventTypes(input: EventTypeInput): AlertEventType[] {
  const out = new Set<AlertEventType>();
  const { before, after } = input;
  switch (input.kind) {
    case 'document_added':
      out.add('new_document');
      break;
    case 'added':
      if (after?.coproduction) out.add('new_coproduction_clause');
      if (after && after.amounts.length > 0) out.add('funding_announced');
      break;
    case 'removed':
      if (before?.coproduction && rank(before.strength) > rank('none')) out.add('duty_weakened');
      if (before && before.principles.length > 0) out.add('principle_lost');
      if (before && before.amounts.length > 0) out.add('funding_changed');
      break;
    case 'reworded':
    case 'moved': {
      // Same clause version on both sides: only the tags changed (a newer matcher), not the law.
      if (before && after && before.clauseVersionId === after.clauseVersionId) break;
      if (input.kind === 'reworded' && (!before || !after || before.text !== after.text)) out.add('clause_reworded');
      for (const reason of input.reasons) {
        const type = typeOfReason(reason);
        if (type) out.add(type);
      }
      break;
    }
    default:
      break;
  }
  // Keep the canonical order of ALERT_EVENT_TYPES, so messages and payloads read the same every time.
  return ALERT_EVENT_TYPES.filter((t) => out.has(t));
}

/** The change_events kinds that can carry each alert type (the table above, read the other way). */
const kindsOfType: Record<AlertEventType, readonly string[]> = {
  new_document: ['document_added'],
  new_coproduction_clause: ['added'],
  clause_reworded: ['reworded'],
  duty_weakened: ['reworded', 'moved', 'removed'],
  duty_strengthened: ['reworded', 'moved'],
  principle_gained: ['reworded', 'moved'],
  principle_lost: ['reworded', 'moved', 'removed'],
  funding_announced: ['added', 'reworded', 'moved'],
  funding_changed: ['reworded', 'moved', 'removed'],
};

/** change_events kinds worth loading for these alert types: lets previews and feeds filter in SQL first. */
export function changeKindsFor(types: readonly AlertEventType[]): string[] {
  return [...new Set(types.flatMap((t) => kindsOfType[t]))].sort();
}


function typeOfReason(reason: string): AlertEventType | null {
  if (reason === 'strength_weakened') return 'duty_weakened';
  if (reason === 'strength_strengthened') return 'duty_strengthened';
  if (reason.startsWith('principle_gained:')) return 'principle_gained';
  if (reason.startsWith('principle_lost:')) return 'principle_lost';
  if (reason === 'funding_added') return 'funding_announced';
  if (reason === 'funding_changed' || reason === 'funding_removed') return 'funding_changed';
  return null;
}

function rank(strength: string | null): number {
  return (strengths as readonly string[]).includes(strength ?? '') ? strengthRank(strength as Strength) : 0;
}
