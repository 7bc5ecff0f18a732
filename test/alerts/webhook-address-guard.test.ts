import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadAlertEvents } from '../../src/alerts/alert-events.js';
import type { OutgoingDelivery } from '../../src/alerts/channel.js';
import { addressPolicyFromEnv, checkWebhookUrl, refusedAddressReason, UnsafeWebhookAddressError, type Resolver } from '../../src/alerts/webhooks/address-guard.js';
import { webhookChannel } from '../../src/alerts/webhooks/webhook-channel.js';
import { createWebhookEndpoint, createWebhookSubscription, enableWebhookEndpoint } from '../../src/alerts/webhooks/webhook-endpoints.js';
import { newWebhookSecret } from '../../src/alerts/webhooks/sign.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { testDatabases, useTestDatabase } from '../support/databases.js';
import { eventIds, importIntroduced, startReceiver, type Receiver } from './webhook-support.js';

describe('which addresses a webhook may reach', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.0.0.5', 'private'],
    ['172.16.4.4', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd00:ec2::254', 'unique-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['224.0.0.251', 'multicast'],
    ['ff02::1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped'],
    ['::ffff:10.0.0.1', 'IPv4-mapped'],
    ['64:ff9b::a00:1', 'NAT64'],
    ['2002:a00:1::1', '6to4'],
    ['192.0.2.1', 'reserved'],
    ['240.0.0.1', 'reserved'],
  ])('refuses %s (%s)', (address, range) => {
    expect(refusedAddressReason(address)).toContain(range);
  });

  it.each(['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111', '2a00:1450:4009:81f::200e'])('allows the public address %s', (address) => {
    expect(refusedAddressReason(address)).toBeNull();
  });

  it('lets loopback through only with the explicit (unsafe, test-only) option or WEBHOOK_ALLOW_LOOPBACK=1, and private ranges never', () => {
    expect(refusedAddressReason('127.0.0.1', { allowLoopback: true })).toBeNull();
    expect(refusedAddressReason('::1', { allowLoopback: true })).toBeNull();
    expect(refusedAddressReason('10.0.0.1', { allowLoopback: true })).toContain('private');
    expect(refusedAddressReason('::ffff:127.0.0.1', { allowLoopback: true })).toContain('IPv4-mapped');
    expect(addressPolicyFromEnv({ WEBHOOK_ALLOW_LOOPBACK: '1' })).toEqual({ allowLoopback: true });
    expect(addressPolicyFromEnv({ WEBHOOK_ALLOW_LOOPBACK: 'yes' })).toEqual({ allowLoopback: false });
    expect(addressPolicyFromEnv({})).toEqual({ allowLoopback: false });
  });

  it.each([
    ['http://127.0.0.1:8080/hook', /loopback/],
    ['http://0x7f.1/hook', /127\.0\.0\.1 is a loopback/],
    ['http://2130706433/hook', /127\.0\.0\.1 is a loopback/],
    ['http://[::ffff:7f00:1]/hook', /IPv4-mapped/],
    ['http://[::1]/hook', /loopback/],
    ['http://169.254.169.254/latest/meta-data/', /link-local/],
    ['ftp://example.org/hook', /https or http/],
    ['file:///etc/passwd', /https or http/],
    ['https://user:pass@example.org/hook', /user name or password/],
    ['not a url', /not a valid URL/],
  ])('refuses the URL %s before any DNS', async (url, message) => {
    const resolve: Resolver = async () => {
      throw new Error('no DNS should be needed');
    };
    await expect(checkWebhookUrl(url, {}, resolve)).rejects.toThrow(message);
  });

  it('refuses a name if any of its addresses is refused, and accepts one whose addresses are all public', async () => {
    const dns: Record<string, { address: string; family: number }[]> = {
      'inside.example': [{ address: '10.1.2.3', family: 4 }],
      'mixed.example': [
        { address: '93.184.215.14', family: 4 },
        { address: 'fd00::1', family: 6 },
      ],
      'localhost.example': [{ address: '127.0.0.1', family: 4 }],
      'public.example': [
        { address: '93.184.215.14', family: 4 },
        { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
      ],
    };
    const resolve: Resolver = async (host) => dns[host] ?? Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' }));
    await expect(checkWebhookUrl('https://inside.example/hook', {}, resolve)).rejects.toThrow(/inside\.example resolves to 10\.1\.2\.3 is a private address/);
    await expect(checkWebhookUrl('https://mixed.example/hook', {}, resolve)).rejects.toThrow(/unique-local/);
    await expect(checkWebhookUrl('https://localhost.example/hook', {}, resolve)).rejects.toThrow(UnsafeWebhookAddressError);
    await expect(checkWebhookUrl('https://nowhere.example/hook', {}, resolve)).rejects.toMatchObject({ code: 'ENOTFOUND' });
    expect((await checkWebhookUrl('https://public.example/hook#x', {}, resolve)).href).toBe('https://public.example/hook');
    // The real resolver: localhost is loopback.
    await expect(checkWebhookUrl('http://localhost:9/hook')).rejects.toThrow(/loopback/);
  });
});

