import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { HttpClient } from '../../src/scraping/http-client.js';
import { runSource } from '../../src/scraping/run-source.js';
import type { ScrapedDocument } from '../../src/domain/scraped-document.js';
import { startFixtureServer, type FixtureServer } from '../support/fixture-server.js';
import { useTestDatabase } from '../support/databases.js';

const DELAY_MS = 250;
/** Timers and the event loop may fire a few ms early or late; the politeness gap itself is far larger. */
const SLACK_MS = 25;

function statement(n: number): string {
  const doc: ScrapedDocument = {
    source: 'polite',
    nativeId: `s/${n}`,
    kind: 'statement',
    jurisdiction: 'wales',
    title: `Statement ${n}`,
    version: { language: 'en', label: 'published', validFrom: '2026-01-01', sourceUrl: `https://example.test/s/${n}`, fetchedAt: '2026-01-01T00:00:00Z' },
    clauses: [{ key: 'p1', text: `Statement ${n} says co-production matters.` }],
  };
  return JSON.stringify(doc);
}

describe('politeness, read from the fixture server’s request log', () => {
  const t = useTestDatabase<Database>('sqlite', { prepare: migrateToLatest });
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer({ docs: Object.fromEntries([1, 2, 3, 4, 5, 6].map((n) => [`s${n}.json`, { body: statement(n), contentType: 'application/json' }])) });
  });
  afterAll(async () => server.close());

  it('one request at a time per host, over one connection, with the per-host delay between them', async () => {
    const client = new HttpClient({ perHostDelayMs: DELAY_MS });
    const report = await runSource({
      db: t.db,
      source: {
        id: 'polite',
        name: 'polite',
        schedule: '0 5 * * *',
        scheduleReason: 'test only',
        discover: async () => [1, 2, 3, 4, 5, 6].map((n) => ({ url: server.url(`/doc/s${n}.json`) })),
        parse: (response) => ({ documents: [JSON.parse(response.text) as ScrapedDocument] }),
      },
      transport: client,
      transportName: 'http',
      dataDir: mkdtempSync(path.join(tmpdir(), 'tracker-polite-')),
      trigger: 'test',
    });
    await client.close();
    expect(report).toMatchObject({ status: 'ok', inserted: 6 });

    const log = server.requests;
    expect(log.map((r) => r.path)).toEqual(['/robots.txt', ...[1, 2, 3, 4, 5, 6].map((n) => `/doc/s${n}.json`)]);
    expect(new Set(log.map((r) => r.clientPort)).size).toBe(1);
    for (let i = 1; i < log.length; i++) {
      expect(log[i]!.at, `request ${i} starts after request ${i - 1} ended`).toBeGreaterThanOrEqual(log[i - 1]!.endedAt!);
      expect(log[i]!.at - log[i - 1]!.endedAt!, `gap before request ${i}`).toBeGreaterThanOrEqual(DELAY_MS - SLACK_MS);
    }
    expect(log.every((r) => String(r.headers['user-agent']).startsWith('coproduction-tracker/'))).toBe(true);
  });
});
