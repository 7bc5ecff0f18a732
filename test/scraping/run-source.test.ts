import { sql } from 'kysely';
import { pendingIndexCount } from '../../src/search/index-pending.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { HttpClient } from '../../src/scraping/http-client.js';
import { runSource } from '../../src/scraping/run-source.js';
import { sourceHealth } from '../../src/scraping/source-health.js';
import type { SourceDefinition } from '../../src/scraping/source.js';
import type { ScrapedDocument } from '../../src/domain/scraped-document.js';
import { legislationSource } from '../../scrapers/legislation/source.js';
import { startFixtureServer, type FixtureServer } from '../support/fixture-server.js';
import { testDatabases, useTestDatabase } from '../support/databases.js';
import { mkdtempSync } from 'node:fs';
import iconv from 'iconv-lite';
import { tmpdir } from 'node:os';

const fixtures = path.resolve(import.meta.dirname, '../../scrapers/legislation/fixtures');
const actV1 = readFileSync(path.join(fixtures, 'anaw-2099-7-revised-en.xml'), 'utf8');
// v2: the duty to involve is weakened to a power, and the point-in-time date moves on.
const actV2 = actV1.replace('A local authority must, in exercising', 'A local authority may, in exercising').replaceAll('2100-04-01', '2101-01-01');

/** A source over the fixture server: the refs are given, parsing is the real CLML reader. */
function clmlSource(server: FixtureServer, names: string[]): SourceDefinition {
  return { ...legislationSource, id: 'fixture-legislation', discover: async () => names.map((n) => ({ url: server.url(n) })) };
}

/** A source whose documents are JSON ScrapedDocuments, for shapes the CLML reader cannot produce. */
function jsonSource(server: FixtureServer, names: string[]): SourceDefinition {
  return {
    id: 'fixture-json',
    name: 'JSON fixtures',
    schedule: '0 5 * * *',
    scheduleReason: 'test only',
    discover: async () => names.map((n) => ({ url: server.url(n) })),
    parse: (response) => ({ documents: [JSON.parse(response.text) as ScrapedDocument] }),
  };
}

function jsonDoc(clauses: number, extra = ''): string {
  return JSON.stringify({
    source: 'fixture-json',
    nativeId: 'statement/1',
    kind: 'statement',
    jurisdiction: 'wales',
    title: 'Written statement',
    version: { language: 'en', label: 'published', validFrom: null, sourceUrl: 'https://example.test/s/1', fetchedAt: '2026-01-01T00:00:00Z' },
    clauses: Array.from({ length: clauses }, (_, i) => ({ key: `p${i + 1}`, text: `Paragraph ${i + 1} of the statement on co-production${extra}.` })),
  });
}

