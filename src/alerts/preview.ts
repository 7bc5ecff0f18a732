import type { Kysely } from 'kysely';
import type { ChangeKind, Database } from '../db/schema.js';
import { loadAlertEvents } from './alert-events.js';
import type { AlertEvent, AlertEventType } from './channel.js';
import { changeKindsFor } from './event-types.js';
import { wantedBy, type SubscriptionTarget } from './subscription-targets.js';

export interface SubscriptionPreview {
  /** Matching events created in the last 7 and 30 days. */
  last7Days: number;
  last30Days: number;
  /** The most recent matching event, at any time (within the scan). */
  latest: AlertEvent | null;
  /** True when more events than the scan limit were looked at: counts are then "at least". */
  capped: boolean;
}

export interface PreviewOptions {
  now?: Date;
  /** Most recent change events examined. Default 2 000. */
  scanLimit?: number;
}

const DAY_MS = 24 * 3600_000;

/**
 * What a would-be subscription would have sent: how many matching changes in the last 7 and 30 days and
 * the latest one, so a subscriber sees before confirming whether the alert is a trickle or a flood. Runs
 * the same matching as enqueueAlerts, over the newest events first.
 */
export async function previewSubscription(db: Kysely<Database>, target: SubscriptionTarget, eventTypes: readonly AlertEventType[], options: PreviewOptions = {}): Promise<SubscriptionPreview> {
  const now = options.now ?? new Date();
  const scanLimit = options.scanLimit ?? 2000;
  // Only the kinds that can carry the wanted types are loaded at all (see event-types.ts).
  const kinds = changeKindsFor(eventTypes);
  if (kinds.length === 0) return { last7Days: 0, last30Days: 0, latest: null, capped: false };
  // A new document's clauses are only needed when a search or principle might match one.
  const documentContents = kinds.includes('document_added') && (target.type === 'search' || target.type === 'principle');
  const since7 = new Date(now.getTime() - 7 * DAY_MS).toISOString();
  const since30 = new Date(now.getTime() - 30 * DAY_MS).toISOString();
  let query = db.selectFrom('change_events').select(['id', 'created_at']).where('kind', 'in', kinds as ChangeKind[]);
  if (target.type === 'document') query = query.where('document_id', '=', target.documentId);
  if (target.type === 'clause') query = query.where('clause_id', '=', target.clauseId);
  const preview: SubscriptionPreview = { last7Days: 0, last30Days: 0, latest: null, capped: false };
  let scanned = 0;
  let beforeId: number | null = null;
  for (;;) {
    let page = query.orderBy('id', 'desc').limit(500);
    if (beforeId !== null) page = page.where('id', '<', beforeId);
    const rows = await page.execute();
    if (rows.length === 0) break;
    beforeId = rows[rows.length - 1]!.id;
    const matched = wantedBy(target, eventTypes, await loadAlertEvents(db, rows.map((r) => r.id), { documentContents }));
    for (const e of matched) {
      if (e.createdAt >= since30) preview.last30Days++;
      if (e.createdAt >= since7) preview.last7Days++;
      if (!preview.latest || e.id > preview.latest.id) preview.latest = e;
    }
    scanned += rows.length;
    // Older than 30 days and a latest event found: nothing further can change the answer.
    if (preview.latest && rows[rows.length - 1]!.created_at < since30) break;
    if (scanned >= scanLimit) {
      preview.capped = rows.length === 500;
      break;
    }
  }
  return preview;
}
