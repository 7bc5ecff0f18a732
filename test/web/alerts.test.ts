import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import * as cheerio from 'cheerio';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { ScrapedDocument } from '../../src/domain/scraped-document.js';
import { logger } from '../../src/logger.js';
import { importDocument } from '../../src/pipeline/import-document.js';
import { hashToken, manageTokenFor } from '../../src/alerts/tokens.js';
import { dispatchOnce } from '../../src/alerts/dispatcher.js';
import { createEmailChannel } from '../../src/alerts/email/email-channel.js';
import { SUBSCRIBES_PER_CLIENT, SUBSCRIBES_PER_EMAIL } from '../../src/web/routes/alerts.js';
import { createApp } from '../../src/web/app.js';
import { testDatabases, useTestDatabase } from '../support/databases.js';
import { startSmtpServer, linkIn, type TestSmtpServer } from '../alerts/email-smtp-server.js';
import { act, csrfFrom, tinyMatcher, type Agent } from './auth-support.js';

const SECRET = 'alerts-web-test-secret-0123456789abcdefghij';
const BASE = 'https://tracker.example.org';
const DOCUMENT_ID = 'review-test:anaw/2099/5';

const weakened: ScrapedDocument = {
  ...act,
  version: { ...act.version, label: 'amended', validFrom: '2100-01-01', sourceUrl: 'https://example.test/amended' },
  clauses: act.clauses.map((c) => (c.key === 'section-1' ? { ...c, text: 'A local authority may co-produce its services with the people who use them.' } : c)),
};

let smtp: TestSmtpServer;
const savedEnv = { ...process.env };
beforeAll(async () => {
  smtp = await startSmtpServer();
  Object.assign(process.env, { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), MAIL_FROM: 'Tracker <alerts@tracker.example.org>', SESSION_SECRET: SECRET, PUBLIC_BASE_URL: BASE });
});
afterAll(async () => {
  for (const name of ['SMTP_HOST', 'SMTP_PORT', 'MAIL_FROM', 'SESSION_SECRET', 'PUBLIC_BASE_URL']) {
    if (savedEnv[name] === undefined) delete process.env[name];
    else process.env[name] = savedEnv[name];
  }
  await smtp.close();
});

let addressCounter = 0;
const newAddress = (label: string) => `${label}-${process.pid}-${++addressCounter}@example.test`;

/** GETs the subscribe page for the act and posts its form; returns the response. */
async function subscribe(agent: Agent, email: string, extra: Record<string, string | string[]> = {}) {
  const page = await agent.get(`/alerts?document=${encodeURIComponent(DOCUMENT_ID)}`);
  expect(page.status, page.text).toBe(200);
  return agent
    .post('/alerts')
    .type('form')
    .send({ _csrf: csrfFrom(page.text), document: DOCUMENT_ID, email, types: ['duty_weakened', 'clause_reworded'], frequency: 'immediate', language: 'en', ...extra });
}

async function confirmLinkFor(email: string): Promise<string> {
  const mail = await smtp.waitFor((m) => m.to.includes(email));
  return linkIn(String(mail.parsed.text), `${BASE}/alerts/confirm/`).slice(BASE.length);
}

async function subscriptionOf(db: Kysely<Database>, email: string) {
  return db
    .selectFrom('subscriptions')
    .innerJoin('subscribers', 'subscribers.id', 'subscriptions.subscriber_id')
    .selectAll('subscriptions')
    .where('subscribers.email', '=', email)
    .orderBy('subscriptions.id', 'desc')
    .executeTakeFirstOrThrow();
}

const outboxCount = async (db: Kysely<Database>, subscriptionId: number) =>
  Number((await db.selectFrom('alert_outbox').select((eb) => eb.fn.countAll().as('n')).where('subscription_id', '=', subscriptionId).executeTakeFirstOrThrow()).n);