describe.each(testDatabases)('runSource over real HTTP on %s', (target) => {
  const t = useTestDatabase<Database>(target, { prepare: migrateToLatest });
  let server: FixtureServer;
  let client: HttpClient;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tracker-raw-'));
  const count = async (table: keyof Database) => Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const run = (source: SourceDefinition, db: Kysely<Database> = t.db) =>
    runSource({ db, source, transport: client, transportName: 'http', dataDir, trigger: 'test' });

  beforeAll(async () => {
    server = await startFixtureServer({ bombBytes: 4 * 1024 * 1024 });
    client = new HttpClient({ perHostDelayMs: 0, backoffBaseMs: 5, maxAttempts: 2, totalTimeoutMs: 3_000, headersTimeoutMs: 1_500, bodyIdleTimeoutMs: 1_500, maxDecodedBytes: 1024 * 1024 });
  });
  afterAll(async () => {
    await client.close?.();
    await server.close();
  });

  it('serves v1, then v2: one new version with the reworded duty; then 304 creates nothing', async () => {
    server.setDoc('act.xml', actV1, 'application/xml');
    const first = await run(clmlSource(server, ['/doc/act.xml']));
    expect(first).toMatchObject({ status: 'ok', fetched: 1, inserted: 1, failed: 0 });

    server.setDoc('act.xml', actV2, 'application/xml');
    const second = await run(clmlSource(server, ['/doc/act.xml']));
    expect(second).toMatchObject({ status: 'ok', fetched: 1, updated: 1 });
    const events = await t.db.selectFrom('change_events').select(['kind', 'detail']).where('run_id', '=', second.runId).execute();
    expect(events).toHaveLength(1);
    expect(events[0]!.kind).toBe('reworded');
    // The run leaves its new text searchable: nothing waits in the index queue.
    expect(await pendingIndexCount(t.db)).toBe(0);
    expect(await count('clause_versions')).toBeGreaterThan(0);
    const indexed = await sql<{ n: number }>`select count(*) as n from clause_search`.execute(t.db);
    expect(Number(indexed.rows[0]!.n)).toBe(await count('clause_versions'));

    const versionsBefore = await count('document_versions');
    const third = await run(clmlSource(server, ['/doc/act.xml']));
    expect(third).toMatchObject({ status: 'ok', fetched: 0, notModified: 1, inserted: 0, updated: 0 });
    expect(server.requestsTo('/doc/act.xml').at(-1)!.headers['if-none-match']).toBeTruthy();
    expect(await count('document_versions')).toBe(versionsBefore);
    expect(await count('raw_responses')).toBe(2);
  });

  it('records each failed document with its stage and reason, imports the good one, and creates no version for failures', async () => {
    server.setDoc('good.xml', actV1, 'application/xml');
    server.setDoc('malformed.xml', actV1.slice(0, 2000), 'application/xml');
    const refs = ['/truncated', '/status/500', '/gzip-bomb', '/redirect/loop', '/doc/malformed.xml', '/status/404', '/doc/good.xml'];
    const report = await run(clmlSource(server, refs));
    expect(report).toMatchObject({ status: 'partial', discovered: 7, inserted: 1, failed: 6 });
    const failures = await t.db.selectFrom('fetch_failures').select(['url', 'stage', 'error_type']).where('run_id', '=', report.runId).orderBy('id').execute();
    expect(failures.map((f) => [new URL(f.url).pathname, f.stage, f.error_type])).toEqual([
      ['/truncated', 'fetch', 'TruncatedBodyError'],
      ['/status/500', 'fetch', 'HttpStatusError'],
      ['/gzip-bomb', 'fetch', 'BodyTooLargeError'],
      ['/redirect/loop', 'fetch', 'RedirectLoopError'],
      ['/doc/malformed.xml', 'parse', 'ParseError'],
      ['/status/404', 'fetch', 'HttpStatusError'],
    ]);
    // A 500 is retried (maxAttempts 2); a 404 is not.
    expect(server.requestsTo('/status/500')).toHaveLength(2);
    expect(server.requestsTo('/status/404')).toHaveLength(1);
    expect(await count('document_versions')).toBe(1);
    const runRow = await t.db.selectFrom('runs').selectAll().where('id', '=', report.runId).executeTakeFirstOrThrow();
    expect(runRow.last_error).toMatch(/status\/404/);
  });

  it('decodes a document whose header and declaration wrongly claim UTF-8 from its real bytes', async () => {
    const xml = actV1.replace('A local authority must, in exercising', 'A local authority must (with £2.3m for the Café network), in exercising');
    server.setRoute('/latin1-act.xml', { status: 200, headers: { 'content-type': 'application/xml; charset=utf-8' }, body: iconv.encode(xml, 'windows-1252') });
    const report = await run(clmlSource(server, ['/latin1-act.xml']));
    expect(report).toMatchObject({ status: 'ok', inserted: 1 });
    const texts = await t.db.selectFrom('clause_versions').select('text').execute();
    expect(texts.map((r) => r.text)).toContainEqual(expect.stringContaining('with £2.3m for the Café network'));
    const raw = await t.db.selectFrom('raw_responses').select('charset').where('url', '=', server.url('/latin1-act.xml')).executeTakeFirstOrThrow();
    expect(raw.charset).toBe('windows-1252');
  });

  it('a document that later fails to fetch or parse keeps everything already stored', async () => {
    server.setDoc('kept.xml', actV1, 'application/xml');
    await run(clmlSource(server, ['/doc/kept.xml']));
    const before = { versions: await count('document_versions'), clauses: await count('version_clauses'), events: await count('change_events') };
    server.setDoc('kept.xml', '<Legislation xmlns="http://www.legislation.gov.uk/namespaces/legislation"><ukm:Metadata', 'application/xml');
    const report = await run(clmlSource(server, ['/doc/kept.xml']));
    expect(report).toMatchObject({ status: 'failed', failed: 1 });
    expect({ versions: await count('document_versions'), clauses: await count('version_clauses'), events: await count('change_events') }).toEqual(before);
    const source = await t.db.selectFrom('sources').selectAll().where('id', '=', 'fixture-legislation').executeTakeFirstOrThrow();
    expect(source).toMatchObject({ consecutive_failures: 1 });
    expect(source.last_error).toMatch(/kept\.xml/);
  });

  it('quarantines a half-empty version: run marked parser suspect, no events, nothing deleted', async () => {
    server.setDoc('statement.json', jsonDoc(10), 'application/json');
    await run(jsonSource(server, ['/doc/statement.json']));
    const before = { clauses: await count('version_clauses'), events: await count('change_events') };
    server.setDoc('statement.json', jsonDoc(3), 'application/json');
    const report = await run(jsonSource(server, ['/doc/statement.json']));
    expect(report).toMatchObject({ status: 'parser_suspect', quarantined: 1 });
    expect({ clauses: await count('version_clauses'), events: await count('change_events') }).toEqual(before);
  });

  it('records data-quality problems on the run and shows them in source health', async () => {
    const gappy = JSON.parse(jsonDoc(4)) as ScrapedDocument;
    gappy.clauses = gappy.clauses.map((c, i) => (i === 3 ? { ...c, key: 'p7' } : c));
    server.setDoc('gappy.json', JSON.stringify({ ...gappy, version: { ...gappy.version, validFrom: null } }), 'application/json');
    server.setDoc('twin.json', JSON.stringify({ ...gappy, version: { ...gappy.version, validFrom: null } }), 'application/json');
    const report = await run(jsonSource(server, ['/doc/gappy.json', '/doc/twin.json']));
    expect(report).toMatchObject({ status: 'ok', dataQualityProblems: 5 });
    const [health] = (await sourceHealth(t.db)).filter((h) => h.id === 'fixture-json');
    expect(health).toMatchObject({ consecutiveFailures: 0, documents: 1, versions: 1, lastRun: { id: report.runId, status: 'ok' } });
    expect(Object.fromEntries(health!.problems.map((p) => [p.kind, p.count]))).toEqual({ 'missing-date': 2, 'numbering-gap': 2, 'duplicate-document': 1 });
    expect(health!.problems.find((p) => p.kind === 'duplicate-document')!.example.url).toBe(server.url('/doc/twin.json'));
  });

  it('an empty discovery fails the run instead of passing silently', async () => {
    const report = await run(jsonSource(server, []));
    expect(report).toMatchObject({ status: 'failed' });
    expect(report.lastError).toMatch(/discovery found no documents/);
  });
});
