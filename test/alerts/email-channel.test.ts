import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as cheerio from 'cheerio';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { ScrapedDocument } from '../../src/domain/scraped-document.js';
import { importDocument } from '../../src/pipeline/import-document.js';
import { loadAlertEvents } from '../../src/alerts/alert-events.js';
import type { OutgoingDelivery } from '../../src/alerts/channel.js';
import { createEmailChannel } from '../../src/alerts/email/email-channel.js';
import { confirmSubscription, createPendingSubscription } from '../../src/alerts/email/subscriber-subscriptions.js';
import { parseTarget } from '../../src/alerts/subscription-targets.js';
import { hashToken, manageTokenFor } from '../../src/alerts/tokens.js';
import { testDatabases, useTestDatabase } from '../support/databases.js';
import { act, tinyMatcher } from '../web/auth-support.js';
import { startSmtpServer, type TestSmtpServer } from './email-smtp-server.js';

const SECRET = 'email-channel-test-secret-0123456789abcdef';
const BASE = 'https://tracker.example.org';
const FROM = 'Co-production tracker <alerts@tracker.example.org>';

const weakened: ScrapedDocument = {
  ...act,
  version: { ...act.version, label: 'amended', validFrom: '2100-01-01', sourceUrl: 'https://example.test/amended' },
  clauses: act.clauses.map((c) => (c.key === 'section-1' ? { ...c, text: 'A local authority may co-produce its services with the people who use them.' } : c)),
};

let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startSmtpServer({
    rejectRecipient: (address) =>
      address.startsWith('gone@') ? { code: 550, message: '5.1.1 No such user' } : address.startsWith('full@') ? { code: 452, message: '4.2.2 Mailbox full' } : null,
  });
});
afterAll(async () => {
  await smtp.close();
});

/** A confirmed subscription to the act, and a daily delivery of every event it has queued. */
async function digestFor(db: Kysely<Database>, email: string, language: 'en' | 'cy' = 'en'): Promise<OutgoingDelivery> {
  const documentId = (await db.selectFrom('documents').select('id').executeTakeFirstOrThrow()).id;
  const { subscriptionId, confirmToken } = await createPendingSubscription(
    db,
    { email, target: parseTarget('document', { documentId }), eventTypes: ['duty_weakened', 'clause_reworded'], frequency: 'daily', language },
    SECRET,
  );
  await confirmSubscription(db, confirmToken);
  await importDocument(db, weakened, { matcher: tinyMatcher('m1') });
  const rows = await db.selectFrom('alert_outbox').select('change_event_id').where('subscription_id', '=', subscriptionId).execute();
  expect(rows.length).toBeGreaterThan(0);
  const subscription = await db.selectFrom('subscriptions').selectAll().where('id', '=', subscriptionId).executeTakeFirstOrThrow();
  return {
    id: 9,
    messageId: `alert-9-${randomBytes(4).toString('hex')}@tracker.example.org`,
    windowKey: 'daily:2100-01-01',
    attempt: 1,
    subscription,
    events: await loadAlertEvents(db, rows.map((r) => r.change_event_id)),
    notices: ['UK written statements: no successful run since 30 December 2099'],
  };
}

describe.each(testDatabases)('email channel on %s', (target) => {
  const t = useTestDatabase<Database>(target, { prepare: migrateToLatest });
  const channel = () => createEmailChannel({ db: t.db, smtp: { host: '127.0.0.1', port: smtp.port, secure: false, auth: undefined, from: FROM }, baseUrl: BASE, secret: SECRET });

  it('sends a digest of real change events: the diff, the words, the Message-ID and RFC 8058 headers, to the subscriber only', async () => {
    await importDocument(t.db, act, { matcher: tinyMatcher('m1') });
    const delivery = await digestFor(t.db, `reader-${target}@example.test`);
    const email = channel();
    expect(await email.send(delivery)).toEqual({ status: 'sent' });
    email.close();
    const mail = await smtp.waitFor((m) => m.parsed.messageId === `<${delivery.messageId}>`);
    expect(mail.to).toEqual([`reader-${target}@example.test`]);
    const token = manageTokenFor(SECRET, delivery.subscription.id);
    expect(hashToken(token)).toBe(delivery.subscription.manage_token_hash);
    // Headers as a mail client reads them: folded lines unfolded.
    const headers = mail.raw.slice(0, mail.raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
    expect(headers).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
    expect(headers).toMatch(new RegExp(`^List-Unsubscribe: <${BASE}/alerts/unsubscribe/${token}>\\r?$`, 'm'));
    expect(mail.parsed.subject).toBe('Daily digest: 1 change — Reviewed Services (Wales) Act 2099');
    const text = String(mail.parsed.text);
    expect(text).toContain('Commitment weakened');
    expect(text).toContain('A local authority [-must-][+may+] co-produce its services');
    expect(text).toContain('Strength: Duty → Power.');
    expect(text).toMatch(new RegExp(`See the clause and its history: ${BASE}/clauses/\\d+#v\\d+`));
    expect(text).toContain('- UK written statements: no successful run since 30 December 2099');
    const $ = cheerio.load(String(mail.parsed.html));
    expect($('del').text()).toBe('must');
    expect($('ins').text()).toBe('may');
    expect($(`a[href="${BASE}/alerts/unsubscribe/${token}"]`).length).toBe(1);
  });

  it('writes to Welsh subscribers in Welsh', async () => {
    await importDocument(t.db, act, { matcher: tinyMatcher('m1') });
    const delivery = await digestFor(t.db, `cymraeg-${target}@example.test`, 'cy');
    const email = channel();
    expect(await email.send(delivery)).toEqual({ status: 'sent' });
    email.close();
    const mail = await smtp.waitFor((m) => m.parsed.messageId === `<${delivery.messageId}>`);
    expect(mail.parsed.subject).toMatch(/^Crynodeb dyddiol: 1 newid — /);
    expect(String(mail.parsed.text)).toContain('Cryfder: Dyletswydd → Pŵer.');
  });

  it('a mailbox that does not exist (550 on RCPT) is a permanent bounce; a full one (452) is temporary', async () => {
    await importDocument(t.db, act, { matcher: tinyMatcher('m1') });
    const gone = await digestFor(t.db, `gone@example.test`);
    const email = channel();
    expect(await email.send(gone)).toMatchObject({ status: 'permanent', bounce: true, error: expect.stringContaining('No such user') });
    const full = { ...gone, subscription: { ...gone.subscription, subscriber_id: await subscriberId(t.db, 'full@example.test') } };
    expect(await email.send(full)).toMatchObject({ status: 'temporary', error: expect.stringContaining('Mailbox full') });
    email.close();
  });

  it('a relay that is not there is a temporary failure', async () => {
    await importDocument(t.db, act, { matcher: tinyMatcher('m1') });
    const delivery = await digestFor(t.db, `reader2-${target}@example.test`);
    const closed = await startSmtpServer();
    const port = closed.port;
    await closed.close();
    const email = createEmailChannel({ db: t.db, smtp: { host: '127.0.0.1', port, secure: false, auth: undefined, from: FROM }, baseUrl: BASE, secret: SECRET });
    expect(await email.send(delivery)).toMatchObject({ status: 'temporary', error: expect.stringMatching(/ECONNREFUSED|connect/i) });
    email.close();
  });
});

async function subscriberId(db: Kysely<Database>, email: string): Promise<number> {
  await db.insertInto('subscribers').values({ email, hard_bounces: 0, created_at: new Date().toISOString() }).execute();
  return (await db.selectFrom('subscribers').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
}
