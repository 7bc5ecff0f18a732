import { purgeAbandoned } from './email/subscriber-subscriptions.js';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import cron from 'node-cron';
import type { ScheduledTask } from 'node-cron';
import type { Kysely, Selectable } from 'kysely';
import type { AlertDeliveriesTable, Database } from '../db/schema.js';
import type { Logger } from '../logger.js';
import { withLease } from '../scheduling/lease.js';
import { loadAlertEvents } from './alert-events.js';
import type { Channel, OutgoingDelivery, SendOutcome } from './channel.js';
import { formDeliveries } from './deliveries.js';
import { digestCronExpressions } from './digest-windows.js';
import { staleSourceNotices, type ScheduledSource } from './stale-sources.js';

export interface DispatcherOptions {
  db: Kysely<Database>;
  /** The channels to send through; a delivery whose channel is missing waits (and is logged). */
  channels: Partial<Record<'email' | 'webhook', Channel>>;
  log?: Logger;
  /** Clock, for tests. Default the real one. */
  now?: () => Date;
  /** Messages per second over all channels. Default ALERTS_RATE_PER_SECOND or 10. */
  ratePerSecond?: number;
  /** How often the loop looks for waiting alerts and due retries. Default 5 000 ms. */
  pollMs?: number;
  /** London hour at which digests go out. Default 7. */
  digestHour?: number;
  /** See FormOptions.maxEventsPerAlert. Default 50. */
  maxEventsPerAlert?: number;
  /** Sources whose staleness digests mention; default none. */
  sources?: readonly ScheduledSource[];
  /** Lease holder. Default ALERTS_DISPATCHER_ID, else host:pid:random. A stable id lets a restarted dispatcher take its own lease back at once. */
  holder?: string;
  /** Lease lifetime without renewal. Default 60 000 ms. */
  leaseTtlMs?: number;
  /** Give up retrying a temporary failure this long after the delivery was formed. Default 24 h. */
  giveUpAfterMs?: number;
  /** Hard bounces that suspend an address. Default 3. */
  bounceLimit?: number;
  /** Host part of Message-IDs; default from PUBLIC_BASE_URL. */
  messageIdHost?: string;
}

export interface DispatchReport {
  /** False when another process holds the dispatch lease. */
  ran: boolean;
  formed: number;
  sent: number;
  retrying: number;
  failed: number;
  dropped: number;
}

export const BACKOFF_BASE_MS = 60_000;
export const BACKOFF_CAP_MS = 6 * 60 * 60 * 1000;
const PAUSED_RECHECK_MS = 60 * 60 * 1000;
const MISSING_CHANNEL_RECHECK_MS = 5 * 60 * 1000;
const DUE_BATCH = 100;

/** Delay before retry n (1-based): 1 min × 2^(n-1), capped at 6 h; a Retry-After asking for longer wins. */
export function backoffMs(failedAttempts: number, retryAfterMs?: number): number {
  const exponential = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, failedAttempts - 1));
  return Math.max(exponential, retryAfterMs !== undefined && Number.isFinite(retryAfterMs) ? Math.min(retryAfterMs, 24 * 3600_000) : 0);
}

function defaultRate(): number {
  const configured = Number(process.env.ALERTS_RATE_PER_SECOND);
  return Number.isFinite(configured) && configured > 0 ? configured : 10;
}

/** A global spacing between sends: `rate` messages per second at most, over every channel. */
function rateLimiter(rate: number): () => Promise<void> {
  const spacing = 1000 / rate;
  let next = 0;
  return async () => {
    const now = performance.now();
    const at = Math.max(now, next);
    next = at + spacing;
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  };
}

/**
 * One pass: form deliveries from waiting outbox rows, then send every due delivery and record what
 * happened. Only one process dispatches at a time (a database lease), so two dispatchers sharing one
 * database never send the same message twice.
 */
export async function dispatchOnce(options: DispatcherOptions, limiter = rateLimiter(options.ratePerSecond ?? defaultRate())): Promise<DispatchReport> {
  const holder = options.holder ?? defaultHolder();
  const outcome = await withLease(options.db, 'alerts:dispatch', holder, options.leaseTtlMs ?? 60_000, () => pass(options, limiter));
  return outcome.ran ? outcome.result : { ran: false, formed: 0, sent: 0, retrying: 0, failed: 0, dropped: 0 };
}

let processHolder: string | undefined;
function defaultHolder(): string {
  return process.env.ALERTS_DISPATCHER_ID || (processHolder ??= `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`);
}