describe.each(testDatabases)('alert subscriber pages on %s', (target) => {
  const t = useTestDatabase<Database>(target, { prepare: migrateToLatest });
  const app = () => createApp({ db: t.db, log: logger });

  beforeEach(async () => {
    await importDocument(t.db, act, { matcher: tinyMatcher('m1') });
  });

  it('the subscribe page shows what is followed, a preview, the feed and an accessible form', async () => {
    const res = await request(app()).get(`/alerts?document=${encodeURIComponent(DOCUMENT_ID)}`);
    expect(res.status).toBe(200);
    const $ = cheerio.load(res.text);
    expect($('h1').text()).toBe('Follow Reviewed Services (Wales) Act 2099');
    expect($('.alert-preview').text()).toMatch(/1\s+change in the last 7 days/);
    expect($('.alert-preview .badge').text()).toContain('New document');
    expect($('a[type="application/atom+xml"]').attr('href')).toBe(`/alerts/feed.atom?document=${encodeURIComponent(DOCUMENT_ID)}`);
    expect($('form[action="/alerts"] input[type="hidden"][name="document"]').val()).toBe(DOCUMENT_ID);
    for (const input of $('form[action="/alerts"] input:not([type="hidden"])').toArray()) {
      const id = $(input).attr('id');
      expect(id, $.html(input)).toBeTruthy();
      expect($(`label[for="${id}"]`).length, `label for ${id}`).toBe(1);
    }
    expect($('fieldset legend').map((_i, e) => $(e).text()).get()).toEqual(['Which changes', 'How often', 'Language of the emails']);
  });

  it('clause, document, principle and search pages link to the subscribe page for what they show', async () => {
    const clauseId = (await t.db.selectFrom('clauses').select('id').orderBy('id').executeTakeFirstOrThrow()).id;
    const follow = async (path: string) => {
      const res = await request(app()).get(path);
      expect(res.status, path).toBe(200);
      return cheerio.load(res.text)('.follow a').attr('href');
    };
    expect(await follow(`/clauses/${clauseId}`)).toBe(`/alerts?clause=${clauseId}`);
    expect(await follow(`/documents/${DOCUMENT_ID}`)).toBe(`/alerts?document=${encodeURIComponent(DOCUMENT_ID)}`);
    expect(await follow('/principles/shared_power')).toBe('/alerts?principle=shared_power');
    const searchFollow = await follow('/search?q=co-produce&jurisdiction=wales');
    expect(searchFollow).toBe(`/alerts?search=${encodeURIComponent('q=co-produce&jurisdiction=wales')}`);
    const page = await request(app()).get(searchFollow!);
    expect(page.status).toBe(200);
    expect(cheerio.load(page.text)('h1').text()).toBe('Follow the search “co-produce” (Wales)');
  });

  it('without a target the page explains what can be followed; a bad target is a 400 with the reason', async () => {
    const landing = await request(app()).get('/alerts');
    expect(landing.status).toBe(200);
    expect(landing.text).toContain('What you can follow');
    const missing = await request(app()).get('/alerts?document=nope:nothing');
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('There is no document with this id.');
    const two = await request(app()).get('/alerts?document=a&clause=1');
    expect(two.status).toBe(400);
    const search = await request(app()).get(`/alerts?search=${encodeURIComponent('q=co-produce&jurisdiction=wales&strength=duty')}`);
    expect(search.status).toBe(200);
    expect(cheerio.load(search.text)('h1').text()).toBe('Follow the search “co-produce” (Wales, duty)');
    const words = cheerio.load((await request(app()).get('/alerts?q=co-produce')).text);
    expect(words('h1').text()).toBe('Follow the search “co-produce”');
    expect(words('form[action="/alerts"] input[type="hidden"][name="search"]').val()).toBe('q=co-produce');
    const principle = cheerio.load((await request(app()).get('/alerts?principle=shared_power&jurisdiction=wales')).text);
    expect(principle('h1').text()).toBe('Follow the principle “Shared power” in Wales');
    expect(principle('select#jurisdiction option[selected]').val()).toBe('wales');
    expect(principle('form[action="/alerts"] input[type="hidden"][name="jurisdiction"]').val()).toBe('wales');
  });

  it('double opt-in end to end: the mail links to a page with a button; nothing is queued before confirming; confirming works once', async () => {
    const email = newAddress('reader');
    const agent = request.agent(app());
    const res = await subscribe(agent, email);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Check your inbox');
    expect(res.text).not.toContain(email);

    const confirmPath = await confirmLinkFor(email);
    const pending = await subscriptionOf(t.db, email);
    expect(pending).toMatchObject({ status: 'pending', frequency: 'immediate', target_type: 'document', event_types: '["clause_reworded","duty_weakened"]' });
    expect(pending.confirm_token_hash).toBe(hashToken(confirmPath.split('/').pop()!));
    expect(pending.manage_token_hash).toBe(hashToken(manageTokenFor(SECRET, pending.id)));

    // A change before confirming alerts no one.
    await importDocument(t.db, weakened, { matcher: tinyMatcher('m1') });
    expect(await outboxCount(t.db, pending.id)).toBe(0);

    // A mail scanner fetching the link confirms nothing.
    const page = await agent.get(confirmPath);
    expect(page.status).toBe(200);
    expect(cheerio.load(page.text)(`form[action="${confirmPath}"] button`).text()).toBe('Confirm');
    expect(page.headers['cache-control']).toContain('no-store');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect((await subscriptionOf(t.db, email)).status).toBe('pending');

    // Confirming is a form post like any other: without its CSRF token it is refused.
    expect((await request(app()).post(confirmPath).type('form').send({})).status).toBe(403);
    expect((await request(app()).post('/alerts').type('form').send({ document: DOCUMENT_ID, email: newAddress('forged'), types: 'new_document' })).status).toBe(403);
    expect((await subscriptionOf(t.db, email)).status).toBe('pending');

    const confirmed = await agent.post(confirmPath).type('form').send({ _csrf: csrfFrom(page.text) });
    expect(confirmed.status).toBe(200);
    expect(confirmed.text).toContain('Your alert is on');
    expect(confirmed.text).not.toContain(email);
    const manageHref = cheerio.load(confirmed.text)('a[href^="/alerts/manage/"]').attr('href');
    expect(manageHref).toBe(`/alerts/manage/${manageTokenFor(SECRET, pending.id)}`);
    expect((await subscriptionOf(t.db, email)).status).toBe('active');

    const again = await agent.post(confirmPath).type('form').send({ _csrf: csrfFrom(page.text) });
    expect(again.status).toBe(410);
    expect(again.text).toContain('already been used');
    expect((await agent.get(confirmPath)).status).toBe(410);

    // Now a change is queued for it.
    const weakenedAgain: ScrapedDocument = { ...weakened, version: { ...weakened.version, label: 'amended-2', validFrom: '2100-02-01' }, clauses: act.clauses };
    await importDocument(t.db, weakenedAgain, { matcher: tinyMatcher('m1') });
    expect(await outboxCount(t.db, pending.id)).toBeGreaterThan(0);
  });

  it('end to end: confirm, a change, the dispatcher mails the diff, the mail client unsubscribes in one click', async () => {
    const email = newAddress('e2e');
    const agent = request.agent(app());
    await subscribe(agent, email);
    const confirmPath = await confirmLinkFor(email);
    const page = await agent.get(confirmPath);
    expect((await agent.post(confirmPath).type('form').send({ _csrf: csrfFrom(page.text) })).status).toBe(200);

    await importDocument(t.db, weakened, { matcher: tinyMatcher('m1') });
    const channel = createEmailChannel({ db: t.db });
    try {
      const report = await dispatchOnce({ db: t.db, channels: { email: channel }, ratePerSecond: 1000 });
      expect(report).toMatchObject({ ran: true, sent: 1, failed: 0 });
    } finally {
      channel.close();
    }
    const alert = await smtp.waitFor((m) => m.to.includes(email) && m.parsed.subject !== undefined && !m.parsed.subject.startsWith('Confirm'));
    expect(alert.parsed.subject).toMatch(/^Commitment weakened: Reviewed Services \(Wales\) Act 2099 /);
    expect(String(alert.parsed.text)).toContain('A local authority [-must-][+may+] co-produce');
    const headers = alert.raw.slice(0, alert.raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
    const unsubscribeUrl = /^List-Unsubscribe: <([^>]+)>/m.exec(headers)?.[1];
    expect(unsubscribeUrl).toMatch(new RegExp(`^${BASE}/alerts/unsubscribe/[A-Za-z0-9_-]{43}$`));
    expect(headers).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);

    const oneClick = await request(app()).post(unsubscribeUrl!.slice(BASE.length)).type('form').send('List-Unsubscribe=One-Click');
    expect(oneClick.status).toBe(200);
    const { id, status } = await subscriptionOf(t.db, email);
    expect(status).toBe('deleted');
    const before = await outboxCount(t.db, id);
    await importDocument(t.db, { ...weakened, version: { ...weakened.version, label: 'amended-2', validFrom: '2100-02-01' }, clauses: act.clauses }, { matcher: tinyMatcher('m1') });
    expect(await outboxCount(t.db, id)).toBe(before);
  });

  it('expired and unknown confirmation links say so and confirm nothing', async () => {
    const email = newAddress('late');
    const agent = request.agent(app());
    await subscribe(agent, email);
    const confirmPath = await confirmLinkFor(email);
    const { id } = await subscriptionOf(t.db, email);
    await t.db.updateTable('subscriptions').set({ confirm_expires_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', id).execute();
    const page = await agent.get(confirmPath);
    expect(page.status).toBe(410);
    expect(page.text).toContain('This link has expired');
    expect(cheerio.load(page.text)('a.button').attr('href')).toBe(`/alerts?document=${encodeURIComponent(DOCUMENT_ID)}`);
    const form = await agent.get('/alerts?document=' + encodeURIComponent(DOCUMENT_ID));
    const post = await agent.post(confirmPath).type('form').send({ _csrf: csrfFrom(form.text) });
    expect(post.status).toBe(410);
    expect((await subscriptionOf(t.db, email)).status).toBe('pending');

    expect((await agent.get(`/alerts/confirm/${'A'.repeat(43)}`)).status).toBe(404);
    expect((await agent.get('/alerts/confirm/short')).status).toBe(404);
  });

  it('a new address and a known one get the same response, and both get a confirmation mail', async () => {
    const known = newAddress('known');
    await subscribe(request.agent(app()), known);
    await confirmLinkFor(known);
    const fresh = newAddress('fresh');
    const first = await subscribe(request.agent(app()), fresh);
    const second = await subscribe(request.agent(app()), known);
    expect(second.status).toBe(first.status);
    expect(second.text).toBe(first.text);
    expect(second.headers['set-cookie']).toEqual(first.headers['set-cookie']);
    expect(Object.keys(second.headers).sort()).toEqual(Object.keys(first.headers).sort());
    await confirmLinkFor(fresh);
    await smtp.waitFor((m) => m.to.includes(known) && smtp.messages.filter((x) => x.to.includes(known)).length === 2);
    expect(await t.db.selectFrom('subscribers').select('email').where('email', 'in', [known, fresh]).execute()).toHaveLength(2);
  });

  it('unsubscribe: GET only shows a button; a one-click POST with no cookies and no CSRF token unsubscribes (RFC 8058)', async () => {
    const email = newAddress('leaver');
    const agent = request.agent(app());
    await subscribe(agent, email);
    const confirmPath = await confirmLinkFor(email);
    const page = await agent.get(confirmPath);
    await agent.post(confirmPath).type('form').send({ _csrf: csrfFrom(page.text) });
    const { id } = await subscriptionOf(t.db, email);
    const path = `/alerts/unsubscribe/${manageTokenFor(SECRET, id)}`;

    const shown = await request(app()).get(path);
    expect(shown.status).toBe(200);
    expect(cheerio.load(shown.text)(`form[action="${path}"] button`).text()).toBe('Unsubscribe');
    expect((await subscriptionOf(t.db, email)).status).toBe('active');

    const oneClick = await request(app()).post(path).type('form').send('List-Unsubscribe=One-Click');
    expect(oneClick.status).toBe(200);
    expect(oneClick.text).toContain('You are unsubscribed');
    expect((await subscriptionOf(t.db, email)).status).toBe('deleted');
    // Twice is fine, and mail clients may post multipart/form-data instead.
    expect((await request(app()).post(path).field('List-Unsubscribe', 'One-Click')).status).toBe(200);
    // The exemption is for this path only: a wrong token is a 404, other forms still need their CSRF token.
    expect((await request(app()).post(`/alerts/unsubscribe/${'B'.repeat(43)}`).type('form').send('List-Unsubscribe=One-Click')).status).toBe(404);
    expect((await request(app()).post(`/alerts/manage/${manageTokenFor(SECRET, id)}`).type('form').send({ action: 'delete' })).status).toBe(403);
  });

  it('the manage page changes frequency, kinds and language, pauses, resumes and deletes; it never shows the address', async () => {
    const email = newAddress('manager');
    const agent = request.agent(app());
    await subscribe(agent, email);
    const confirmPath = await confirmLinkFor(email);
    const confirmPage = await agent.get(confirmPath);
    await agent.post(confirmPath).type('form').send({ _csrf: csrfFrom(confirmPage.text) });
    const { id } = await subscriptionOf(t.db, email);
    const path = `/alerts/manage/${manageTokenFor(SECRET, id)}`;

    const page = await agent.get(path);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(email);
    expect(page.text).toContain('Reviewed Services (Wales) Act 2099');
    const csrf = csrfFrom(page.text);

    const saved = await agent.post(path).type('form').send({ _csrf: csrf, action: 'save', types: ['new_document', 'funding_announced'], frequency: 'weekly', language: 'cy' });
    expect(saved.status).toBe(303);
    expect(await subscriptionOf(t.db, email)).toMatchObject({ frequency: 'weekly', language: 'cy', event_types: '["new_document","funding_announced"]' });

    const invalid = await agent.post(path).type('form').send({ _csrf: csrf, action: 'save', frequency: 'daily' });
    expect(invalid.status).toBe(400);
    expect(invalid.text).toContain('Choose at least one kind of change');

    expect((await agent.post(path).type('form').send({ _csrf: csrf, action: 'pause' })).status).toBe(303);
    expect((await subscriptionOf(t.db, email)).status).toBe('paused');
    expect((await agent.get(path)).text).toContain('Paused');
    expect((await agent.post(path).type('form').send({ _csrf: csrf, action: 'resume' })).status).toBe(303);
    expect((await subscriptionOf(t.db, email)).status).toBe('active');

    const deleted = await agent.post(path).type('form').send({ _csrf: csrf, action: 'delete' });
    expect(deleted.status).toBe(200);
    expect((await subscriptionOf(t.db, email)).status).toBe('deleted');
    expect((await agent.get(path)).status).toBe(410);
  });

  it('form errors re-show the form (400) without the address typed', async () => {
    const agent = request.agent(app());
    const res = await subscribe(agent, 'not-an-address', { types: [] as unknown as string });
    expect(res.status).toBe(400);
    const $ = cheerio.load(res.text);
    expect($('.error-summary').text()).toContain('Enter an email address in the form name@example.org');
    expect($('input[name="email"]').val() ?? '').toBe('');
    expect(res.text).not.toContain('not-an-address');
  });

  it(`limits sign-ups per address (${SUBSCRIBES_PER_EMAIL} an hour): then 429 with Retry-After`, async () => {
    const email = newAddress('flood');
    const agent = request.agent(app());
    for (let i = 0; i < SUBSCRIBES_PER_EMAIL; i++) expect((await subscribe(agent, email)).status).toBe(200);
    const refused = await subscribe(agent, email.toUpperCase());
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect(refused.text).toContain('Too many');
    expect(refused.text).not.toContain(email);
    // Another address from the same client is still fine.
    expect((await subscribe(agent, newAddress('other'))).status).toBe(200);
  });

  it(`limits sign-ups per client (${SUBSCRIBES_PER_CLIENT} an hour), whatever the addresses`, async () => {
    const agent = request.agent(app());
    const page = await agent.get(`/alerts?document=${encodeURIComponent(DOCUMENT_ID)}`);
    const csrf = csrfFrom(page.text);
    // Invalid addresses count too (and send nothing): the limit is on attempts.
    const post = (i: number) => agent.post('/alerts').type('form').send({ _csrf: csrf, document: DOCUMENT_ID, email: `bad-${i}`, types: 'new_document', frequency: 'daily' });
    for (let i = 0; i < SUBSCRIBES_PER_CLIENT; i++) expect((await post(i)).status).toBe(400);
    expect((await post(SUBSCRIBES_PER_CLIENT)).status).toBe(429);
  });

  it('signing up again for the same thing replaces the old subscription when confirmed', async () => {
    const email = newAddress('twice');
    const confirm = async (frequency: string) => {
      const agent = request.agent(app());
      await subscribe(agent, email, { frequency });
      const mail = await smtp.waitFor((m) => m.to.includes(email) && !confirmed.has(m.parsed.messageId ?? ''));
      confirmed.add(mail.parsed.messageId ?? '');
      const path = linkIn(String(mail.parsed.text), `${BASE}/alerts/confirm/`).slice(BASE.length);
      const page = await agent.get(path);
      expect((await agent.post(path).type('form').send({ _csrf: csrfFrom(page.text) })).status).toBe(200);
    };
    const confirmed = new Set<string>();
    await confirm('daily');
    await confirm('weekly');
    const rows = await t.db
      .selectFrom('subscriptions')
      .innerJoin('subscribers', 'subscribers.id', 'subscriptions.subscriber_id')
      .select(['subscriptions.status', 'subscriptions.frequency'])
      .where('subscribers.email', '=', email)
      .orderBy('subscriptions.id')
      .execute();
    expect(rows).toEqual([
      { status: 'deleted', frequency: 'daily' },
      { status: 'active', frequency: 'weekly' },
    ]);
  });
});

describe('alerts without a mail server', () => {
  const t = useTestDatabase<Database>('sqlite', { prepare: migrateToLatest });
  it('offers the feed and says email is not set up', async () => {
    const host = process.env.SMTP_HOST;
    delete process.env.SMTP_HOST;
    try {
      await importDocument(t.db, act, { matcher: tinyMatcher('m1') });
      const res = await request(createApp({ db: t.db, log: logger })).get(`/alerts?document=${encodeURIComponent(DOCUMENT_ID)}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('Email alerts are not set up on this site');
      expect(cheerio.load(res.text)('form[action="/alerts"]').length).toBe(0);
    } finally {
      process.env.SMTP_HOST = host;
    }
  });
});
