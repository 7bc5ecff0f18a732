import type { Kysely, Selectable } from 'kysely';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadAlertEvents } from '../../src/alerts/alert-events.js';
import type { OutgoingDelivery } from '../../src/alerts/channel.js';
import { dispatchOnce } from '../../src/alerts/dispatcher.js';
import { webhookChannel, type WebhookChannel } from '../../src/alerts/webhooks/webhook-channel.js';
import { createWebhookEndpoint, createWebhookSubscription, type WebhookEndpoint } from '../../src/alerts/webhooks/webhook-endpoints.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database, SubscriptionsTable } from '../../src/db/schema.js';
import { testDatabases, useTestDatabase } from '../support/databases.js';
import { importTestVersion } from '../web/documents-support.js';
import { act, eventIds, importIntroduced, importStage2, stage2Clauses, startReceiver, type Receiver } from './webhook-support.js';

const loopback = { allowLoopback: true };

/** The delivery the dispatcher would hand over: its id, webhook-id and events, the same on every attempt. */
async function deliveryOf(db: Kysely<Database>, subscription: Selectable<SubscriptionsTable>, attempt = 1): Promise<OutgoingDelivery> {
  const ids = await eventIds(db);
  const events = (await loadAlertEvents(db, ids)).filter((e) => e.types.length > 0);
  return { id: 7, messageId: `alert-7-0123abcd@tracker.example`, windowKey: `event:${ids[0]}`, attempt, subscription, events, notices: [] };
}

function verify(secret: string, request: { body: string; headers: Record<string, unknown> }): unknown {
  const h = request.headers;
  return new Webhook(secret).verify(request.body, { 'webhook-id': String(h['webhook-id']), 'webhook-timestamp': String(h['webhook-timestamp']), 'webhook-signature': String(h['webhook-signature']) });
}

