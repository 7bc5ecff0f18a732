import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { MirrorTransport } from '../../src/scraping/mirror-transport.js';
import { runSource } from '../../src/scraping/run-source.js';
import { testDatabases, useTestDatabase } from '../../test/support/databases.js';
import { jsonTransport } from '../../test/support/fetched-response.js';
import { ukStatementsSource } from './source.js';
import { searchUrl } from './discover.js';
import { repoRoot } from './test-corpus.js';

// Fixtures: hand-written from the Written Questions Service API v1 OpenAPI spec
// (APIs-guru/openapi-directory APIs/parliament.uk/writtenquestions/v1/openapi.yaml).
const fixtures = path.join(repoRoot, 'scrapers/uk-statements/fixtures');
const log = pino({ level: 'silent' });

describe('ukStatementsSource', () => {
  it('is scheduled on weekday afternoons with a reason', () => {
    expect(ukStatementsSource).toMatchObject({ id: 'uk-statements', schedule: '30 13,18 * * 1-5' });
    expect(ukStatementsSource.scheduleReason).toMatch(/sitting days/);
  });
});

describe('ukStatementsSource and the clock', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllEnvs();
  });

  it('live, searches the 14 days up to today; UK_STATEMENTS_TO pins the window on any other day', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2031-05-02T10:00:00Z') });
    vi.stubEnv('UK_STATEMENTS_DAYS', '');
    vi.stubEnv('UK_STATEMENTS_BODIES', '');
    vi.stubEnv('UK_STATEMENTS_SEARCH', '');
    vi.stubEnv('UK_STATEMENTS_TO', '');
    const today = jsonTransport({ [searchUrl({ from: '2031-04-19', to: '2031-05-02' }, 0, 20)]: { results: [], totalResults: 0 } }, new Date());
    expect(await ukStatementsSource.discover({ transport: today, log })).toEqual([]);
    expect(today.asked).toEqual([expect.stringContaining('madeWhenFrom=2031-04-19&madeWhenTo=2031-05-02')]);

    vi.stubEnv('UK_STATEMENTS_TO', '2026-11-25');
    const pinned = jsonTransport({ [searchUrl({ from: '2026-11-12', to: '2026-11-25' }, 0, 20)]: { results: [], totalResults: 0 } }, new Date());
    await ukStatementsSource.discover({ transport: pinned, log });
    expect(pinned.asked).toEqual([expect.stringContaining('madeWhenFrom=2026-11-12&madeWhenTo=2026-11-25')]);
  });

  it('a malformed UK_STATEMENTS_TO fails discovery instead of searching another window', async () => {
    vi.stubEnv('UK_STATEMENTS_TO', '2026-02-30');
    await expect(ukStatementsSource.discover({ transport: jsonTransport({}, new Date()), log })).rejects.toThrow(/UK_STATEMENTS_TO/);
  });
});

describe.each(testDatabases)('uk-statements over the fixtures mirror on another day (%s)', (target) => {
  const t = useTestDatabase<Database>(target, { prepare: migrateToLatest });
  afterEach(() => vi.useRealTimers());

  it.each(['2031-05-02T10:00:00Z', '2020-01-01T00:00:00Z'])('imports the captured window when today is %s', async (today) => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date(today) });
    const dataDir = await mkdtemp(path.join(tmpdir(), 'uk-statements-'));
    try {
      const report = await runSource({ db: t.db, source: ukStatementsSource, transport: await MirrorTransport.open(fixtures), transportName: 'mirror', dataDir, trigger: 'test', log });
      expect(new Date().toISOString()).toBe(new Date(today).toISOString());
      expect(report).toMatchObject({ status: 'ok', discovered: 3, inserted: 3, failed: 0 });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe.each(testDatabases)('uk-statements end to end over the fixtures mirror on %s', (target) => {
  const t = useTestDatabase<Database>(target, { prepare: migrateToLatest, scope: 'all' });
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'uk-statements-'));
  });
  afterAll(async () => rm(dataDir, { recursive: true, force: true }));
  const run = async () => runSource({ db: t.db, source: ukStatementsSource, transport: await MirrorTransport.open(fixtures), transportName: 'mirror', dataDir, trigger: 'test', log });

  it('imports each statement as its own document with one version', async () => {
    expect(await run()).toMatchObject({ status: 'ok', discovered: 3, fetched: 3, inserted: 3, failed: 0 });
    const versions = await t.db.selectFrom('document_versions').select(['document_id', 'language', 'label', 'valid_from', 'clause_count']).orderBy('document_id').execute();
    expect(versions).toEqual([
      { document_id: 'uk-statements:1780001', language: 'en', label: 'made', valid_from: '2026-11-18', clause_count: 6 },
      { document_id: 'uk-statements:1780002', language: 'en', label: 'made', valid_from: '2026-11-19', clause_count: 4 },
      { document_id: 'uk-statements:1780003', language: 'en', label: 'corrected', valid_from: '2026-11-24', clause_count: 2 },
    ]);
    const docs = await t.db.selectFrom('documents').select(['id', 'kind', 'jurisdiction', 'title']).orderBy('id').execute();
    expect(docs[1]).toEqual({ id: 'uk-statements:1780002', kind: 'statement', jurisdiction: 'uk', title: 'Wales: Intergovernmental Relations' });
  });

  it('a second run is all not-modified', async () => {
    expect(await run()).toMatchObject({ status: 'ok', discovered: 3, fetched: 0, notModified: 3, inserted: 0, updated: 0 });
  });
});
