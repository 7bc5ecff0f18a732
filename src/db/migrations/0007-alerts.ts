import type { Kysely } from 'kysely';
import { withIdColumn } from './portable.js';

/**
 * Alerts (issue 7). A subscription follows a target (saved search, document, clause, principle) for some
 * event types and is delivered by email (to a subscriber) or by webhook (to an endpoint).
 *
 * The outbox holds one row per (subscription, change event), written in the transaction that wrote the
 * event, so an event that exists has its alerts queued. A delivery is one message (an immediate alert or
 * a digest): the dispatcher first records it with its Message-ID / webhook id and the outbox rows it
 * carries, commits, then sends, then marks it sent — a crash between "accepted" and "marked" resends
 * the same message with the same id, and nothing else can duplicate or lose an alert.
 *
 * Tokens (confirmation, manage/unsubscribe) are stored only as SHA-256 hex of the random token.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await withIdColumn(db, db.schema.createTable('subscribers'))
    /** Normalised (trimmed, lower-cased) address; never rendered in a page, feed or export. */
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('hard_bounces', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await withIdColumn(db, db.schema.createTable('webhook_endpoints'))
    .addColumn('url', 'text', (c) => c.notNull())
    /** `whsec_` + base64 of 32 random bytes (Standard Webhooks). */
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('disabled_reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await withIdColumn(db, db.schema.createTable('subscriptions'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('subscriber_id', 'integer', (c) => c.references('subscribers.id'))
    .addColumn('webhook_id', 'integer', (c) => c.references('webhook_endpoints.id'))
    /** search | document | clause | principle */
    .addColumn('target_type', 'text', (c) => c.notNull())
    /** JSON, by target_type: {q, filters} | {documentId} | {clauseId} | {principle, jurisdiction?} */
    .addColumn('target', 'text', (c) => c.notNull())
    /** JSON array of AlertEventType */
    .addColumn('event_types', 'text', (c) => c.notNull())
    /** immediate | daily | weekly */
    .addColumn('frequency', 'text', (c) => c.notNull())
    /** en | cy */
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('en'))
    /** pending (not confirmed) | active | paused | suspended | deleted */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('suspended_reason', 'text')
    .addColumn('confirm_token_hash', 'text', (c) => c.unique())
    .addColumn('confirm_expires_at', 'text')
    .addColumn('manage_token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('subscriptions_target').on('subscriptions').columns(['status', 'target_type']).execute();

  await withIdColumn(db, db.schema.createTable('alert_deliveries'))
    .addColumn('subscription_id', 'integer', (c) => c.notNull().references('subscriptions.id'))
    .addColumn('channel', 'text', (c) => c.notNull())
    /** immediate: `event:<first event id>`; digests: `daily:2026-11-25`, `weekly:2026-11-23`. */
    .addColumn('window_key', 'text', (c) => c.notNull())
    /** Email Message-ID or webhook-id; the same on every attempt. */
    .addColumn('message_id', 'text', (c) => c.notNull().unique())
    /** pending | sent | failed (permanent) | dropped (subscription gone) */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addUniqueConstraint('alert_deliveries_window', ['subscription_id', 'window_key'])
    .execute();
  await db.schema.createIndex('alert_deliveries_due').on('alert_deliveries').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('alert_deliveries_sent').on('alert_deliveries').column('sent_at').execute();

  await withIdColumn(db, db.schema.createTable('alert_outbox'))
    .addColumn('subscription_id', 'integer', (c) => c.notNull().references('subscriptions.id'))
    .addColumn('change_event_id', 'integer', (c) => c.notNull().references('change_events.id'))
    /** Set when a delivery takes the row; null while it waits for its window. */
    .addColumn('delivery_id', 'integer', (c) => c.references('alert_deliveries.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('alert_outbox_once', ['subscription_id', 'change_event_id'])
    .execute();
  await db.schema.createIndex('alert_outbox_waiting').on('alert_outbox').columns(['delivery_id', 'subscription_id']).execute();
  await db.schema.createIndex('alert_outbox_delivery').on('alert_outbox').column('delivery_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['alert_outbox', 'alert_deliveries', 'subscriptions', 'webhook_endpoints', 'subscribers']) {
    await db.schema.dropTable(table).execute();
  }
}