async function pass(options: DispatcherOptions, limiter: () => Promise<void>): Promise<DispatchReport> {
  const clock = options.now ?? (() => new Date());
  const report: DispatchReport = { ran: true, formed: 0, sent: 0, retrying: 0, failed: 0, dropped: 0 };
  await purgeAbandoned(options.db, clock());
  report.formed = await formDeliveries(options.db, {
    now: clock(),
    ...(options.digestHour !== undefined && { digestHour: options.digestHour }),
    ...(options.maxEventsPerAlert !== undefined && { maxEventsPerAlert: options.maxEventsPerAlert }),
    ...(options.messageIdHost !== undefined && { messageIdHost: options.messageIdHost }),
  });
  const seen = new Set<number>();
  for (;;) {
    const due = await options.db
      .selectFrom('alert_deliveries')
      .selectAll()
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', clock().toISOString())
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(DUE_BATCH)
      .execute();
    const fresh = due.filter((d) => !seen.has(d.id));
    if (fresh.length === 0) break;
    for (const d of fresh) {
      seen.add(d.id);
      const result = await sendOne(options, d, limiter, clock);
      report[result]++;
    }
  }
  return report;
}

type Result = 'sent' | 'retrying' | 'failed' | 'dropped';

async function sendOne(options: DispatcherOptions, delivery: Selectable<AlertDeliveriesTable>, limiter: () => Promise<void>, clock: () => Date): Promise<Result> {
  const { db } = options;
  const log = options.log?.child({ deliveryId: delivery.id, subscriptionId: delivery.subscription_id, messageId: delivery.message_id });
  const subscription = await db.selectFrom('subscriptions').selectAll().where('id', '=', delivery.subscription_id).executeTakeFirst();
  const endpoint =
    subscription?.channel === 'webhook' && subscription.webhook_id !== null ? await db.selectFrom('webhook_endpoints').select(['status']).where('id', '=', subscription.webhook_id).executeTakeFirst() : undefined;
  if (!subscription || subscription.status === 'deleted' || subscription.status === 'suspended' || subscription.status === 'pending' || (subscription.channel === 'webhook' && endpoint?.status !== 'active')) {
    await db
      .updateTable('alert_deliveries')
      .set({ status: 'dropped', last_error: `not sent: subscription ${subscription?.status ?? 'missing'}${endpoint && endpoint.status !== 'active' ? ', webhook endpoint disabled' : ''}` })
      .where('id', '=', delivery.id)
      .where('status', '=', 'pending')
      .execute();
    log?.info('delivery dropped: subscription no longer active');
    return 'dropped';
  }
  if (subscription.status === 'paused') {
    // Held, not lost: a resumed subscription gets what was already formed.
    await db.updateTable('alert_deliveries').set({ next_attempt_at: new Date(clock().getTime() + PAUSED_RECHECK_MS).toISOString() }).where('id', '=', delivery.id).execute();
    return 'retrying';
  }
  const channel = options.channels[delivery.channel];
  if (!channel) {
    log?.warn({ channel: delivery.channel }, 'no channel configured for this delivery; it waits');
    await db.updateTable('alert_deliveries').set({ next_attempt_at: new Date(clock().getTime() + MISSING_CHANNEL_RECHECK_MS).toISOString() }).where('id', '=', delivery.id).execute();
    return 'retrying';
  }

  const eventIds = (await db.selectFrom('alert_outbox').select('change_event_id').where('delivery_id', '=', delivery.id).execute()).map((r) => r.change_event_id);
  // Messages show the change itself; a new document's full contents are only needed for matching.
  const events = await loadAlertEvents(db, eventIds, { documentContents: false });
  const digest = /^(daily|weekly):/.test(delivery.window_key);
  const notices = digest ? await staleSourceNotices(db, options.sources ?? [], clock(), subscription.language) : [];
  const outgoing: OutgoingDelivery = { id: delivery.id, messageId: delivery.message_id, windowKey: delivery.window_key, attempt: delivery.attempts + 1, subscription, events, notices };

  await limiter();
  let outcome: SendOutcome;
  try {
    outcome = await channel.send(outgoing);
  } catch (error) {
    outcome = { status: 'temporary', error: error instanceof Error ? error.message : String(error) };
  }
  return recordOutcome(options, delivery, subscription.subscriber_id, subscription.webhook_id, outcome, clock(), log);
}

