import { describe, expect, it } from 'vitest';
import * as cheerio from 'cheerio';
import type { AlertEvent, OutgoingDelivery } from '../../src/alerts/channel.js';
import { changeRuns } from '../../src/alerts/email/change-view.js';
import { composeAlert, composeConfirmation } from '../../src/alerts/email/compose.js';
import { classifySmtpError } from '../../src/alerts/email/email-channel.js';
import { loadSmtpConfig } from '../../src/alerts/email/smtp-config.js';
import { hashToken, manageTokenFor, newConfirmToken } from '../../src/alerts/tokens.js';

const BASE = 'https://tracker.example.org';
const SECRET = 'a-test-secret-that-is-long-enough-0123456789';

function weakenedEvent(id = 41, overrides: Partial<AlertEvent> = {}): AlertEvent {
  const beforeText = 'A local authority must co-produce its services with the people who use them.';
  const afterText = 'A local authority may co-produce its services with the people who use them.';
  return {
    id,
    types: ['duty_weakened', 'clause_reworded'],
    kind: 'reworded',
    reasons: ['strength_weakened'],
    createdAt: '2099-03-02T10:00:00.000Z',
    document: { id: 'review-test:anaw/2099/5', title: 'Reviewed Services (Wales) Act 2099', kind: 'act', jurisdiction: 'wales' },
    version: { id: 2, label: 'revised', validFrom: '2099-03-01' },
    language: 'en',
    clause: { id: 7, provision: '1' },
    before: { clauseVersionId: 10, text: beforeText, heading: 'Duty to co-produce', strength: 'duty', principles: ['explicit_coproduction'], evidence: [{ start: 23, end: 33 }], amounts: [] },
    after: { clauseVersionId: 11, text: afterText, heading: 'Duty to co-produce', strength: 'power', principles: ['explicit_coproduction', 'shared_power'], evidence: [{ start: 22, end: 32 }], amounts: ['GBP 2300000 per-year'] },
    path: '/clauses/7#v11',
    ...overrides,
  };
}

function deliveryOf(events: AlertEvent[], overrides: Partial<OutgoingDelivery> = {}, language = 'en'): OutgoingDelivery {
  return {
    id: 5,
    messageId: 'alert-5-0123abcd@tracker.example.org',
    windowKey: 'daily:2099-03-02',
    attempt: 1,
    subscription: {
      id: 3,
      channel: 'email',
      subscriber_id: 1,
      webhook_id: null,
      target_type: 'document',
      target: JSON.stringify({ documentId: 'review-test:anaw/2099/5' }),
      event_types: '["duty_weakened"]',
      frequency: 'daily',
      language,
      status: 'active',
      suspended_reason: null,
      confirm_token_hash: null,
      confirm_expires_at: null,
      manage_token_hash: 'x',
      created_at: '2099-01-01T00:00:00.000Z',
      confirmed_at: '2099-01-01T00:00:00.000Z',
      updated_at: '2099-01-01T00:00:00.000Z',
    },
    events,
    notices: [],
    ...overrides,
  };
}

const context = { from: 'Tracker <alerts@tracker.example.org>', to: 'reader@example.test', baseUrl: BASE, secret: SECRET, targetText: 'Reviewed Services (Wales) Act 2099' };

