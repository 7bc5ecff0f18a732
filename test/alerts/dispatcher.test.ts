import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/schema.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { importDocument } from '../../src/pipeline/import-document.js';
import type { Channel, OutgoingDelivery, SendOutcome } from '../../src/alerts/channel.js';
import { backoffMs, dispatchOnce, startDispatcher, type DispatcherOptions } from '../../src/alerts/dispatcher.js';
import { windowIsDue, windowKeyOf } from '../../src/alerts/digest-windows.js';
import { longestGapMs } from '../../src/alerts/stale-sources.js';
import { testDatabases, useTestDatabase } from '../support/databases.js';
import { actDocument, addSubscription, outboxRows, tinyMatcher } from './support/alert-fixtures.js';

/** A channel that records what it is asked to send and answers from a script (the dispatcher's view of SMTP or HTTP). */
class ScriptedChannel implements Channel {
  readonly sent: OutgoingDelivery[] = [];
  constructor(
    readonly name: 'email' | 'webhook',
    private readonly answer: (d: OutgoingDelivery, n: number) => SendOutcome = () => ({ status: 'sent' }),
  ) {}
  async send(d: OutgoingDelivery): Promise<SendOutcome> {
    this.sent.push(d);
    return this.answer(d, this.sent.length);
  }
}

const matcher = tinyMatcher();
const clock = (iso: string) => () => new Date(iso);

/** `n` new documents of one source, each one new_document event, imported at `now`. */
async function newDocuments(db: Kysely<Database>, n: number, now: string, prefix = 'doc'): Promise<void> {
  for (let i = 0; i < n; i++) await importDocument(db, actDocument(`${prefix}/${i}`, [{ key: 'section-1', text: `A local authority must co-produce service ${i}.` }]), { matcher, now: clock(now) });
}

const allDocuments = { type: 'search', q: 'service', filters: {} } as const;

function options(db: Kysely<Database>, channels: DispatcherOptions['channels'], now: string, extra: Partial<DispatcherOptions> = {}): DispatcherOptions {
  return { db, channels, now: clock(now), ratePerSecond: 1000, holder: 'test-dispatcher', ...extra };
}

async function deliveries(db: Kysely<Database>) {
  return db.selectFrom('alert_deliveries').selectAll().orderBy('id').execute();
}

describe('digest windows and schedules', () => {
  it.each([
    ['2026-11-25T10:00:00Z', 'daily', 'daily:2026-11-25'],
    ['2026-11-25T23:30:00Z', 'daily', 'daily:2026-11-25'],
    // British Summer Time: 23:30 UTC is already the next day in London.
    ['2026-06-10T23:30:00Z', 'daily', 'daily:2026-06-11'],
    ['2026-11-25T10:00:00Z', 'weekly', 'weekly:2026-11-23'],
    ['2026-11-29T23:59:00Z', 'weekly', 'weekly:2026-11-23'],
    ['2026-11-30T00:00:00Z', 'weekly', 'weekly:2026-11-30'],
  ] as const)('%s is in the %s window %s', (at, frequency, key) => {
    expect(windowKeyOf(frequency, at)).toBe(key);
  });

  it('a window is due once it has closed and the digest hour has come (London time)', () => {
    expect(windowIsDue('daily:2026-11-25', new Date('2026-11-25T23:59:00Z'))).toBe(false);
    expect(windowIsDue('daily:2026-11-25', new Date('2026-11-26T06:59:00Z'))).toBe(false);
    expect(windowIsDue('daily:2026-11-25', new Date('2026-11-26T07:00:00Z'))).toBe(true);
    expect(windowIsDue('daily:2026-06-10', new Date('2026-06-11T06:00:00Z'))).toBe(true); // 07:00 BST
    expect(windowIsDue('weekly:2026-11-23', new Date('2026-11-29T12:00:00Z'))).toBe(false);
    expect(windowIsDue('weekly:2026-11-23', new Date('2026-11-30T07:00:00Z'))).toBe(true);
  });

  it('backs off 1 min × 2^n up to 6 h, and a longer Retry-After wins', () => {
    expect([1, 2, 3, 9, 10, 20].map((n) => backoffMs(n))).toEqual([60_000, 120_000, 240_000, 256 * 60_000, 6 * 3600_000, 6 * 3600_000]);
    expect(backoffMs(1, 600_000)).toBe(600_000);
    expect(backoffMs(3, 1_000)).toBe(240_000);
  });

  it('knows how long each source may go without a run', () => {
    expect(longestGapMs('30 5 * * *')).toBe(24 * 3600_000);
    expect(longestGapMs('15 7 * * 1-5')).toBe(3 * 24 * 3600_000);
    expect(longestGapMs('45 6 * * 1')).toBe(7 * 24 * 3600_000);
    expect(longestGapMs('30 13,18 * * 1-5')).toBe((3 * 24 - 5) * 3600_000);
  });
});

