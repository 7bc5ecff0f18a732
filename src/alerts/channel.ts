import type { Selectable } from 'kysely';
import type { SubscriptionsTable } from '../db/schema.js';

/** What a subscriber can ask to be told about; derived from a change event by src/alerts/event-types.ts. */
export const ALERT_EVENT_TYPES = [
  'new_document',
  'new_coproduction_clause',
  'clause_reworded',
  'duty_weakened',
  'duty_strengthened',
  'principle_gained',
  'principle_lost',
  'funding_announced',
  'funding_changed',
] as const;
export type AlertEventType = (typeof ALERT_EVENT_TYPES)[number];

/** One side of a clause change, as an alert shows it. */
export interface AlertClauseSide {
  clauseVersionId: number;
  text: string;
  heading: string | null;
  strength: string | null;
  principles: string[];
  /** Character offsets of the words that fired (for highlighting). */
  evidence: { start: number; end: number }[];
  /** Normalised amounts, e.g. "GBP 2300000 per-year". */
  amounts: string[];
}

/** A change event loaded with everything a message, feed entry or webhook payload shows. */
export interface AlertEvent {
  /** change_events.id */
  id: number;
  types: AlertEventType[];
  /** change_events.kind and the classifier's reasons (strength_weakened, principle_gained:<id>…). */
  kind: string;
  reasons: string[];
  createdAt: string;
  document: { id: string; title: string; kind: string; jurisdiction: string };
  version: { id: number; label: string; validFrom: string | null } | null;
  language: string | null;
  clause: { id: number; provision: string | null } | null;
  before: AlertClauseSide | null;
  after: AlertClauseSide | null;
  /** Site-relative link to the change: `/clauses/12#v34`, or the document page. */
  path: string;
}

/** One message to send: an immediate alert or a digest. Its id is the same on every attempt. */
export interface OutgoingDelivery {
  id: number;
  /** Email Message-ID (without angle brackets) or webhook-id. */
  messageId: string;
  windowKey: string;
  /** 1 on the first try. */
  attempt: number;
  subscription: Selectable<SubscriptionsTable>;
  events: AlertEvent[];
  /** Sentences for digests, e.g. a stale source ("gov.wales statements: no successful run since …"). */
  notices: string[];
}

export type SendOutcome =
  | { status: 'sent' }
  /** Try again later (SMTP 4xx, connection refused, webhook 5xx/429/timeout). */
  | { status: 'temporary'; error: string; retryAfterMs?: number }
  /** Never retry this message (SMTP 5xx, webhook 4xx); `bounce` counts towards suspending an address. */
  | { status: 'permanent'; error: string; bounce?: boolean }
  /** The receiver says the endpoint is gone for good (webhook 410): disable it. */
  | { status: 'gone'; error: string };

export interface Channel {
  readonly name: 'email' | 'webhook';
  send(delivery: OutgoingDelivery): Promise<SendOutcome>;
}
