import * as cheerio from 'cheerio';
import request from 'supertest';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatchOnce } from '../../src/alerts/dispatcher.js';
import { webhookChannel } from '../../src/alerts/webhooks/webhook-channel.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { logger } from '../../src/logger.js';
import { createApp } from '../../src/web/app.js';
import { testDatabases, useTestDatabase } from '../support/databases.js';
import { count, csrfFrom, signedInAgent } from '../web/auth-support.js';
import { importIntroduced, importStage2, startReceiver, type Receiver } from './webhook-support.js';

describe.each(testDatabases)('/admin/webhooks on %s', (target) => {
  const t = useTestDatabase<Database>(target, { prepare: migrateToLatest });
  const app = () => createApp({ db: t.db, log: logger });
  let receiver: Receiver;
  let loopbackBefore: string | undefined;

  beforeEach(async () => {
    receiver = await startReceiver();
    loopbackBefore = process.env.WEBHOOK_ALLOW_LOOPBACK;
    delete process.env.WEBHOOK_ALLOW_LOOPBACK;
    await importIntroduced(t.db);
  });
  afterEach(async () => {
    if (loopbackBefore === undefined) delete process.env.WEBHOOK_ALLOW_LOOPBACK;
    else process.env.WEBHOOK_ALLOW_LOOPBACK = loopbackBefore;
    await receiver.close();
  });

  it('is for signed-in reviewers only: visitors are sent to sign in, and their posts refused', async () => {
    const res = await request(app()).get('/admin/webhooks');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login?next=%2Fadmin%2Fwebhooks');
    // Without a session there is no valid CSRF token either: refused before the route runs.
    expect((await request(app()).post('/admin/webhooks').type('form').send({ url: 'https://example.org/hook' })).status).toBe(403);
    const agent = request.agent(app());
    await signedInAgent(agent, t.db);
    // A signed-in reviewer without the form's token is refused too.
    expect((await agent.post('/admin/webhooks').type('form').send({ url: 'https://example.org/hook' })).status).toBe(403);
    expect(await count(t.db, 'webhook_endpoints')).toBe(0);
  });

  it('refuses private and loopback URLs with a message, stores nothing, and keeps what was typed', async () => {
    const agent = request.agent(app());
    const csrf = await signedInAgent(agent, t.db);
    for (const [url, message] of [
      [receiver.url, /127\.0\.0\.1 is a loopback address/],
      ['http://169.254.169.254/latest/meta-data/', /link-local/],
      [`http://localhost:${receiver.port}/x`, /loopback/],
      ['gopher://example.org/', /https or http/],
      ['', /Give the address/],
    ] as const) {
      const res = await agent.post('/admin/webhooks').type('form').send({ _csrf: csrf, url, label: 'Newsroom <b>' });
      expect(res.status, url).toBe(400);
      const $ = cheerio.load(res.text);
      expect($('.error-summary').text()).toMatch(message);
      expect($('#url').val()).toBe(url);
      expect(res.text).not.toContain('Newsroom <b>');
    }
    expect(await count(t.db, 'webhook_endpoints')).toBe(0);
  });

  it('registers an endpoint showing its secret once, adds subscriptions without confirmation, and the dispatcher posts signed alerts to it', async () => {
    process.env.WEBHOOK_ALLOW_LOOPBACK = '1';
    const agent = request.agent(app());
    const csrf = await signedInAgent(agent, t.db);
    const created = await agent.post('/admin/webhooks').type('form').send({ _csrf: csrf, url: receiver.url, label: 'Newsroom' });
    expect(created.status).toBe(201);
    expect(created.headers['cache-control']).toMatch(/no-store/);
    const endpoint = await t.db.selectFrom('webhook_endpoints').selectAll().executeTakeFirstOrThrow();
    expect(endpoint).toMatchObject({ url: receiver.url, label: 'Newsroom', status: 'active' });
    expect(cheerio.load(created.text)('code.secret').text()).toBe(endpoint.secret);
    const page = await agent.get('/admin/webhooks');
    expect(page.status).toBe(200);
    expect(page.text).toContain(receiver.url);
    expect(page.text).not.toContain(endpoint.secret);
    // Reloading the "secret shown once" page posts again: it must not make a second endpoint.
    const again = await agent.post('/admin/webhooks').type('form').send({ _csrf: csrf, url: receiver.url, label: 'Newsroom' });
    expect(again.status).toBe(400);
    expect(again.text).toContain('This address already has an endpoint (Newsroom)');
    expect(await count(t.db, 'webhook_endpoints')).toBe(1);

    // Bad subscription forms say what to fix.
    const bad = await agent.post(`/admin/webhooks/${endpoint.id}/subscriptions`).type('form').send({ _csrf: csrf, follow: 'document', document: 'no-such-doc', types: 'duty_weakened', frequency: 'immediate' });
    expect(bad.status).toBe(400);
    expect(cheerio.load(bad.text)('.error-summary').text()).toMatch(/There is no document with this id/);
    const noTypes = await agent.post(`/admin/webhooks/${endpoint.id}/subscriptions`).type('form').send({ _csrf: csrf, follow: 'principle', principle: 'explicit_coproduction', frequency: 'immediate' });
    expect(cheerio.load(noTypes.text)('.error-summary').text()).toMatch(/at least one kind of change/);

    const added = await agent
      .post(`/admin/webhooks/${endpoint.id}/subscriptions`)
      .type('form')
      .send(`_csrf=${encodeURIComponent(csrf)}&follow=principle&principle=explicit_coproduction&jurisdiction=wales&types=duty_weakened&types=new_coproduction_clause&frequency=immediate`);
    expect(added.status, added.text.slice(0, 500)).toBe(303);
    const subscription = await t.db.selectFrom('subscriptions').selectAll().executeTakeFirstOrThrow();
    expect(subscription).toMatchObject({ channel: 'webhook', webhook_id: endpoint.id, subscriber_id: null, target_type: 'principle', status: 'active', frequency: 'immediate', confirm_token_hash: null });
    expect(JSON.parse(subscription.target)).toEqual({ principle: 'explicit_coproduction', jurisdiction: 'wales' });
    expect(JSON.parse(subscription.event_types)).toEqual(['new_coproduction_clause', 'duty_weakened']);
    const listed = cheerio.load((await agent.get('/admin/webhooks')).text);
    expect(listed(`#endpoint-${endpoint.id} table`).first().text()).toMatch(/principle: Co-production named in Wales/);
    expect(listed(`#endpoint-${endpoint.id} a[href^="/alerts/feed.atom?"]`).attr('href')).toBe('/alerts/feed.atom?principle=explicit_coproduction&jurisdiction=wales&types=new_coproduction_clause%2Cduty_weakened');

    // The law changes: the import queues the alert, the dispatcher posts it, signed with the secret shown once.
    await importStage2(t.db);
    const channel = webhookChannel({ db: t.db });
    try {
      expect(await dispatchOnce({ db: t.db, channels: { webhook: channel }, ratePerSecond: 1000 })).toMatchObject({ formed: 1, sent: 1 });
    } finally {
      await channel.close();
    }
    expect(receiver.requests).toHaveLength(1);
    const r = receiver.requests[0]!;
    const payload = new Webhook(endpoint.secret).verify(r.body, { 'webhook-id': String(r.headers['webhook-id']), 'webhook-timestamp': String(r.headers['webhook-timestamp']), 'webhook-signature': String(r.headers['webhook-signature']) }) as { data: { events: { types: string[] }[] } };
    expect(payload.data.events.map((e) => e.types)).toEqual([['clause_reworded', 'duty_weakened'], ['new_coproduction_clause', 'funding_announced']]);
    const deliveries = cheerio.load((await agent.get('/admin/webhooks')).text);
    expect(deliveries(`#endpoint-${endpoint.id}`).text()).toContain(String(r.headers['webhook-id']));
  });

  it('turns endpoints off and on (checking the address again), rotates the secret, and pauses and deletes subscriptions', async () => {
    process.env.WEBHOOK_ALLOW_LOOPBACK = '1';
    const agent = request.agent(app());
    const csrf = await signedInAgent(agent, t.db);
    await agent.post('/admin/webhooks').type('form').send({ _csrf: csrf, url: receiver.url, label: 'Newsroom' });
    const endpoint = await t.db.selectFrom('webhook_endpoints').selectAll().executeTakeFirstOrThrow();
    await agent.post(`/admin/webhooks/${endpoint.id}/subscriptions`).type('form').send({ _csrf: csrf, follow: 'search', search: '/search?q=co-produce&jurisdiction=wales', types: 'clause_reworded', frequency: 'daily' });
    const subscription = await t.db.selectFrom('subscriptions').selectAll().executeTakeFirstOrThrow();
    expect(JSON.parse(subscription.target)).toEqual({ q: 'co-produce', filters: { jurisdiction: 'wales' } });

    expect((await agent.post(`/admin/webhooks/${endpoint.id}/disable`).type('form').send({ _csrf: csrf })).status).toBe(303);
    expect(await t.db.selectFrom('webhook_endpoints').select(['status', 'disabled_reason']).executeTakeFirstOrThrow()).toEqual({ status: 'disabled', disabled_reason: 'disabled by ana' });
    delete process.env.WEBHOOK_ALLOW_LOOPBACK;
    const refused = await agent.post(`/admin/webhooks/${endpoint.id}/enable`).type('form').send({ _csrf: csrf });
    expect(refused.status).toBe(400);
    expect(cheerio.load(refused.text)('.error-summary').text()).toMatch(/was not turned back on: .*loopback/);
    process.env.WEBHOOK_ALLOW_LOOPBACK = '1';
    expect((await agent.post(`/admin/webhooks/${endpoint.id}/enable`).type('form').send({ _csrf: csrf })).status).toBe(303);
    expect((await t.db.selectFrom('webhook_endpoints').select('status').executeTakeFirstOrThrow()).status).toBe('active');

    const rotated = await agent.post(`/admin/webhooks/${endpoint.id}/rotate-secret`).type('form').send({ _csrf: csrf });
    const secret = (await t.db.selectFrom('webhook_endpoints').select('secret').executeTakeFirstOrThrow()).secret;
    expect(secret).not.toBe(endpoint.secret);
    expect(cheerio.load(rotated.text)('code.secret').text()).toBe(secret);

    const status = async () => (await t.db.selectFrom('subscriptions').select('status').executeTakeFirstOrThrow()).status;
    await agent.post(`/admin/webhooks/${endpoint.id}/subscriptions/${subscription.id}/pause`).type('form').send({ _csrf: csrf });
    expect(await status()).toBe('paused');
    await agent.post(`/admin/webhooks/${endpoint.id}/subscriptions/${subscription.id}/resume`).type('form').send({ _csrf: csrf });
    expect(await status()).toBe('active');
    await agent.post(`/admin/webhooks/${endpoint.id}/subscriptions/${subscription.id}/delete`).type('form').send({ _csrf: csrf });
    expect(await status()).toBe('deleted');
    // Deleted is final here, and other endpoints' subscriptions or unknown ids are 404s.
    expect((await agent.post(`/admin/webhooks/${endpoint.id}/subscriptions/${subscription.id}/resume`).type('form').send({ _csrf: csrf })).status).toBe(404);
    expect((await agent.post(`/admin/webhooks/999/disable`).type('form').send({ _csrf: csrf })).status).toBe(404);
    expect((await agent.post(`/admin/webhooks/${endpoint.id}/explode`).type('form').send({ _csrf: csrf })).status).toBe(404);
    expect(csrfFrom((await agent.get('/admin/webhooks')).text)).toBe(csrf);
  });
});
