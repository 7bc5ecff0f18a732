import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { MirrorTransport } from '../../src/scraping/mirror-transport.js';
import { runSource } from '../../src/scraping/run-source.js';
import { testDatabases, useTestDatabase } from '../../test/support/databases.js';
import { discoverStatements, walesStatementsSource } from './source.js';
import { fixturesDir } from './test-corpus.js';

const log = pino({ level: 'silent' });
const GRANTS = 'wales-statements:written-statement-continued-funding-social-care-third-sector-grants';
const ENTERPRISE = 'wales-statements:written-statement-social-services-and-well-being-wales-bill-statement-social-enterprise';

describe('walesStatementsSource', () => {
  it('has a weekday schedule with a reason', () => {
    expect(walesStatementsSource).toMatchObject({ id: 'wales-statements', schedule: '15 18 * * 1-5' });
    expect(walesStatementsSource.scheduleReason).toMatch(/Weekdays/);
  });

  it('discovers statements through both listings, paging, English before Welsh, once each', async () => {
    const mirror = await MirrorTransport.open(fixturesDir);
    const refs = await discoverStatements({ transport: mirror, log });
    expect(refs).toEqual([
      { url: 'https://www.gov.wales/written-statement-continued-funding-social-care-third-sector-grants', hint: { language: 'en' } },
      { url: 'https://www.gov.wales/written-statement-social-services-and-well-being-wales-bill-statement-social-enterprise', hint: { language: 'en' } },
      { url: 'https://www.llyw.cymru/datganiad-ysgrifenedig-bil-gwasanaethau-cymdeithasol-llesiant-cymru-datganiad-mentrau-cymdeithasol', hint: { language: 'cy' } },
    ]);
  });

  it('stops paging at maxPages', async () => {
    const mirror = await MirrorTransport.open(fixturesDir);
    const refs = await discoverStatements({ transport: mirror, log }, 1);
    expect(refs.map((r) => r.hint?.language)).toEqual(['en', 'cy']);
  });
});

describe.each(testDatabases)('wales-statements runSource over the fixture mirror on %s', (target) => {
  const t = useTestDatabase<Database>(target, { prepare: migrateToLatest });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'wales-statements-raw-'));
  const run = async (manifest: string) =>
    runSource({ db: t.db, source: walesStatementsSource, transport: await MirrorTransport.open(path.join(fixturesDir, manifest)), transportName: 'mirror', dataDir, trigger: 'test' });

  it('imports both statements, Welsh under the English id; a re-run is unchanged; an update is one new version', async () => {
    const first = await run('manifest.tsv');
    expect(first).toMatchObject({ status: 'ok', discovered: 3, fetched: 3, inserted: 2, updated: 1, failed: 0 });

    const versions = await t.db.selectFrom('document_versions').select(['document_id', 'language', 'label', 'valid_from', 'clause_count']).orderBy('id').execute();
    expect(versions).toEqual([
      { document_id: GRANTS, language: 'en', label: 'published', valid_from: '2026-02-10', clause_count: 7 },
      { document_id: ENTERPRISE, language: 'en', label: 'published', valid_from: '2013-06-19', clause_count: 3 },
      { document_id: ENTERPRISE, language: 'cy', label: 'published', valid_from: '2013-06-19', clause_count: 3 },
    ]);
    const docs = await t.db.selectFrom('documents').select(['id', 'kind', 'jurisdiction']).orderBy('id').execute();
    expect(docs).toEqual([
      { id: GRANTS, kind: 'statement', jurisdiction: 'wales' },
      { id: ENTERPRISE, kind: 'statement', jurisdiction: 'wales' },
    ]);

    const second = await run('manifest.tsv');
    expect(second).toMatchObject({ status: 'ok', fetched: 0, notModified: 3, inserted: 0, updated: 0 });

    const third = await run('manifest-updated.tsv');
    expect(third).toMatchObject({ status: 'ok', fetched: 1, notModified: 2, updated: 1, quarantined: 0 });
    const latest = await t.db.selectFrom('document_versions').select(['label', 'valid_from', 'clause_count']).where('run_id', '=', third.runId).execute();
    expect(latest).toEqual([{ label: 'updated-2026-02-24', valid_from: '2026-02-24', clause_count: 8 }]);
    const events = await t.db.selectFrom('change_events').select(['kind', 'detail']).where('run_id', '=', third.runId).execute();
    const kinds = events.map((e) => e.kind).sort();
    // One paragraph inserted (p2), one reworded (old p7 → p8); the five in between only moved.
    expect(kinds).toEqual(['added', 'moved', 'moved', 'moved', 'moved', 'moved', 'reworded']);
    const reworded = JSON.parse(events.find((e) => e.kind === 'reworded')!.detail) as { fromKey: string; toKey: string };
    expect(reworded).toMatchObject({ fromKey: 'p7', toKey: 'p8' });
  });
});
