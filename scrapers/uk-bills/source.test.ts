import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { MirrorTransport } from '../../src/scraping/mirror-transport.js';
import { runSource } from '../../src/scraping/run-source.js';
import { fetchedResponse } from '../../test/support/fetched-response.js';
import { testDatabases, useTestDatabase } from '../../test/support/databases.js';
import { ukBillsSource } from './source.js';
import { repoRoot } from './test-corpus.js';

// Fixtures: Bills API JSON hand-written from the Bills API v1 OpenAPI spec (APIs-guru/openapi-directory
// APIs/parliament.uk/bills/v1/openapi.yaml); two HTML prints of fictional bill 9001, the second with
// clause 2 inserted (clauses 2–4 renumbered 3–5) and clause 1(1) reworded; the committee stage's
// amendment list (AmendmentSearchItemSearchResult).
const fixtures = path.join(repoRoot, 'scrapers/uk-bills/fixtures');
const log = pino({ level: 'silent' });

describe('ukBillsSource', () => {
  it('is scheduled on weekday mornings with a reason', () => {
    expect(ukBillsSource).toMatchObject({ id: 'uk-bills', schedule: '15 7 * * 1-5' });
    expect(ukBillsSource.scheduleReason).toMatch(/sitting day/);
  });

  it('sends a PDF print to the PDF parser (sniffing the bytes), and refuses a ref without hints', async () => {
    const url = 'https://bills-api.parliament.uk/api/v1/Publications/1/Documents/2/Download';
    const body = Buffer.from('%PDF-1.7\ntruncated');
    const response = fetchedResponse(url, body, { contentType: 'application/pdf', charsetSource: 'default' });
    const octet = { ...response, contentType: 'application/octet-stream' };
    const hint = { billId: 1, shortTitle: 'A Bill', longTitle: null, house: null, stage: null, label: 'as-introduced', displayDate: '2026-01-01', publicationId: 1, publicationTitle: null, sponsors: [], format: 'pdf' };
    await expect(ukBillsSource.parse(octet, { url, hint })).rejects.toThrow(/(?:unreadable|damaged) PDF at https:\/\/bills-api/);
    await expect(ukBillsSource.parse(response, { url })).rejects.toThrow(/bill print ref without usable hints at https:\/\/bills-api/);
  });
});

describe.each(testDatabases)('uk-bills end to end over the fixtures mirror on %s', (target) => {
  const t = useTestDatabase<Database>(target, { prepare: migrateToLatest, scope: 'all' });
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'uk-bills-'));
  });
  afterAll(async () => rm(dataDir, { recursive: true, force: true }));
  const run = async () => runSource({ db: t.db, source: ukBillsSource, transport: await MirrorTransport.open(fixtures), transportName: 'mirror', dataDir, trigger: 'test', log });

  it('imports both prints of bill 9001 in order; the committee print is 1 added, 1 reworded, the rest moved or unchanged', async () => {
    const first = await run();
    expect(first).toMatchObject({ status: 'ok', discovered: 3, fetched: 3, inserted: 2, updated: 1, failed: 0 });
    const versions = await t.db
      .selectFrom('document_versions')
      .select(['id', 'document_id', 'language', 'label', 'valid_from', 'clause_count', 'status'])
      .orderBy('id')
      .execute();
    expect(versions.map(({ id: _id, ...v }) => v)).toEqual([
      { document_id: 'uk-bills:9001', language: 'en', label: 'as-introduced', valid_from: '2026-10-07', clause_count: 11, status: 'accepted' },
      { document_id: 'uk-bills:9001', language: 'en', label: 'as-amended-in-public-bill-committee', valid_from: '2026-11-06', clause_count: 12, status: 'accepted' },
      { document_id: 'uk-bills:9001/amendments/31003', language: 'en', label: 'amendments', valid_from: '2026-11-05', clause_count: 3, status: 'accepted' },
    ]);
    const events = await t.db.selectFrom('change_events').select(['kind']).where('document_version_id', '=', versions[1]!.id).execute();
    const counts: Record<string, number> = {};
    for (const e of events) counts[e.kind] = (counts[e.kind] ?? 0) + 1;
    // clause-2 (boards) added; clause-1-1 reworded; clause-2-1/2-2/3/4 renumbered to 3-1/3-2/4/5 (moved);
    // unchanged clauses raise no event.
    expect(counts).toEqual({ added: 1, reworded: 1, moved: 4 });
    const document = await t.db.selectFrom('documents').selectAll().where('id', '=', 'uk-bills:9001').executeTakeFirstOrThrow();
    expect(document).toMatchObject({ kind: 'bill', jurisdiction: 'uk', title: 'Care and Support (Co-production) Bill' });
  });

  it('a second run is all not-modified', async () => {
    const second = await run();
    expect(second).toMatchObject({ status: 'ok', discovered: 3, fetched: 0, notModified: 3, inserted: 0, updated: 0 });
  });
});
