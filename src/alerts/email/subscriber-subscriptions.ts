import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, SubscriptionsTable } from '../../db/schema.js';
import type { AlertEventType } from '../channel.js';
import { targetJson, type SubscriptionTarget } from '../subscription-targets.js';
import { hashToken, isTokenShaped, manageTokenFor, newConfirmToken } from '../tokens.js';

export const frequencies = ['immediate', 'daily', 'weekly'] as const;
export type Frequency = (typeof frequencies)[number];

export interface SubscribeRequest {
  email: string;
  target: SubscriptionTarget;
  eventTypes: AlertEventType[];
  frequency: Frequency;
  language: 'en' | 'cy';
}

/** Addresses are compared trimmed and lower-cased (the local part is case-sensitive in theory, never in practice). */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Records a pending (unconfirmed) email subscription and returns the confirmation token to mail. The
 * subscriber row is shared by every subscription of an address; a new address and a known one take the
 * same path. The manage token is derived from the new row's id, so the row is written with a random
 * placeholder hash and updated in the same transaction.
 */
export async function createPendingSubscription(db: Kysely<Database>, request: SubscribeRequest, secret: string, now: Date = new Date()): Promise<{ subscriptionId: number; confirmToken: string }> {
  const at = now.toISOString();
  const email = normaliseEmail(request.email);
  const confirm = newConfirmToken(now);
  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto('subscribers')
      .values({ email, hard_bounces: 0, created_at: at })
      .onConflict((oc) => oc.column('email').doNothing())
      .execute();
    const subscriber = await trx.selectFrom('subscribers').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    const inserted = await trx
      .insertInto('subscriptions')
      .values({
        channel: 'email',
        subscriber_id: subscriber.id,
        webhook_id: null,
        target_type: request.target.type,
        target: targetJson(request.target),
        event_types: JSON.stringify(request.eventTypes),
        frequency: request.frequency,
        language: request.language,
        status: 'pending',
        suspended_reason: null,
        confirm_token_hash: confirm.hash,
        confirm_expires_at: confirm.expiresAt,
        manage_token_hash: hashToken(`placeholder:${randomBytes(16).toString('hex')}`),
        created_at: at,
        confirmed_at: null,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.updateTable('subscriptions').set({ manage_token_hash: hashToken(manageTokenFor(secret, inserted.id)) }).where('id', '=', inserted.id).execute();
    return { subscriptionId: inserted.id, confirmToken: confirm.token };
  });
}

export type Subscription = Selectable<SubscriptionsTable>;

export type ConfirmState = 'unknown' | 'expired' | 'used' | 'ready';

/** What a confirmation link is: never seen, past its 48 hours, already used, or ready to confirm. */
export async function confirmState(db: Kysely<Database>, token: string, now: Date = new Date()): Promise<{ state: ConfirmState; subscription: Subscription | null }> {
  if (!isTokenShaped(token)) return { state: 'unknown', subscription: null };
  const subscription = (await db.selectFrom('subscriptions').selectAll().where('confirm_token_hash', '=', hashToken(token)).executeTakeFirst()) ?? null;
  if (!subscription) return { state: 'unknown', subscription: null };
  if (subscription.status !== 'pending') return { state: 'used', subscription };
  if (!subscription.confirm_expires_at || subscription.confirm_expires_at <= now.toISOString()) return { state: 'expired', subscription };
  return { state: 'ready', subscription };
}

/**
 * Confirms once: the update only matches a pending, unexpired row, so two concurrent posts of the same link
 * confirm one subscription once. The token hash is kept, so a second use is told "already used". An older
 * subscription of the same address to the same target is retired (the newest settings win).
 */
export async function confirmSubscription(db: Kysely<Database>, token: string, now: Date = new Date()): Promise<{ state: ConfirmState; subscription: Subscription | null; confirmed: boolean }> {
  if (!isTokenShaped(token)) return { state: 'unknown', subscription: null, confirmed: false };
  const at = now.toISOString();
  const confirmed = await db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('subscriptions')
      .set({ status: 'active', confirmed_at: at, updated_at: at })
      .where('confirm_token_hash', '=', hashToken(token))
      .where('status', '=', 'pending')
      .where('confirm_expires_at', '>', at)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return false;
    // Signing up again for the same thing replaces the old settings rather than doubling every alert.
    const mine = await trx.selectFrom('subscriptions').select(['id', 'subscriber_id', 'target_type', 'target']).where('confirm_token_hash', '=', hashToken(token)).executeTakeFirstOrThrow();
    if (mine.subscriber_id !== null) {
      await trx
        .updateTable('subscriptions')
        .set({ status: 'deleted', updated_at: at })
        .where('subscriber_id', '=', mine.subscriber_id)
        .where('target_type', '=', mine.target_type)
        .where('target', '=', mine.target)
        .where('id', '!=', mine.id)
        .where('status', 'in', ['active', 'paused', 'suspended'])
        .execute();
    }
    return true;
  });
  const { state, subscription } = await confirmState(db, token, now);
  return { state, subscription, confirmed };
}

