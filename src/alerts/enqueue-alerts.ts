import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { chunked } from '../pipeline/version-queries.js';
import { loadAlertEvents } from './alert-events.js';
import { eventTypesOfRow, targetOfRow, wantedBy } from './subscription-targets.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Queues one alert_outbox row per (active subscription, change event) it wants. Called with the import's
 * transaction right after the events are written, so an event that exists has its alerts queued and a
 * rolled-back import queues nothing. Quarantined versions write no events, so they alert no one.
 * Idempotent: the (subscription, event) pair is unique. Returns the number of (subscription, event) pairs
 * wanted, rows already queued included.
 */
export async function enqueueAlerts(trx: Db, eventIds: readonly number[], now: Date = new Date()): Promise<number> {
  if (eventIds.length === 0) return 0;
  // Subscriptions first: with none, an import pays one indexed query and loads no events.
  const subscriptions = await trx.selectFrom('subscriptions').select(['id', 'target_type', 'target', 'event_types']).where('status', '=', 'active').execute();
  if (subscriptions.length === 0) return 0;
  const parsed = subscriptions.flatMap((s) => {
    try {
      return [{ id: s.id, target: targetOfRow(s), eventTypes: eventTypesOfRow(s) }];
    } catch {
      // A row that no longer parses (hand-edited) must not stop an import; it simply matches nothing.
      return [];
    }
  });
  // A new document's clauses are loaded only if some search or principle subscription wants new documents.
  const documentContents = parsed.some((s) => s.eventTypes.includes('new_document') && (s.target.type === 'search' || s.target.type === 'principle'));
  const events = (await loadAlertEvents(trx, eventIds, { documentContents })).filter((e) => e.types.length > 0);
  if (events.length === 0) return 0;
  const rows: { subscription_id: number; change_event_id: number; delivery_id: null; created_at: string }[] = [];
  const createdAt = now.toISOString();
  for (const s of parsed) {
    for (const e of wantedBy(s.target, s.eventTypes, events)) rows.push({ subscription_id: s.id, change_event_id: e.id, delivery_id: null, created_at: createdAt });
  }
  for (const batch of chunked(rows, 400)) {
    await trx
      .insertInto('alert_outbox')
      .values(batch)
      .onConflict((oc) => oc.columns(['subscription_id', 'change_event_id']).doNothing())
      .execute();
  }
  return rows.length;
}