describe('alert messages', () => {
  it('carry the fixed Message-ID, RFC 8058 one-click headers and visible manage and unsubscribe links', async () => {
    const message = await composeAlert(deliveryOf([weakenedEvent()]), context);
    const token = manageTokenFor(SECRET, 3);
    expect(message.messageId).toBe('<alert-5-0123abcd@tracker.example.org>');
    expect(message.headers).toMatchObject({
      'List-Unsubscribe': `<${BASE}/alerts/unsubscribe/${token}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    expect(message.text).toContain(`${BASE}/alerts/unsubscribe/${token}`);
    expect(message.text).toContain(`${BASE}/alerts/manage/${token}`);
    const $ = cheerio.load(String(message.html));
    expect($(`a[href="${BASE}/alerts/unsubscribe/${token}"]`).text()).toBe('Unsubscribe');
    expect($(`a[href="${BASE}/alerts/manage/${token}"]`).length).toBe(1);
  });

  it('show each change as a word diff in context, the matched words marked, strength, principles and money in words, an absolute link', async () => {
    const message = await composeAlert(deliveryOf([weakenedEvent()]), context);
    const text = String(message.text);
    expect(text).toContain('== Commitment weakened · Clause reworded ==');
    expect(text).toContain('A local authority [-must-][+may+] *co-produce* its services');
    expect(text).toContain('Strength: Duty → Power.');
    expect(text).toContain('Principles added: Shared power.');
    expect(text).toContain('Money: GBP 2300000 per-year.');
    expect(text).toContain(`See the clause and its history: ${BASE}/clauses/7#v11`);
    const $ = cheerio.load(String(message.html));
    expect($('del').text()).toBe('must');
    expect($('ins').text()).toBe('may');
    expect($('mark').text()).toBe('co-produce');
    expect($(`a[href="${BASE}/clauses/7#v11"]`).length).toBe(1);
  });

  it('digests list every event and every notice; the subject counts them', async () => {
    const second = weakenedEvent(42, { types: ['new_document'], kind: 'document_added', clause: null, before: null, after: null, path: '/documents/review-test:anaw/2099/6', document: { id: 'review-test:anaw/2099/6', title: 'Second Act 2099', kind: 'act', jurisdiction: 'wales' } });
    const message = await composeAlert(deliveryOf([weakenedEvent(), second], { notices: ['gov.wales statements: no successful run since 1 March 2099'] }), context);
    expect(message.subject).toBe('Daily digest: 2 changes — Reviewed Services (Wales) Act 2099');
    const text = String(message.text);
    expect(text).toContain('Reviewed Services (Wales) Act 2099 — 1');
    expect(text).toContain('A new document: Second Act 2099.');
    expect(text).toContain(`See the document: ${BASE}/documents/review-test:anaw/2099/6`);
    expect(text).toContain('Notices:\n- gov.wales statements: no successful run since 1 March 2099');
    expect(cheerio.load(String(message.html))('li').text()).toContain('no successful run since 1 March 2099');
  });

  it('an immediate alert names the change in its subject', async () => {
    const message = await composeAlert(deliveryOf([weakenedEvent()], { windowKey: 'event:41' }), context);
    expect(message.subject).toBe('Commitment weakened: Reviewed Services (Wales) Act 2099 1');
  });

  it('Welsh subscribers get the fixed wording in Welsh and the scraped text as it is', async () => {
    const message = await composeAlert(deliveryOf([weakenedEvent()], {}, 'cy'), { ...context, targetText: 'Deddf' });
    expect(message.subject).toBe('Crynodeb dyddiol: 1 newid — Deddf');
    const text = String(message.text);
    expect(text).toContain('Ymrwymiad wedi’i wanhau');
    expect(text).toContain('Cryfder: Dyletswydd → Pŵer.');
    expect(text).toContain('Dad-danysgrifio:');
    expect(text).toContain('A local authority [-must-][+may+]');
    expect(cheerio.load(String(message.html))('html').attr('lang')).toBe('cy');
  });

  it('escape scraped text in the HTML part and keep subjects on one line', async () => {
    const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)> "quoted" & more';
    const event = weakenedEvent(43, { document: { id: 'd', title: `Evil\r\nBcc: victim@example.test ${hostile}`, kind: 'act', jurisdiction: 'wales' } });
    event.after = { ...event.after!, text: hostile, evidence: [], heading: hostile };
    const message = await composeAlert(deliveryOf([event], { windowKey: 'event:43' }), context);
    const html = String(message.html);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;');
    expect(String(message.subject)).not.toMatch(/[\r\n]/);
    expect(String(message.text)).toContain(hostile);
  });

  it('a long clause is cut to the words around the change', () => {
    const filler = 'The authority shall keep records of its meetings and publish them. '.repeat(40);
    const runs = changeRuns(
      { clauseVersionId: 1, text: `${filler}It must consult people.${filler}`, heading: null, strength: null, principles: [], evidence: [], amounts: [] },
      { clauseVersionId: 2, text: `${filler}It may consult people.${filler}`, heading: null, strength: null, principles: [], evidence: [], amounts: [] },
    );
    const shown = runs.map((r) => r.text).join('');
    expect(shown.length).toBeLessThan(800);
    expect(runs.filter((r) => r.kind === 'gap')).toHaveLength(2);
    expect(runs.find((r) => r.kind === 'del')?.text).toBe('must');
  });

  it('a saved search marks the words it looked for', () => {
    const side = { clauseVersionId: 2, text: 'Bodies must involve people in the design of services.', heading: null, strength: null, principles: [], evidence: [], amounts: [] };
    const runs = changeRuns(null, side, 'involvement design');
    expect(runs.filter((r) => r.mark).map((r) => r.text)).toEqual(['involve', 'design']);
  });
});

describe('confirmation messages', () => {
  it('link to the confirm page, in the chosen language, and say how long the link works', async () => {
    const en = await composeConfirmation({ from: context.from, to: context.to, baseUrl: BASE, token: 'T'.repeat(43), language: 'en', frequency: 'weekly', targetText: 'the search “duty”' });
    expect(en.subject).toBe('Confirm your alert: the search “duty”');
    expect(en.text).toContain(`${BASE}/alerts/confirm/${'T'.repeat(43)}`);
    expect(en.text).toContain('expires in 48 hours');
    expect(en.text).toContain('(a weekly digest)');
    const cy = await composeConfirmation({ from: context.from, to: context.to, baseUrl: BASE, token: 'T'.repeat(43), language: 'cy', frequency: 'daily', targetText: 'y chwiliad' });
    expect(cy.subject).toBe('Cadarnhewch eich rhybudd: y chwiliad');
    expect(cy.text).toContain('48 awr');
  });
});

describe('tokens', () => {
  it('confirmation tokens are 32 random bytes, stored as SHA-256 hex, good for 48 hours', () => {
    const now = new Date('2099-01-01T00:00:00Z');
    const t = newConfirmToken(now);
    expect(t.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(t.hash).toBe(hashToken(t.token));
    expect(t.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(t.expiresAt).toBe('2099-01-03T00:00:00.000Z');
    expect(newConfirmToken(now).token).not.toBe(t.token);
  });

  it('manage tokens are derived from the secret and the subscription id', () => {
    expect(manageTokenFor(SECRET, 3)).toBe(manageTokenFor(SECRET, 3));
    expect(manageTokenFor(SECRET, 3)).not.toBe(manageTokenFor(SECRET, 4));
    expect(manageTokenFor(`${SECRET}x`, 3)).not.toBe(manageTokenFor(SECRET, 3));
    expect(manageTokenFor(SECRET, 3)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('SMTP settings', () => {
  it('reads the environment with defaults', () => {
    expect(loadSmtpConfig({ SMTP_HOST: 'mail.example.org', MAIL_FROM: 'Tracker <alerts@example.org>' })).toEqual({ host: 'mail.example.org', port: 587, secure: false, auth: undefined, from: 'Tracker <alerts@example.org>' });
    expect(loadSmtpConfig({ SMTP_HOST: 'mail.example.org', SMTP_SECURE: '1', SMTP_USER: 'u', SMTP_PASSWORD: 'p', MAIL_FROM: 'alerts@example.org' })).toMatchObject({ port: 465, secure: true, auth: { user: 'u', pass: 'p' } });
  });

  it.each([
    [{ MAIL_FROM: 'a@b.org' }, /SMTP_HOST/],
    [{ SMTP_HOST: 'h' }, /MAIL_FROM is required/],
    [{ SMTP_HOST: 'h', MAIL_FROM: 'a@b.org', SMTP_PORT: 'twenty-five' }, /SMTP_PORT must be a port number/],
    [{ SMTP_HOST: 'h', MAIL_FROM: 'a@b.org', SMTP_PORT: '70000' }, /SMTP_PORT must be between 1 and 65535/],
    [{ SMTP_HOST: 'h', MAIL_FROM: 'a@b.org', SMTP_SECURE: 'yes' }, /SMTP_SECURE must be 1 or 0/],
    [{ SMTP_HOST: 'h', MAIL_FROM: 'a@b.org', SMTP_USER: 'u' }, /SMTP_USER and SMTP_PASSWORD go together/],
    [{ SMTP_HOST: 'h', MAIL_FROM: 'not an address' }, /MAIL_FROM must be an address/],
  ])('refuses %j with a clear message', (env, message) => {
    expect(() => loadSmtpConfig(env)).toThrow(message);
  });
});

describe('SMTP failures', () => {
  it.each([
    ['421 service not available', { code: 'EENVELOPE', responseCode: 421, command: 'RCPT TO' }, { status: 'temporary' }],
    ['452 mailbox full', { code: 'EENVELOPE', responseCode: 452, command: 'RCPT TO' }, { status: 'temporary' }],
    ['connection refused', { code: 'ESOCKET', message: 'connect ECONNREFUSED 127.0.0.1:1' }, { status: 'temporary' }],
    ['timeout', { code: 'ETIMEDOUT', command: 'CONN' }, { status: 'temporary' }],
    ['login refused (our settings)', { code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN' }, { status: 'temporary' }],
    ['550 no such user on RCPT', { code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO' }, { status: 'permanent', bounce: true }],
    ['551 user not local on RCPT', { code: 'EENVELOPE', responseCode: 551, command: 'RCPT TO' }, { status: 'permanent', bounce: true }],
    ['553 mailbox name not allowed on RCPT', { code: 'EENVELOPE', responseCode: 553, command: 'RCPT TO' }, { status: 'permanent', bounce: true }],
    ['554 on DATA (content refused)', { code: 'EMESSAGE', responseCode: 554, command: 'DATA' }, { status: 'permanent' }],
    ['552 on RCPT (too big, not a bounce)', { code: 'EENVELOPE', responseCode: 552, command: 'RCPT TO' }, { status: 'permanent' }],
  ])('%s', (_name, error, expected) => {
    const outcome = classifySmtpError(Object.assign(new Error('smtp'), error));
    expect(outcome).toMatchObject(expected);
    if (!('bounce' in expected)) expect(outcome).not.toHaveProperty('bounce');
  });
});