/** The email subscription a manage/unsubscribe token belongs to (deleted ones included), or null. */
export async function subscriptionByManageToken(db: Kysely<Database>, token: string): Promise<Subscription | null> {
  if (!isTokenShaped(token)) return null;
  const row = await db.selectFrom('subscriptions').selectAll().where('manage_token_hash', '=', hashToken(token)).where('channel', '=', 'email').executeTakeFirst();
  return row ?? null;
}

export interface SubscriptionChanges {
  frequency?: Frequency;
  eventTypes?: AlertEventType[];
  language?: 'en' | 'cy';
}

export async function updateSubscription(db: Kysely<Database>, id: number, changes: SubscriptionChanges, now: Date = new Date()): Promise<void> {
  await db
    .updateTable('subscriptions')
    .set({
      ...(changes.frequency ? { frequency: changes.frequency } : {}),
      ...(changes.eventTypes ? { event_types: JSON.stringify(changes.eventTypes) } : {}),
      ...(changes.language ? { language: changes.language } : {}),
      updated_at: now.toISOString(),
    })
    .where('id', '=', id)
    .where('status', '!=', 'deleted')
    .execute();
}

/** Pause (alerts wait unsent) or resume an active subscription; resuming a suspended one forgives the address's bounces. */
export async function setPaused(db: Kysely<Database>, subscription: Subscription, paused: boolean, now: Date = new Date()): Promise<void> {
  const at = now.toISOString();
  if (paused) {
    await db.updateTable('subscriptions').set({ status: 'paused', updated_at: at }).where('id', '=', subscription.id).where('status', '=', 'active').execute();
    return;
  }
  await db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('subscriptions')
      .set({ status: 'active', suspended_reason: null, updated_at: at })
      .where('id', '=', subscription.id)
      .where('status', 'in', ['paused', 'suspended'])
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 1 && subscription.status === 'suspended' && subscription.subscriber_id !== null) {
      await trx.updateTable('subscribers').set({ hard_bounces: 0 }).where('id', '=', subscription.subscriber_id).execute();
    }
  });
}

/** Unsubscribing and deleting are the same: the row stays (its deliveries refer to it) but nothing is sent again. */
export async function deleteSubscription(db: Kysely<Database>, id: number, now: Date = new Date()): Promise<void> {
  await db.updateTable('subscriptions').set({ status: 'deleted', updated_at: now.toISOString() }).where('id', '=', id).execute();
}

/** How long an unconfirmed subscription outlives its expired link (so the link still says "expired" for a while). */
const PENDING_KEPT_AFTER_EXPIRY_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Keeps addresses no longer than they are needed: unconfirmed subscriptions go a week after their link
 * expired, and an address left with no live subscription (all deleted or unsubscribed, or never
 * confirmed) is overwritten with a tombstone; the row stays because past deliveries refer to it.
 * Run by the dispatcher on every pass.
 */
export async function purgeAbandoned(db: Kysely<Database>, now: Date = new Date()): Promise<{ pendingDeleted: number; addressesErased: number }> {
  const cutoff = new Date(now.getTime() - PENDING_KEPT_AFTER_EXPIRY_MS).toISOString();
  return db.transaction().execute(async (trx) => {
    const pending = await trx.deleteFrom('subscriptions').where('status', '=', 'pending').where('confirm_expires_at', '<', cutoff).executeTakeFirst();
    const erased = await trx
      .updateTable('subscribers')
      .set({ email: sql<string>`'erased-' || id || '@erased.invalid'`, hard_bounces: 0 })
      .where('email', 'not like', 'erased-%@erased.invalid')
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('subscriptions as s').select('s.id').whereRef('s.subscriber_id', '=', 'subscribers.id').where('s.status', '!=', 'deleted'))),
      )
      .executeTakeFirst();
    return { pendingDeleted: Number(pending.numDeletedRows), addressesErased: Number(erased.numUpdatedRows) };
  });
}
