import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/open-database.js';
import { enqueueAlerts } from '../../src/alerts/enqueue-alerts.js';
import { seededRandom } from '../support/generate-documents.js';
import { repoRoot } from '../support/corpus.js';
import { addSubscription } from './support/alert-fixtures.js';

/**
 * 1,000 events × 3 subscribers; the dispatcher runs as its own process against a real SMTP server and is
 * killed with SIGKILL at 50 random points — half at a random moment, half at the instant the server has
 * accepted a message (before the dispatcher can mark it sent: the one window where a duplicate is
 * allowed) — and restarted each time. At the end every (subscription, event) has reached its subscriber,
 * and any message received twice carries the same Message-ID both times.
 */
const EVENTS = 1000;
const KILLS = 50;
const SUBSCRIBERS = ['ana@example.test', 'bryn@example.test', 'carys@example.test'];

interface Received {
  raw: Buffer;
  to: string[];
}

describe('alert dispatcher killed with SIGKILL', () => {
  let dir: string;
  let db: Kysely<Database>;
  let closeDb: () => Promise<void>;
  let childScript: string;
  const received: Received[] = [];
  let onAccepted: (() => void) | null = null;
  let smtp: SMTPServer;
  let smtpPort: number;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'alerts-kill-'));
    const opened = await openDatabase<Database>({ databaseUrl: path.join(dir, 'tracker.sqlite') });
    db = opened.db;
    closeDb = opened.close;
    await migrateToLatest(db);
    // Bundled once, so each restart loads one file instead of transpiling the tree (placed under the
    // repository so its imports resolve to node_modules).
    childScript = path.join(repoRoot, '.tmp', `kill-test-${randomBytes(4).toString('hex')}`, 'dispatch-child.mjs');
    await build({ entryPoints: [path.join(repoRoot, 'test/alerts/support/dispatch-child.ts')], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile: childScript, logLevel: 'warning' });

    smtp = new SMTPServer({
      disabledCommands: ['STARTTLS', 'AUTH'],
      authOptional: true,
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push({ raw: Buffer.concat(chunks), to: session.envelope.rcptTo.map((r) => r.address) });
          // Received, and the dispatcher cannot have heard "250" yet: kill it now if asked to. (Killing after the
          // reply raced the dispatcher's mark on a loaded machine, and then no accept-time kill left a duplicate.)
          onAccepted?.();
          callback();
        });
      },
    });
    // A killed dispatcher resets its connection: expected here, not an error of the test.
    smtp.on('error', () => undefined);
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    smtpPort = (smtp.server.address() as AddressInfo).port;
  }, 60_000);

  afterAll(async () => {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await closeDb();
    await rm(dir, { recursive: true, force: true });
    await rm(path.dirname(childScript), { recursive: true, force: true });
  });

  async function seed(): Promise<void> {
    const now = '2026-11-25T10:00:00.000Z';
    await db.insertInto('sources').values({ id: 'kill', name: 'Kill test', created_at: now, last_run_id: null, last_success_at: now, last_error: null, last_error_at: null }).execute();
    for (const s of SUBSCRIBERS) await addSubscription(db, { email: s, target: { type: 'search', q: '+kill +test', filters: {} }, eventTypes: ['new_document'] });
    const numbers = Array.from({ length: EVENTS }, (_, i) => String(i).padStart(4, '0'));
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < numbers.length; i += 200) {
        const batch = numbers.slice(i, i + 200);
        await trx
          .insertInto('documents')
          .values(batch.map((n) => ({ id: `kill:doc-${n}`, source_id: 'kill', native_id: `doc-${n}`, kind: 'act', jurisdiction: 'wales', title: `Kill test Act ${n}`, withdrawn_at: null, withdrawn_reason: null, created_at: now, updated_at: now })))
          .execute();
        const versions = await trx
          .insertInto('document_versions')
          .values(batch.map((n) => ({ document_id: `kill:doc-${n}`, language: 'en', label: 'enacted', valid_from: null, title: `Kill test Act ${n}`, source_url: `https://example.test/${n}`, fetched_at: now, content_hash: n, clause_count: 0, status: 'accepted' as const, quarantine_reason: null, previous_version_id: null, run_id: null, raw_hash: null, created_at: now })))
          .returning(['id', 'document_id'])
          .execute();
        const events = await trx
          .insertInto('change_events')
          .values(versions.map((v) => ({ document_id: v.document_id, document_version_id: v.id, previous_version_id: null, clause_id: null, language: 'en', kind: 'document_added' as const, important: 1, detail: '{}', run_id: null, created_at: now })))
          .returning('id')
          .execute();
        await enqueueAlerts(trx, events.map((e) => e.id), new Date(now));
      }
    });
  }

  interface Child {
    process: ChildProcess;
    exited: Promise<void>;
    go(): void;
  }

  /** A dispatcher process with its modules loaded, waiting for go(). */
  function spawnDispatcher(): Child {
    const child = spawn(process.execPath, [childScript], {
      cwd: repoRoot,
      env: {
        ...process.env,
        DATABASE_URL: path.join(dir, 'tracker.sqlite'),
        DATA_DIR: dir,
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(smtpPort),
        SMTP_SECURE: '0',
        MAIL_FROM: 'Co-production tracker <alerts@tracker.test>',
        SESSION_SECRET: 'kill-test-secret-kill-test-secret-kill',
        PUBLIC_BASE_URL: 'https://tracker.test',
        ALERTS_DISPATCHER_ID: 'kill-test-dispatcher',
        KILL_TEST_WAIT: '1',
        KILL_TEST_EVENTS_PER_ALERT: '25',
        LOG_LEVEL: 'silent',
        VITEST: '',
      },
      stdio: ['pipe', 'ignore', 'inherit'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    return { process: child, exited, go: () => child.stdin!.write('go\n') };
  }

  async function outstanding(): Promise<number> {
    const waiting = await db.selectFrom('alert_outbox').select((eb) => eb.fn.countAll().as('n')).where('delivery_id', 'is', null).executeTakeFirstOrThrow();
    const pending = await db.selectFrom('alert_deliveries').select((eb) => eb.fn.countAll().as('n')).where('status', '!=', 'sent').executeTakeFirstOrThrow();
    return Number(waiting.n) + Number(pending.n);
  }

  it(`every (subscription, event) of ${EVENTS} events × ${SUBSCRIBERS.length} subscribers is delivered through ${KILLS} kills; duplicates keep their Message-ID`, async () => {
    const started = Date.now();
    await seed();
    expect(Number((await db.selectFrom('alert_outbox').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(EVENTS * SUBSCRIBERS.length);

    const random = seededRandom(Number(process.env.KILL_TEST_SEED ?? 20261125));
    const modes = { timer: 0, accept: 0 };
    let next = spawnDispatcher();
    for (let kill = 0; kill < KILLS; kill++) {
      const current = next;
      current.go();
      next = spawnDispatcher();
      const killNow = () => current.process.kill('SIGKILL');
      if (random() < 0.5) {
        // At the instant the n-th message of this run is accepted.
        modes.accept++;
        let left = 1 + Math.floor(random() * 3);
        onAccepted = () => {
          if (--left === 0) {
            onAccepted = null;
            killNow();
          }
        };
        // If everything has gone already, there is nothing to accept: kill it anyway.
        setTimeout(killNow, 3_000).unref();
      } else {
        modes.timer++;
        setTimeout(killNow, Math.floor(random() * 600)).unref();
      }
      await current.exited;
      onAccepted = null;
    }
    // The last restart runs until nothing is left, then stops normally.
    next.go();
    const deadline = Date.now() + 60_000;
    while ((await outstanding()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    next.process.kill('SIGTERM');
    await next.exited;
    expect(await outstanding()).toBe(0);
    expect(modes.accept + modes.timer).toBe(KILLS);

    // What the subscribers received, parsed.
    const mails = await Promise.all(received.map(async (r) => ({ to: r.to, raw: r.raw.toString('utf8'), mail: await simpleParser(r.raw) })));
    const deliveries = await db
      .selectFrom('alert_deliveries as d')
      .innerJoin('subscriptions as s', 's.id', 'd.subscription_id')
      .innerJoin('subscribers as u', 'u.id', 's.subscriber_id')
      .select(['d.id', 'd.message_id', 'd.status', 'u.email'])
      .execute();
    const byMessageId = new Map(deliveries.map((d) => [d.message_id, d]));
    const copies = new Map<string, number>();
    const delivered = new Map<string, Set<string>>();
    for (const { to, mail, raw } of mails) {
      expect(raw).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
      const id = mail.messageId?.replace(/^<|>$/g, '') ?? '';
      const delivery = byMessageId.get(id);
      expect(delivery, `a received message has an unknown Message-ID ${id}`).toBeDefined();
      expect(to).toEqual([delivery!.email]);
      copies.set(id, (copies.get(id) ?? 0) + 1);
      const acts = new Set([...(mail.text ?? '').matchAll(/Kill test Act (\d{4})/g)].map((m) => m[1]!));
      expect(acts.size).toBeGreaterThan(0);
      for (const act of acts) {
        const key = `${delivery!.email} ${act}`;
        delivered.set(key, new Set([...(delivered.get(key) ?? []), id]));
      }
    }
    // Every (subscriber, event) arrived…
    expect(delivered.size).toBe(EVENTS * SUBSCRIBERS.length);
    // …under exactly one Message-ID: a duplicate is the same message again, never the same change in another message.
    expect([...delivered.values()].filter((ids) => ids.size !== 1)).toEqual([]);
    expect(deliveries.every((d) => d.status === 'sent' && copies.has(d.message_id))).toBe(true);
    const duplicates = [...copies.values()].reduce((n, c) => n + c - 1, 0);
    // Only kills in the accept-to-mark window duplicate, at most one message each.
    expect(duplicates).toBeLessThanOrEqual(KILLS);
    if (modes.accept > 0) expect(duplicates).toBeGreaterThan(0);
    console.log(`kill test: ${deliveries.length} deliveries, ${received.length} messages received, ${duplicates} duplicates (same Message-ID), kills: ${modes.accept} at accept, ${modes.timer} at random times; ${Math.round((Date.now() - started) / 1000)} s`);
  }, 150_000);
});
