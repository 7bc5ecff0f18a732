import type { AlertEvent, OutgoingDelivery } from '../channel.js';

/** Bumped when the payload changes shape incompatibly; receivers can branch on `data.version`. */
export const WEBHOOK_PAYLOAD_VERSION = 1;

/**
 * The JSON body of a webhook: Standard Webhooks' `{type, timestamp, data}` envelope. It is built from the
 * delivery alone, so every attempt carries the same body (only the signature headers change): a receiver
 * that drops repeats by `webhook-id` loses nothing.
 *
 * `timestamp` is when the delivery's newest event was recorded, not when it was sent, for the same reason.
 */
export function webhookPayload(delivery: OutgoingDelivery, baseUrl: string | null): { type: string; timestamp: string; data: Record<string, unknown> } {
  const s = delivery.subscription;
  const newest = delivery.events.reduce((latest, e) => (e.createdAt > latest ? e.createdAt : latest), '');
  return {
    type: s.frequency === 'immediate' ? 'alert.immediate' : 'alert.digest',
    timestamp: newest || new Date(0).toISOString(),
    data: {
      version: WEBHOOK_PAYLOAD_VERSION,
      delivery: { id: delivery.messageId, window: delivery.windowKey },
      subscription: {
        id: s.id,
        target_type: s.target_type,
        target: parseJson(s.target),
        event_types: parseJson(s.event_types),
        frequency: s.frequency,
      },
      events: delivery.events.map((e) => eventPayload(e, baseUrl)),
      notices: delivery.notices,
    },
  };
}

function eventPayload(e: AlertEvent, baseUrl: string | null) {
  const absolute = (path: string) => (baseUrl ? baseUrl + path : null);
  const documentPath = `/documents/${encodeURI(e.document.id)}`;
  return {
    id: e.id,
    types: e.types,
    kind: e.kind,
    reasons: e.reasons,
    created_at: e.createdAt,
    path: e.path,
    url: absolute(e.path),
    document: { ...e.document, path: documentPath, url: absolute(documentPath) },
    version: e.version ? { id: e.version.id, label: e.version.label, valid_from: e.version.validFrom } : null,
    language: e.language,
    clause: e.clause,
    before: e.before && sidePayload(e.before),
    after: e.after && sidePayload(e.after),
  };
}

function sidePayload(side: NonNullable<AlertEvent['before']>) {
  return {
    clause_version_id: side.clauseVersionId,
    heading: side.heading,
    text: side.text,
    strength: side.strength,
    principles: side.principles,
    evidence: side.evidence,
    amounts: side.amounts,
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