describe.each(testDatabases)('alert dispatcher on %s', (target) => {
  const t = useTestDatabase<Database>(target, { prepare: migrateToLatest });

  it('coalesces what waits for an immediate subscription into one message with one Message-ID, sent once', async () => {
    const db = t.db;
    const sub = await addSubscription(db, { target: allDocuments, eventTypes: ['new_document'] });
    await newDocuments(db, 3, '2026-11-25T10:00:00Z');
    const email = new ScriptedChannel('email');
    expect(await dispatchOnce(options(db, { email }, '2026-11-25T10:00:05Z'))).toEqual({ ran: true, formed: 1, sent: 1, retrying: 0, failed: 0, dropped: 0 });
    expect(email.sent).toHaveLength(1);
    const [d] = email.sent;
    expect(d!.events.map((e) => e.document.id)).toEqual(['alerts-test:doc/0', 'alerts-test:doc/1', 'alerts-test:doc/2']);
    expect(d!.messageId).toMatch(new RegExp(`^alert-${d!.id}-[0-9a-f]{8}@coproduction-tracker\\.invalid$`));
    expect({ attempt: d!.attempt, windowKey: d!.windowKey, notices: d!.notices, subscription: d!.subscription.id }).toEqual({ attempt: 1, windowKey: `event:${d!.events[0]!.id}`, notices: [], subscription: sub });
    expect((await outboxRows(db)).every((r) => r.delivery_id === d!.id)).toBe(true);
    expect(await deliveries(db)).toMatchObject([{ status: 'sent', attempts: 1, sent_at: '2026-11-25T10:00:05.000Z', message_id: d!.messageId }]);
    // Nothing left: a second pass sends nothing.
    expect(await dispatchOnce(options(db, { email }, '2026-11-25T10:01:00Z'))).toMatchObject({ formed: 0, sent: 0 });
    // A later event is a new message.
    await newDocuments(db, 1, '2026-11-25T11:00:00Z', 'later');
    await dispatchOnce(options(db, { email }, '2026-11-25T11:00:05Z'));
    expect(email.sent.map((s) => s.events.length)).toEqual([3, 1]);
    expect(new Set(email.sent.map((s) => s.messageId)).size).toBe(2);
  });

  it('a 500-change burst from one source yields at most one digest per subscriber per window', async () => {
    const db = t.db;
    const texts = (verb: string) => Array.from({ length: 500 }, (_, i) => ({ key: `section-${i + 1}`, text: `A local authority ${verb} co-produce service ${i + 1} with the people who use it.` }));
    const daily = [
      await addSubscription(db, { target: { type: 'principle', principle: 'explicit_coproduction' }, eventTypes: ['duty_weakened', 'duty_strengthened'], frequency: 'daily' }),
      await addSubscription(db, { target: { type: 'document', documentId: 'alerts-test:anaw/burst' }, eventTypes: ['clause_reworded', 'new_document'], frequency: 'daily' }),
      await addSubscription(db, { target: { type: 'search', q: 'co-produce', filters: { jurisdiction: 'wales' } }, eventTypes: ['duty_weakened', 'duty_strengthened'], frequency: 'daily' }),
    ];
    const weekly = await addSubscription(db, { target: { type: 'principle', principle: 'explicit_coproduction' }, eventTypes: ['duty_weakened', 'duty_strengthened'], frequency: 'weekly' });
    const immediate = await addSubscription(db, { target: { type: 'principle', principle: 'explicit_coproduction' }, eventTypes: ['duty_weakened'] });
    await importDocument(db, actDocument('anaw/burst', texts('must')), { matcher, now: clock('2026-11-25T09:00:00Z') });
    await importDocument(db, actDocument('anaw/burst', texts('may'), { label: 'amended', validFrom: '2026-11-25' }), { matcher, now: clock('2026-11-25T10:00:00Z') });
    expect(Number((await db.selectFrom('change_events').select((eb) => eb.fn.countAll().as('n')).where('kind', '=', 'reworded').executeTakeFirstOrThrow()).n)).toBe(500);

    const email = new ScriptedChannel('email');
    // The day is still open, then closed but before 07:00: no digest yet (the immediate one goes at once).
    await dispatchOnce(options(db, { email }, '2026-11-25T23:00:00Z'));
    await dispatchOnce(options(db, { email }, '2026-11-26T06:59:00Z'));
    expect(new Set(email.sent.map((d) => d.subscription.id))).toEqual(new Set([immediate]));
    // 50 changes per immediate alert at most: a burst is ten messages, not five hundred.
    expect(email.sent.map((d) => d.events.length)).toEqual(Array(10).fill(50));

    // Another burst the next day belongs to the next window.
    await importDocument(db, actDocument('anaw/burst', texts('must'), { label: 'amended-2', validFrom: '2026-11-26' }), { matcher, now: clock('2026-11-26T10:00:00Z') });
    await dispatchOnce(options(db, { email }, '2026-11-26T07:00:00Z'));
    await dispatchOnce(options(db, { email }, '2026-11-26T12:00:00Z'));
    await dispatchOnce(options(db, { email }, '2026-11-27T07:05:00Z'));
    await dispatchOnce(options(db, { email }, '2026-11-30T07:00:00Z'));
    await dispatchOnce(options(db, { email }, '2026-11-30T08:00:00Z'));

    const digests = email.sent.filter((d) => d.subscription.id !== immediate).map((d) => [d.subscription.id, d.windowKey, d.events.length]);
    expect(digests.sort()).toEqual(
      [
        ...daily.flatMap((s) => [
          // The document subscription also follows new documents: the first import's event is in its digest.
          [s, 'daily:2026-11-25', s === daily[1] ? 501 : 500],
          [s, 'daily:2026-11-26', 500],
        ]),
        [weekly, 'weekly:2026-11-23', 1000],
      ].sort(),
    );
    const perWindow = new Map<string, number>();
    for (const d of await deliveries(db)) perWindow.set(`${d.subscription_id} ${d.window_key}`, (perWindow.get(`${d.subscription_id} ${d.window_key}`) ?? 0) + 1);
    expect(Math.max(...perWindow.values())).toBe(1);
    expect((await outboxRows(db)).every((r) => r.delivery_id !== null)).toBe(true);
  });

  it('retries temporary failures with backoff and the same Message-ID, honours Retry-After, then gives up after a day', async () => {
    const db = t.db;
    await addSubscription(db, { target: allDocuments, eventTypes: ['new_document'] });
    await newDocuments(db, 1, '2026-11-25T10:00:00Z');
    const answers: SendOutcome[] = [
      { status: 'temporary', error: '451 try later' },
      { status: 'temporary', error: '421 busy', retryAfterMs: 30 * 60_000 },
      { status: 'sent' },
    ];
    const email = new ScriptedChannel('email', (_d, n) => answers[n - 1]!);
    expect(await dispatchOnce(options(db, { email }, '2026-11-25T10:00:00Z'))).toMatchObject({ formed: 1, retrying: 1 });
    expect(await deliveries(db)).toMatchObject([{ status: 'pending', attempts: 1, next_attempt_at: '2026-11-25T10:01:00.000Z', last_error: '451 try later' }]);
    expect(await dispatchOnce(options(db, { email }, '2026-11-25T10:00:59Z'))).toMatchObject({ sent: 0, retrying: 0 });
    await dispatchOnce(options(db, { email }, '2026-11-25T10:01:00Z'));
    expect(await deliveries(db)).toMatchObject([{ status: 'pending', attempts: 2, next_attempt_at: '2026-11-25T10:31:00.000Z' }]);
    await dispatchOnce(options(db, { email }, '2026-11-25T10:31:00Z'));
    expect(await deliveries(db)).toMatchObject([{ status: 'sent', attempts: 3, last_error: null }]);
    expect(email.sent.map((d) => d.attempt)).toEqual([1, 2, 3]);
    expect(new Set(email.sent.map((d) => d.messageId)).size).toBe(1);

    // A receiver that never recovers: failed after 24 hours of trying.
    await newDocuments(db, 1, '2026-11-26T10:00:00Z', 'never');
    const down = new ScriptedChannel('email', () => ({ status: 'temporary', error: 'connection refused' }));
    let now = new Date('2026-11-26T10:00:00Z');
    for (let i = 0; i < 40; i++) {
      await dispatchOnce(options(db, { email: down }, now.toISOString()));
      const d = (await deliveries(db))[1]!;
      if (d.status !== 'pending') break;
      now = new Date(d.next_attempt_at);
    }
    const gaveUp = (await deliveries(db))[1]!;
    expect(gaveUp.status).toBe('failed');
    expect(gaveUp.last_error).toMatch(/^gave up after \d+ attempts: connection refused$/);
    expect(now.getTime() - new Date('2026-11-26T10:00:00Z').getTime()).toBeGreaterThanOrEqual(24 * 3600_000);
    expect(down.sent.length).toBeLessThan(15);
  });

  it('three hard bounces in a row suspend every subscription of the address; other permanent failures do not count', async () => {
    const db = t.db;
    const first = await addSubscription(db, { email: 'gone@example.test', target: allDocuments, eventTypes: ['new_document'] });
    const second = await addSubscription(db, { email: 'gone@example.test', target: { type: 'principle', principle: 'explicit_coproduction' }, eventTypes: ['duty_weakened'] });
    const other = await addSubscription(db, { email: 'fine@example.test', target: allDocuments, eventTypes: ['new_document'] });
    const email = new ScriptedChannel('email', (d) =>
      d.subscription.id === other ? { status: 'permanent', error: '554 message refused (content)' } : { status: 'permanent', error: '550 no such user', bounce: true },
    );
    for (let i = 0; i < 3; i++) {
      await newDocuments(db, 1, `2026-11-25T1${i}:00:00Z`, `b${i}`);
      await dispatchOnce(options(db, { email }, `2026-11-25T1${i}:00:10Z`));
    }
    const status = async () => Object.fromEntries((await db.selectFrom('subscriptions').select(['id', 'status']).execute()).map((s) => [s.id, s.status]));
    expect(await status()).toEqual({ [first]: 'suspended', [second]: 'suspended', [other]: 'active' });
    expect(await db.selectFrom('subscribers').select(['email', 'hard_bounces']).orderBy('email').execute()).toEqual([
      { email: 'fine@example.test', hard_bounces: 0 },
      { email: 'gone@example.test', hard_bounces: 3 },
    ]);
    expect((await deliveries(db)).map((d) => d.status)).toEqual(Array(6).fill('failed'));
    // Failed deliveries are never retried; a suspended address gets nothing more.
    await newDocuments(db, 1, '2026-11-25T15:00:00Z', 'after');
    const before = email.sent.length;
    await dispatchOnce(options(db, { email }, '2026-11-26T15:00:00Z'));
    expect(email.sent.filter((d) => d.subscription.id !== other)).toHaveLength(3);
    expect(email.sent.length).toBe(before + 1);
  });

  it('a delivered message clears the bounce count (bounces count in a row)', async () => {
    const db = t.db;
    await addSubscription(db, { email: 'flaky@example.test', target: allDocuments, eventTypes: ['new_document'] });
    const answers: SendOutcome[] = [{ status: 'permanent', error: '550', bounce: true }, { status: 'permanent', error: '550', bounce: true }, { status: 'sent' }, { status: 'permanent', error: '550', bounce: true }];
    const email = new ScriptedChannel('email', (_d, n) => answers[n - 1]!);
    for (let i = 0; i < 4; i++) {
      await newDocuments(db, 1, `2026-11-25T1${i}:00:00Z`, `f${i}`);
      await dispatchOnce(options(db, { email }, `2026-11-25T1${i}:00:10Z`));
    }
    expect(await db.selectFrom('subscribers').select('hard_bounces').executeTakeFirst()).toEqual({ hard_bounces: 1 });
    expect(await db.selectFrom('subscriptions').select('status').executeTakeFirst()).toEqual({ status: 'active' });
  });

  it('410 Gone disables the webhook endpoint; its waiting alerts are not sent', async () => {
    const db = t.db;
    const { id: webhookId } = await db
      .insertInto('webhook_endpoints')
      .values({ url: 'https://newsroom.example/hook', secret: 'whsec_x', label: 'Newsroom', disabled_reason: null, created_at: '2026-01-01T00:00:00Z' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await addSubscription(db, { channel: 'webhook', webhookId, target: allDocuments, eventTypes: ['new_document'] });
    await addSubscription(db, { channel: 'webhook', webhookId, target: { type: 'principle', principle: 'explicit_coproduction' }, eventTypes: ['new_coproduction_clause', 'new_document'] });
    const webhook = new ScriptedChannel('webhook', () => ({ status: 'gone', error: 'HTTP 410' }));
    await newDocuments(db, 1, '2026-11-25T10:00:00Z');
    // Both subscriptions' deliveries are formed; the first answer disables the endpoint, the second is dropped.
    expect(await dispatchOnce(options(db, { webhook }, '2026-11-25T10:00:05Z'))).toMatchObject({ formed: 2, failed: 1, dropped: 1 });
    expect(await db.selectFrom('webhook_endpoints').select(['status', 'disabled_reason']).executeTakeFirst()).toEqual({ status: 'disabled', disabled_reason: 'the receiver said the endpoint is gone (HTTP 410)' });
    await newDocuments(db, 1, '2026-11-25T11:00:00Z', 'later');
    expect(await dispatchOnce(options(db, { webhook }, '2026-11-25T11:00:05Z'))).toMatchObject({ formed: 0, sent: 0 });
    expect(webhook.sent).toHaveLength(1);
  });

  it('paused subscriptions are held, deleted ones dropped; nothing is sent to either', async () => {
    const db = t.db;
    const paused = await addSubscription(db, { target: allDocuments, eventTypes: ['new_document'] });
    const deleted = await addSubscription(db, { target: allDocuments, eventTypes: ['new_document'] });
    await newDocuments(db, 1, '2026-11-25T10:00:00Z');
    // Formed while active, then paused / deleted before sending (a channel that is missing keeps them waiting).
    await dispatchOnce(options(db, {}, '2026-11-25T10:00:05Z'));
    expect((await deliveries(db)).map((d) => d.status)).toEqual(['pending', 'pending']);
    await db.updateTable('subscriptions').set({ status: 'paused' }).where('id', '=', paused).execute();
    await db.updateTable('subscriptions').set({ status: 'deleted' }).where('id', '=', deleted).execute();
    await newDocuments(db, 1, '2026-11-25T10:30:00Z', 'while-paused');
    const email = new ScriptedChannel('email');
    expect(await dispatchOnce(options(db, { email }, '2026-11-25T11:00:00Z'))).toMatchObject({ formed: 0, sent: 0, dropped: 1, retrying: 1 });
    expect(email.sent).toHaveLength(0);
    expect((await deliveries(db)).map((d) => [d.subscription_id, d.status])).toEqual([
      [paused, 'pending'],
      [deleted, 'dropped'],
    ]);
    // Resumed: what was already formed goes out; events during the pause were never queued.
    await db.updateTable('subscriptions').set({ status: 'active' }).where('id', '=', paused).execute();
    await dispatchOnce(options(db, { email }, '2026-11-25T12:00:00Z'));
    expect(email.sent.map((d) => [d.subscription.id, d.events.length])).toEqual([[paused, 1]]);
  });

  it('digests carry a notice for each source that has not run successfully for longer than its schedule allows', async () => {
    const db = t.db;
    await addSubscription(db, { target: allDocuments, eventTypes: ['new_document'], frequency: 'daily' });
    await addSubscription(db, { target: allDocuments, eventTypes: ['new_document'], frequency: 'daily', language: 'cy' });
    await addSubscription(db, { target: allDocuments, eventTypes: ['new_document'] });
    await newDocuments(db, 1, '2026-11-25T10:00:00Z');
    await db.updateTable('sources').set({ last_success_at: '2026-11-20T05:30:00.000Z' }).where('id', '=', 'alerts-test').execute();
    await db.insertInto('sources').values({ id: 'fresh', name: 'Fresh source', created_at: '2026-01-01T00:00:00Z', last_run_id: null, last_success_at: '2026-11-26T05:30:00.000Z', last_error: null, last_error_at: null }).execute();
    const sources = [
      { id: 'alerts-test', name: 'Test statements', schedule: '30 5 * * *' },
      { id: 'fresh', name: 'Fresh source', schedule: '30 5 * * *' },
      { id: 'never-registered-in-db', name: 'Absent', schedule: '30 5 * * *' },
    ];
    const email = new ScriptedChannel('email');
    await dispatchOnce(options(db, { email }, '2026-11-26T07:00:00Z', { sources }));
    const bySub = [...email.sent].sort((a, b) => a.subscription.id - b.subscription.id).map((d) => [d.subscription.frequency, d.subscription.language, d.notices]);
    expect(bySub).toEqual([
      ['daily', 'en', ['Test statements: no successful run since 2026-11-20, so changes from this source may be missing from this digest.']],
      ['daily', 'cy', [expect.stringMatching(/^Test statements: dim rhediad llwyddiannus ers 2026-11-20/)]],
      ['immediate', 'en', []],
    ]);
  });

  it('sends no faster than the configured rate, and two dispatchers never send the same message', async () => {
    const db = t.db;
    for (let i = 0; i < 10; i++) await addSubscription(db, { target: allDocuments, eventTypes: ['new_document'] });
    await newDocuments(db, 1, '2026-11-25T10:00:00Z');
    const email = new ScriptedChannel('email');
    const started = performance.now();
    const reports = await Promise.all([
      dispatchOnce({ ...options(db, { email }, '2026-11-25T10:00:05Z'), ratePerSecond: 20, holder: 'one' }),
      dispatchOnce({ ...options(db, { email }, '2026-11-25T10:00:05Z'), ratePerSecond: 20, holder: 'two' }),
    ]);
    const elapsed = performance.now() - started;
    expect(reports.map((r) => r.ran).sort()).toEqual([false, true]);
    expect(email.sent).toHaveLength(10);
    expect(new Set(email.sent.map((d) => d.messageId)).size).toBe(10);
    // 10 messages at 20 per second: the last leaves at least 450 ms after the first.
    expect(elapsed).toBeGreaterThanOrEqual(440);
  });

  it('the long-running dispatcher sends on its own, wakes on demand and stops cleanly', async () => {
    const db = t.db;
    await addSubscription(db, { target: allDocuments, eventTypes: ['new_document'] });
    const email = new ScriptedChannel('email');
    const dispatcher = startDispatcher({ db, channels: { email }, ratePerSecond: 1000, pollMs: 60_000, holder: 'loop' });
    try {
      await dispatcher.settled();
      expect(email.sent).toHaveLength(0);
      await newDocuments(db, 2, new Date().toISOString());
      await dispatcher.settled();
      expect(email.sent.map((d) => d.events.length)).toEqual([2]);
    } finally {
      await dispatcher.stop();
    }
    // Its lease is released: another process can dispatch at once.
    expect(await dispatchOnce(options(db, { email }, new Date().toISOString(), { holder: 'other' }))).toMatchObject({ ran: true });
  });
});
