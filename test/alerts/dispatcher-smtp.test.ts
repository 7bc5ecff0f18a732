import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/schema.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { importDocument } from '../../src/pipeline/import-document.js';
import { dispatchOnce } from '../../src/alerts/dispatcher.js';
import { alertsDispatchCommand } from '../../src/cli/alerts-dispatch-command.js';
import { loadConfig } from '../../src/config.js';
import { openServices } from '../../src/services.js';
import { createEmailChannel, type EmailChannel } from '../../src/alerts/email/email-channel.js';
import { testDatabases, useTestDatabase } from '../support/databases.js';
import { actDocument, addSubscription, tinyMatcher } from './support/alert-fixtures.js';

/**
 * The dispatcher with the real email channel against a real SMTP server on loopback that answers 4xx and
 * then 5xx: temporary refusals are retried with backoff under the same Message-ID, hard bounces are
 * never retried and three of them suspend the address.
 */
type Answer = { code: number; message: string } | 'accept';

function smtpError(answer: { code: number; message: string }): Error {
  return Object.assign(new Error(answer.message), { responseCode: answer.code });
}

describe.each(testDatabases)('dispatcher over SMTP on %s', (target) => {
  const t = useTestDatabase<Database>(target, { prepare: migrateToLatest });
  let server: SMTPServer;
  let port: number;
  /** Scripted answers per recipient, consumed in order; once empty, accept. */
  const rcptAnswers = new Map<string, Answer[]>();
  const dataAnswers = new Map<string, Answer[]>();
  const attempts: { stage: 'rcpt' | 'data'; to: string; messageId?: string; accepted: boolean }[] = [];

  beforeAll(async () => {
    server = new SMTPServer({
      disabledCommands: ['STARTTLS', 'AUTH'],
      authOptional: true,
      logger: false,
      onRcptTo(address, _session, callback) {
        const answer = rcptAnswers.get(address.address)?.shift() ?? 'accept';
        attempts.push({ stage: 'rcpt', to: address.address, accepted: answer === 'accept' });
        callback(answer === 'accept' ? undefined : smtpError(answer));
      },
      onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const to = session.envelope.rcptTo[0]!.address;
          const answer = dataAnswers.get(to)?.shift() ?? 'accept';
          void simpleParser(Buffer.concat(chunks)).then((mail) => {
            attempts.push({ stage: 'data', to, messageId: mail.messageId ?? '', accepted: answer === 'accept' });
            callback(answer === 'accept' ? undefined : smtpError(answer));
          });
        });
      },
    });
    server.on('error', () => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function channel(): EmailChannel {
    return createEmailChannel({ db: t.db, smtp: { host: '127.0.0.1', port, secure: false, auth: undefined, from: 'Tracker <alerts@tracker.test>' }, baseUrl: 'https://tracker.test', secret: 'smtp-test-secret' });
  }
  const matcher = tinyMatcher();
  async function newDocument(n: string, at: string): Promise<void> {
    await importDocument(t.db, actDocument(`smtp/${n}`, [{ key: 'section-1', text: `A local authority must co-produce service ${n}.` }]), { matcher, now: () => new Date(at) });
  }

  it('4xx is retried with backoff under the same Message-ID until accepted', async () => {
    const to = `slow-${target}@example.test`;
    dataAnswers.set(to, [
      { code: 451, message: 'Temporary local problem' },
      { code: 452, message: 'Insufficient storage' },
    ]);
    await addSubscription(t.db, { email: to, target: { type: 'search', q: 'service', filters: {} }, eventTypes: ['new_document'] });
    await newDocument('slow', '2026-11-25T10:00:00Z');
    const email = channel();
    try {
      for (const at of ['2026-11-25T10:00:00Z', '2026-11-25T10:00:30Z', '2026-11-25T10:01:00Z', '2026-11-25T10:03:00Z']) {
        await dispatchOnce({ db: t.db, channels: { email }, now: () => new Date(at), ratePerSecond: 100, holder: 'smtp-test' });
      }
    } finally {
      email.close();
    }
    const seen = attempts.filter((a) => a.to === to && a.stage === 'data');
    expect(seen.map((a) => a.accepted)).toEqual([false, false, true]);
    expect(new Set(seen.map((a) => a.messageId)).size).toBe(1);
    const delivery = await t.db.selectFrom('alert_deliveries').selectAll().executeTakeFirstOrThrow();
    expect(seen[0]!.messageId).toBe(`<${delivery.message_id}>`);
    expect(delivery).toMatchObject({ status: 'sent', attempts: 3, sent_at: '2026-11-25T10:03:00.000Z', last_error: null });
  });

  it('4xx then 5xx on RCPT: retried, then failed without retry; three hard bounces suspend every subscription of the address', async () => {
    const to = `gone-${target}@example.test`;
    rcptAnswers.set(to, [
      { code: 450, message: 'Mailbox busy' },
      { code: 550, message: 'No such user here' },
      { code: 550, message: 'No such user here' },
      { code: 550, message: 'No such user here' },
    ]);
    const subs = [
      await addSubscription(t.db, { email: to, target: { type: 'search', q: 'service', filters: {} }, eventTypes: ['new_document'] }),
      await addSubscription(t.db, { email: to, target: { type: 'principle', principle: 'explicit_coproduction' }, eventTypes: ['duty_weakened'], frequency: 'weekly' }),
    ];
    const email = channel();
    try {
      await newDocument('b1', '2026-11-25T10:00:00Z');
      const run = (at: string) => dispatchOnce({ db: t.db, channels: { email }, now: () => new Date(at), ratePerSecond: 100, holder: 'smtp-test' });
      expect(await run('2026-11-25T10:00:00Z')).toMatchObject({ retrying: 1 });
      expect(await run('2026-11-25T10:01:00Z')).toMatchObject({ failed: 1 });
      // Failed is final: no more attempts for that message.
      expect(await run('2026-11-25T12:00:00Z')).toMatchObject({ sent: 0, failed: 0, retrying: 0 });
      expect(await t.db.selectFrom('subscribers').select('hard_bounces').where('email', '=', to).executeTakeFirst()).toEqual({ hard_bounces: 1 });
      await newDocument('b2', '2026-11-25T13:00:00Z');
      await run('2026-11-25T13:00:00Z');
      await newDocument('b3', '2026-11-25T14:00:00Z');
      await run('2026-11-25T14:00:00Z');
      await newDocument('b4', '2026-11-25T15:00:00Z');
      expect(await run('2026-11-25T15:00:00Z')).toMatchObject({ formed: 0, sent: 0 });
    } finally {
      email.close();
    }
    expect(attempts.filter((a) => a.to === to).map((a) => [a.stage, a.accepted])).toEqual([
      ['rcpt', false],
      ['rcpt', false],
      ['rcpt', false],
      ['rcpt', false],
    ]);
    const deliveries = await t.db.selectFrom('alert_deliveries').select(['status', 'attempts', 'last_error']).orderBy('id').execute();
    expect(deliveries.map((d) => [d.status, d.attempts])).toEqual([
      ['failed', 2],
      ['failed', 1],
      ['failed', 1],
    ]);
    expect(deliveries[0]!.last_error).toMatch(/550/);
    const status = await t.db.selectFrom('subscriptions').select(['id', 'status', 'suspended_reason']).where('id', 'in', subs).orderBy('id').execute();
    expect(status.map((s) => s.status)).toEqual(['suspended', 'suspended']);
    expect(status[0]!.suspended_reason).toMatch(/3 messages in a row were refused/);
  });
});