describe.each(testDatabases)('webhook addresses checked at save and at send on %s', (target) => {
  const t = useTestDatabase<Database>(target, { prepare: migrateToLatest });
  let receiver: Receiver;
  beforeEach(async () => {
    receiver = await startReceiver();
    await importIntroduced(t.db);
  });
  afterEach(async () => {
    await receiver.close();
  });

  async function delivery(db: Kysely<Database>, webhookId: number): Promise<OutgoingDelivery> {
    const subscription = await createWebhookSubscription(db, { webhookId, targetType: 'document', target: { documentId: 'test-docs:anaw/2099/7' }, eventTypes: ['new_document'], frequency: 'immediate' });
    return { id: 1, messageId: `alert-1-${webhookId}@tracker.example`, windowKey: 'event:1', attempt: 1, subscription, events: await loadAlertEvents(db, await eventIds(db)), notices: [] };
  }

  it('refuses a loopback receiver at save without the test option, and stores nothing', async () => {
    await expect(createWebhookEndpoint(t.db, { url: receiver.url, label: 'Local' })).rejects.toThrow(/127\.0\.0\.1 is a loopback address/);
    await expect(createWebhookEndpoint(t.db, { url: `http://localhost:${receiver.port}/hook`, label: 'Local' })).rejects.toThrow(/loopback/);
    expect(await t.db.selectFrom('webhook_endpoints').selectAll().execute()).toEqual([]);
  });

  it('refuses at send an endpoint saved while allowed (or edited in the database): nothing reaches the receiver', async () => {
    const endpoint = await createWebhookEndpoint(t.db, { url: receiver.url, label: 'Local' }, { allowLoopback: true });
    const strict = webhookChannel({ db: t.db, policy: {} });
    try {
      expect(await strict.send(await delivery(t.db, endpoint.id))).toEqual({ status: 'permanent', error: expect.stringMatching(/127\.0\.0\.1 is a loopback address/) });
      await t.db.insertInto('webhook_endpoints').values({ url: 'http://10.0.0.7/hook', secret: newWebhookSecret(), label: 'Edited', status: 'active', disabled_reason: null, created_at: new Date().toISOString() }).execute();
      const edited = await t.db.selectFrom('webhook_endpoints').select('id').where('label', '=', 'Edited').executeTakeFirstOrThrow();
      expect(await strict.send(await delivery(t.db, edited.id))).toMatchObject({ status: 'permanent', error: expect.stringMatching(/private/) });
    } finally {
      await strict.close();
    }
    expect(receiver.requests).toEqual([]);
  });

  it('WEBHOOK_ALLOW_LOOPBACK=1 is what lets the default channel reach a loopback receiver', async () => {
    const endpoint = await createWebhookEndpoint(t.db, { url: receiver.url, label: 'Local' }, { allowLoopback: true });
    const before = process.env.WEBHOOK_ALLOW_LOOPBACK;
    try {
      delete process.env.WEBHOOK_ALLOW_LOOPBACK;
      const refused = webhookChannel({ db: t.db });
      expect(await refused.send(await delivery(t.db, endpoint.id))).toMatchObject({ status: 'permanent' });
      await refused.close();
      process.env.WEBHOOK_ALLOW_LOOPBACK = '1';
      const allowed = webhookChannel({ db: t.db });
      expect(await allowed.send(await delivery(t.db, endpoint.id))).toEqual({ status: 'sent' });
      await allowed.close();
    } finally {
      if (before === undefined) delete process.env.WEBHOOK_ALLOW_LOOPBACK;
      else process.env.WEBHOOK_ALLOW_LOOPBACK = before;
    }
    expect(receiver.requests).toHaveLength(1);
  });

  it('connects to the address it checked: a name that rebinds from public to loopback between check and connect is refused', async () => {
    const secret = newWebhookSecret();
    await t.db.insertInto('webhook_endpoints').values({ url: `http://rebind.example:${receiver.port}/hook`, secret, label: 'Rebinding', status: 'active', disabled_reason: null, created_at: new Date().toISOString() }).execute();
    const endpoint = await t.db.selectFrom('webhook_endpoints').select('id').where('label', '=', 'Rebinding').executeTakeFirstOrThrow();
    let answers = 0;
    // First answer public (passes the check), every later one loopback: the classic rebinding attack.
    const rebinding: Resolver = async () => (answers++ === 0 ? [{ address: '93.184.215.14', family: 4 }] : [{ address: '127.0.0.1', family: 4 }]);
    const channel = webhookChannel({ db: t.db, policy: {}, resolve: rebinding, timeoutMs: 2_000 });
    try {
      expect(await channel.send(await delivery(t.db, endpoint.id))).toEqual({ status: 'permanent', error: expect.stringMatching(/rebind\.example resolves to 127\.0\.0\.1 is a loopback address/) });
    } finally {
      await channel.close();
    }
    expect(answers).toBe(2);
    expect(receiver.requests).toEqual([]);

    // And the name really is connected through that lookup: with loopback allowed, the same fake name reaches the receiver.
    const allowed = webhookChannel({ db: t.db, policy: { allowLoopback: true }, resolve: async () => [{ address: '127.0.0.1', family: 4 }] });
    try {
      expect(await allowed.send(await delivery(t.db, endpoint.id))).toEqual({ status: 'sent' });
    } finally {
      await allowed.close();
    }
    expect(receiver.requests.map((r) => r.headers.host)).toEqual([`rebind.example:${receiver.port}`]);
  });

  it('checks the address again when an endpoint is turned back on', async () => {
    const endpoint = await createWebhookEndpoint(t.db, { url: receiver.url, label: 'Local' }, { allowLoopback: true });
    await t.db.updateTable('webhook_endpoints').set({ status: 'disabled', disabled_reason: 'gone' }).where('id', '=', endpoint.id).execute();
    await expect(enableWebhookEndpoint(t.db, endpoint.id)).rejects.toThrow(/loopback/);
    expect((await t.db.selectFrom('webhook_endpoints').select('status').where('id', '=', endpoint.id).executeTakeFirstOrThrow()).status).toBe('disabled');
    await enableWebhookEndpoint(t.db, endpoint.id, { allowLoopback: true });
    expect((await t.db.selectFrom('webhook_endpoints').select('status').where('id', '=', endpoint.id).executeTakeFirstOrThrow()).status).toBe('active');
  });
});
