import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, SubscriptionsTable, WebhookEndpointsTable } from '../../db/schema.js';
import type { AlertEventType } from '../channel.js';
import { checkWebhookUrl, type AddressPolicy, type Resolver } from './address-guard.js';
import { newWebhookSecret } from './sign.js';

type Db = Kysely<Database> | Transaction<Database>;
export type WebhookEndpoint = Selectable<WebhookEndpointsTable>;

export const LABEL_MAX = 120;

/**
 * Registers an endpoint after checking its URL (form and DNS: see address-guard.ts). Returns the row
 * with its secret, which the admin sees once; it is stored because every message is signed with it.
 */
export async function createWebhookEndpoint(
  db: Db,
  input: { url: string; label: string },
  policy: AddressPolicy = {},
  resolve?: Resolver,
): Promise<WebhookEndpoint> {
  const url = await checkWebhookUrl(input.url, policy, resolve);
  const label = input.label.trim().slice(0, LABEL_MAX) || url.host;
  return db
    .insertInto('webhook_endpoints')
    .values({ url: url.href, secret: newWebhookSecret(), label, status: 'active', disabled_reason: null, created_at: new Date().toISOString() })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Stops sending to an endpoint (410 from the receiver, or the admin); its waiting alerts stay in the ledger. */
export async function disableWebhookEndpoint(db: Db, id: number, reason: string): Promise<void> {
  await db.updateTable('webhook_endpoints').set({ status: 'disabled', disabled_reason: reason.slice(0, 500) }).where('id', '=', id).execute();
}

/** Turns an endpoint back on, checking its URL again first (DNS may have changed since it was saved). */
export async function enableWebhookEndpoint(db: Db, id: number, policy: AddressPolicy = {}, resolve?: Resolver): Promise<void> {
  const endpoint = await db.selectFrom('webhook_endpoints').select('url').where('id', '=', id).executeTakeFirstOrThrow();
  await checkWebhookUrl(endpoint.url, policy, resolve);
  await db.updateTable('webhook_endpoints').set({ status: 'active', disabled_reason: null }).where('id', '=', id).execute();
}

/** A new secret, shown once; messages signed with the old one stop verifying at once. */
export async function rotateWebhookSecret(db: Db, id: number): Promise<string> {
  const secret = newWebhookSecret();
  await db.updateTable('webhook_endpoints').set({ secret }).where('id', '=', id).execute();
  return secret;
}

export interface WebhookSubscriptionInput {
  webhookId: number;
  targetType: SubscriptionsTable['target_type'];
  /** The target JSON, already validated (subscription-targets.ts). */
  target: unknown;
  eventTypes: readonly AlertEventType[];
  frequency: SubscriptionsTable['frequency'];
}

/**
 * A subscription delivered to an endpoint. Active at once: the admin who makes it is trusted, so there is
 * no confirmation step. It has no manage link (the admin page manages it), but manage_token_hash is
 * required and unique, so it gets the hash of a random token that nobody keeps.
 */
export async function createWebhookSubscription(db: Db, input: WebhookSubscriptionInput): Promise<Selectable<SubscriptionsTable>> {
  const now = new Date().toISOString();
  return db
    .insertInto('subscriptions')
    .values({
      channel: 'webhook',
      subscriber_id: null,
      webhook_id: input.webhookId,
      target_type: input.targetType,
      target: JSON.stringify(input.target),
      event_types: JSON.stringify(input.eventTypes),
      frequency: input.frequency,
      language: 'en',
      status: 'active',
      suspended_reason: null,
      confirm_token_hash: null,
      confirm_expires_at: null,
      manage_token_hash: createHash('sha256').update(randomBytes(32)).digest('hex'),
      created_at: now,
      confirmed_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Pause, resume or delete one webhook subscription (deleted ones stay for the delivery ledger). */
export async function setWebhookSubscriptionStatus(db: Db, webhookId: number, subscriptionId: number, status: 'active' | 'paused' | 'deleted'): Promise<boolean> {
  const result = await db
    .updateTable('subscriptions')
    .set({ status, updated_at: new Date().toISOString() })
    .where('id', '=', subscriptionId)
    .where('webhook_id', '=', webhookId)
    .where('channel', '=', 'webhook')
    .where('status', '!=', 'deleted')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