describe('alerts dispatch --once (the command)', () => {
  it('sends what is queued through SMTP_* from the environment and prints what it did', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'alerts-cli-'));
    const messageIds: string[] = [];
    const server = new SMTPServer({
      disabledCommands: ['STARTTLS', 'AUTH'],
      authOptional: true,
      logger: false,
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => void simpleParser(Buffer.concat(chunks)).then((m) => (messageIds.push(m.messageId ?? ''), callback())));
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const env = { DATA_DIR: dir, SMTP_HOST: '127.0.0.1', SMTP_PORT: String((server.server.address() as AddressInfo).port), MAIL_FROM: 'Tracker <alerts@tracker.test>', PUBLIC_BASE_URL: 'https://tracker.test' };
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    const output: string[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => void output.push(args.join(' '));
    try {
      const config = { ...loadConfig(), databaseUrl: undefined, dataDir: dir };
      const services = await openServices(config);
      await addSubscription(services.db, { target: { type: 'search', q: 'service', filters: {} }, eventTypes: ['new_document'] });
      await importDocument(services.db, actDocument('cli/1', [{ key: 'section-1', text: 'A local authority must co-produce service 1.' }]), { matcher: tinyMatcher() });
      await services.close();
      expect(await alertsDispatchCommand(config, { once: true, tuning: { sources: [] } })).toBe(0);
      expect(await alertsDispatchCommand(config, { once: true, tuning: { sources: [] } })).toBe(0);
    } finally {
      console.log = log;
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
      else process.env[k] = v;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    }
    expect(output).toEqual(['formed 1, sent 1, retrying 0, failed 0, dropped 0', 'formed 0, sent 0, retrying 0, failed 0, dropped 0']);
    expect(messageIds).toHaveLength(1);
    expect(messageIds[0]).toMatch(/^<alert-1-[0-9a-f]{8}@tracker\.test>$/);
  });
});