async function recordOutcome(
  options: DispatcherOptions,
  delivery: Selectable<AlertDeliveriesTable>,
  subscriberId: number | null,
  webhookId: number | null,
  outcome: SendOutcome,
  now: Date,
  log: Logger | undefined,
): Promise<Result> {
  const attempts = delivery.attempts + 1;
  const at = now.toISOString();
  return options.db.transaction().execute(async (trx) => {
    const mark = (values: { status: 'sent' | 'failed' | 'pending'; last_error: string | null; next_attempt_at?: string; sent_at?: string }) =>
      trx.updateTable('alert_deliveries').set({ attempts, ...values }).where('id', '=', delivery.id).execute();
    switch (outcome.status) {
      case 'sent':
        await mark({ status: 'sent', last_error: null, sent_at: at });
        // Bounces count in a row: a delivered message clears them.
        if (delivery.channel === 'email' && subscriberId !== null) await trx.updateTable('subscribers').set({ hard_bounces: 0 }).where('id', '=', subscriberId).where('hard_bounces', '>', 0).execute();
        log?.info({ attempts }, 'alert sent');
        return 'sent';
      case 'temporary': {
        const age = now.getTime() - new Date(delivery.created_at).getTime();
        if (age >= (options.giveUpAfterMs ?? 24 * 3600_000)) {
          await mark({ status: 'failed', last_error: `gave up after ${attempts} attempts: ${outcome.error}` });
          log?.warn({ attempts, error: outcome.error }, 'alert failed: still failing after the retry period');
          return 'failed';
        }
        const delay = backoffMs(attempts, outcome.retryAfterMs);
        await mark({ status: 'pending', last_error: outcome.error, next_attempt_at: new Date(now.getTime() + delay).toISOString() });
        log?.info({ attempts, delayMs: delay, error: outcome.error }, 'alert will be retried');
        return 'retrying';
      }
      case 'permanent':
        await mark({ status: 'failed', last_error: outcome.error });
        if (outcome.bounce && delivery.channel === 'email' && subscriberId !== null) {
          await trx.updateTable('subscribers').set((eb) => ({ hard_bounces: eb('hard_bounces', '+', 1) })).where('id', '=', subscriberId).execute();
          const row = await trx.selectFrom('subscribers').select('hard_bounces').where('id', '=', subscriberId).executeTakeFirst();
          if (row && row.hard_bounces >= (options.bounceLimit ?? 3)) {
            await trx
              .updateTable('subscriptions')
              .set({ status: 'suspended', suspended_reason: `${row.hard_bounces} messages in a row were refused by the receiving mail server`, updated_at: at })
              .where('subscriber_id', '=', subscriberId)
              .where('status', 'in', ['active', 'paused', 'pending'])
              .execute();
            log?.warn({ subscriberId, bounces: row.hard_bounces }, 'address suspended after repeated hard bounces');
          }
        }
        log?.warn({ error: outcome.error, bounce: outcome.bounce ?? false }, 'alert failed permanently');
        return 'failed';
      case 'gone':
        await mark({ status: 'failed', last_error: outcome.error });
        if (webhookId !== null) {
          await trx.updateTable('webhook_endpoints').set({ status: 'disabled', disabled_reason: `the receiver said the endpoint is gone (${outcome.error})` }).where('id', '=', webhookId).execute();
        }
        log?.warn({ webhookId, error: outcome.error }, 'webhook endpoint disabled: gone');
        return 'failed';
    }
  });
}

export interface Dispatcher {
  /** Runs a pass now (or right after the current one). */
  wake(): void;
  /** Resolves when the next complete pass after this call has finished (tests, `--once`). */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The long-running dispatcher: a pass every pollMs, plus node-cron wake-ups in Europe/London at the
 * digest hour (daily, and Mondays for weekly digests) so digests go out on time rather than at the next poll.
 */
export function startDispatcher(options: DispatcherOptions): Dispatcher {
  const limiter = rateLimiter(options.ratePerSecond ?? defaultRate());
  const holder = options.holder ?? defaultHolder();
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const waiters: (() => void)[] = [];

  const run = (): void => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    const settle = waiters.splice(0);
    running = dispatchOnce({ ...options, holder }, limiter)
      .then((report) => {
        if (report.formed + report.sent + report.failed + report.dropped > 0) options.log?.info(report, 'alerts dispatched');
      })
      .catch((error: unknown) => options.log?.error({ err: error }, 'alerts dispatch failed'))
      .finally(() => {
        running = null;
        for (const resolve of settle) resolve();
        if (again || waiters.length > 0) {
          again = false;
          run();
        }
      });
  };
  const timer = setInterval(run, options.pollMs ?? 5_000);
  const crons: ScheduledTask[] = Object.entries(digestCronExpressions(options.digestHour)).map(([name, expression]) =>
    cron.schedule(expression, run, { name: `alerts-${name}-digests`, timezone: 'Europe/London', noOverlap: true }),
  );
  run();
  return {
    wake: run,
    settled() {
      return new Promise<void>((resolve) => {
        waiters.push(resolve);
        run();
      });
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      for (const task of crons) await task.destroy();
      await running;
      for (const resolve of waiters.splice(0)) resolve();
    },
  };
}