describe.each(testDatabases)('webhook channel on %s', (target) => {
  const t = useTestDatabase<Database>(target, { prepare: migrateToLatest });
  let receiver: Receiver;
  let channel: WebhookChannel;
  let endpoint: WebhookEndpoint;
  let subscription: Selectable<SubscriptionsTable>;

  beforeEach(async () => {
    receiver = await startReceiver();
    channel = webhookChannel({ db: t.db, policy: loopback, timeoutMs: 1_500, baseUrl: 'https://tracker.example' });
    endpoint = await createWebhookEndpoint(t.db, { url: receiver.url, label: 'Newsroom' }, loopback);
    subscription = await createWebhookSubscription(t.db, { webhookId: endpoint.id, targetType: 'document', target: { documentId: 'test-docs:anaw/2099/7' }, eventTypes: ['duty_weakened', 'new_coproduction_clause'], frequency: 'immediate' });
    await importIntroduced(t.db);
    await importStage2(t.db);
  });
  afterEach(async () => {
    await channel.close();
    await receiver.close();
  });

  it('posts the events as JSON signed with Standard Webhooks, which the standardwebhooks package verifies', async () => {
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const delivery = await deliveryOf(t.db, subscription);
    expect(await channel.send(delivery)).toEqual({ status: 'sent' });
    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe('/hooks/tracker');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['webhook-id']).toBe('alert-7-0123abcd@tracker.example');
    expect(Math.abs(Number(request!.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(10);
    const payload = verify(endpoint.secret, request!) as { type: string; data: { delivery: { id: string }; subscription: { target: unknown; event_types: string[] }; events: { types: string[]; url: string; before: { strength: string } | null; after: { strength: string; text: string } | null }[] } };
    expect(payload.type).toBe('alert.immediate');
    expect(payload.data.delivery.id).toBe('alert-7-0123abcd@tracker.example');
    expect(payload.data.subscription).toMatchObject({ target: { documentId: 'test-docs:anaw/2099/7' }, event_types: ['duty_weakened', 'new_coproduction_clause'] });
    const weakened = payload.data.events.find((e) => e.types.includes('duty_weakened'));
    expect(weakened).toMatchObject({ before: { strength: 'duty' }, after: { strength: 'power' } });
    expect(weakened!.url).toMatch(/^https:\/\/tracker\.example\/clauses\/\d+#v\d+$/);
    // A tampered body or another secret fails verification.
    expect(() => verify(endpoint.secret, { ...request!, body: request!.body.replace('power', 'duty') })).toThrow();
    expect(() => verify('whsec_' + Buffer.alloc(32, 1).toString('base64'), request!)).toThrow();
  });

  it('answers 429 and 5xx as temporary with Retry-After, and every retry carries the same id and body, re-signed', async () => {
    const later = new Date(Date.now() + 90_000).toUTCString();
    receiver.replies.push({ status: 503, headers: { 'retry-after': '120' } }, { status: 429, headers: { 'retry-after': later } }, { status: 500 }, { status: 200, body: 'ok' });
    const outcomes = [];
    for (let attempt = 1; attempt <= 4; attempt++) outcomes.push(await channel.send(await deliveryOf(t.db, subscription, attempt)));
    expect(outcomes[0]).toEqual({ status: 'temporary', error: 'the receiver answered 503', retryAfterMs: 120_000 });
    expect(outcomes[1]).toMatchObject({ status: 'temporary', error: 'the receiver answered 429' });
    expect((outcomes[1] as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(80_000);
    expect((outcomes[1] as { retryAfterMs: number }).retryAfterMs).toBeLessThanOrEqual(90_000);
    expect(outcomes[2]).toEqual({ status: 'temporary', error: 'the receiver answered 500' });
    expect(outcomes[3]).toEqual({ status: 'sent' });
    expect(new Set(receiver.requests.map((r) => r.headers['webhook-id']))).toEqual(new Set(['alert-7-0123abcd@tracker.example']));
    expect(new Set(receiver.requests.map((r) => r.body)).size).toBe(1);
    for (const request of receiver.requests) expect(verify(endpoint.secret, request)).toBeTruthy();
  });

  it('410 is gone, other 4xx and redirects are permanent (never followed), and timeouts or refused connections are temporary', async () => {
    const delivery = await deliveryOf(t.db, subscription);
    receiver.replies.push({ status: 410 }, { status: 400 }, { status: 404 }, { status: 302, headers: { location: 'http://127.0.0.1:9/elsewhere' } }, 'hang');
    expect(await channel.send(delivery)).toEqual({ status: 'gone', error: 'the receiver answered 410 Gone' });
    expect(await channel.send(delivery)).toEqual({ status: 'permanent', error: 'the receiver answered 400' });
    expect(await channel.send(delivery)).toEqual({ status: 'permanent', error: 'the receiver answered 404' });
    expect(await channel.send(delivery)).toMatchObject({ status: 'permanent', error: expect.stringContaining('redirects are not followed') });
    const started = Date.now();
    expect(await channel.send(delivery)).toEqual({ status: 'temporary', error: 'the request failed: timed out' });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(receiver.requests).toHaveLength(5);

    await receiver.close();
    expect(await channel.send(delivery)).toEqual({ status: 'temporary', error: 'the request failed: ECONNREFUSED' });
  });

  it('through the dispatcher: a 503 is retried later with the same webhook-id, and a 410 disables the endpoint', async () => {
    // The import above queued the stage 2 events for this subscription in its own transaction.
    const waiting = await t.db.selectFrom('alert_outbox').select('change_event_id').where('subscription_id', '=', subscription.id).execute();
    expect(waiting.length).toBe(2);
    let clock = new Date();
    const options = { db: t.db, channels: { webhook: channel }, now: () => clock, ratePerSecond: 1000 };

    receiver.replies.push({ status: 503, headers: { 'retry-after': '30' } });
    expect(await dispatchOnce(options)).toMatchObject({ formed: 1, sent: 0, retrying: 1 });
    const [pending] = await t.db.selectFrom('alert_deliveries').selectAll().execute();
    expect(pending).toMatchObject({ status: 'pending', attempts: 1, last_error: 'the receiver answered 503', channel: 'webhook' });
    // Not due yet: nothing is sent.
    expect(await dispatchOnce(options)).toMatchObject({ formed: 0, sent: 0 });
    expect(receiver.requests).toHaveLength(1);

    clock = new Date(clock.getTime() + 2 * 3600_000);
    expect(await dispatchOnce(options)).toMatchObject({ sent: 1 });
    expect(receiver.requests).toHaveLength(2);
    expect(receiver.requests[1]!.headers['webhook-id']).toBe(receiver.requests[0]!.headers['webhook-id']);
    expect(receiver.requests[1]!.headers['webhook-id']).toBe(pending!.message_id);
    const payload = verify(endpoint.secret, receiver.requests[1]!) as { data: { events: { id: number }[] } };
    expect(payload.data.events.map((e) => e.id).sort()).toEqual(waiting.map((w) => w.change_event_id).sort());

    // Another change, and the receiver has gone for good.
    await importTestVersion(t.db, {
      ...act,
      label: 'amended-stage-3',
      validFrom: '2099-05-01',
      clauses: [...stage2Clauses, { key: 'section-4', number: '4', text: 'Health boards must co-produce their plans with the people who use their services.' }],
    });
    receiver.replies.push({ status: 410 });
    expect(await dispatchOnce(options)).toMatchObject({ formed: 1, failed: 1 });
    const disabled = await t.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', endpoint.id).executeTakeFirstOrThrow();
    expect(disabled.status).toBe('disabled');
    expect(disabled.disabled_reason).toContain('410');
    // Nothing more is posted to a disabled endpoint.
    expect(await channel.send(await deliveryOf(t.db, subscription))).toMatchObject({ status: 'permanent', error: expect.stringContaining('disabled') });
    expect(receiver.requests).toHaveLength(3);
  });
});
