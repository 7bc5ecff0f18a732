import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { MirrorTransport } from '../../src/scraping/mirror-transport.js';
import { runSource } from '../../src/scraping/run-source.js';
import { testDatabases, useTestDatabase } from '../../test/support/databases.js';
import { followList, isBillPageUrl, seneddBillsSource } from './source.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const log = pino({ level: 'silent' });
const BILL_PAGE = 'https://business.senedd.wales/ieDecisionDetails.aspx?ID=99001';

describe('seneddBillsSource', () => {
  it('is scheduled on weekdays with a reason', () => {
    expect(seneddBillsSource).toMatchObject({ id: 'senedd-bills', schedule: '15 7 * * 1-5' });
    expect(seneddBillsSource.scheduleReason).toMatch(/sitting days/);
  });

  it('follows SENEDD_BILLS_FOLLOW live, else the default list', () => {
    expect(followList({})).toEqual(['https://business.senedd.wales/ieDecisionDetails.aspx?ID=1937']);
    expect(followList({ SENEDD_BILLS_FOLLOW: ' https://business.senedd.wales/mgIssueHistoryHome.aspx?IId=1, ' })).toEqual(['https://business.senedd.wales/mgIssueHistoryHome.aspx?IId=1']);
  });

  it.each([
    [BILL_PAGE, true],
    ['https://business.senedd.wales/mgIssueHistoryHome.aspx?IId=40123', true],
    ['https://business.senedd.wales/documents/s99001/bill.pdf', false],
    ['https://senedd.wales/senedd-business/legislation/', false],
  ])('isBillPageUrl(%s) is %s', (url, expected) => {
    expect(isBillPageUrl(url)).toBe(expected);
  });

  it('discovers the stage texts listed on each mirrored bill page, fetching the page through the transport', async () => {
    const refs = await seneddBillsSource.discover({ transport: await MirrorTransport.open(fixtures), log });
    expect(refs.map((r) => [r.hint?.stage, r.hint?.language, r.hint?.date])).toEqual([
      ['introduced', 'en', '2099-01-06'],
      ['introduced', 'cy', '2099-01-06'],
      ['amended-stage-2', 'en', '2099-05-14'],
    ]);
    expect(refs[0]?.hint).toMatchObject({ billId: '99001', title: 'Co-production (Wales) Bill', billPage: BILL_PAGE });
  });

  it('a bill page handed to parse yields no document, with the reason', async () => {
    const mirror = await MirrorTransport.open(fixtures);
    const page = await mirror.fetch({ url: BILL_PAGE });
    if (page.status !== 'ok') throw new Error('expected a body');
    expect(await seneddBillsSource.parse(page, { url: BILL_PAGE })).toEqual({ documents: [], skipped: 'bill page (index of stage texts)' });
  });
});

describe.each(testDatabases)('senedd-bills end to end over the fixture mirror on %s', (target) => {
  const t = useTestDatabase<Database>(target, { prepare: migrateToLatest });
  const run = async (dir: string) =>
    runSource({ db: t.db, source: seneddBillsSource, transport: await MirrorTransport.open(dir), transportName: 'mirror', dataDir: mkdtempSync(path.join(tmpdir(), 'senedd-bills-')), trigger: 'test', log });

  it('imports one bill with introduced (en, cy) and Stage 2 (en) versions; Stage 2 is 1 added, 1 reworded, the rest moved', async () => {
    const first = await run(fixtures);
    expect(first).toMatchObject({ status: 'ok', discovered: 3, fetched: 3, inserted: 1, updated: 2, failed: 0, quarantined: 0 });

    const docs = await t.db.selectFrom('documents').select(['id', 'kind', 'jurisdiction']).execute();
    expect(docs).toEqual([{ id: 'senedd-bills:99001', kind: 'bill', jurisdiction: 'wales' }]);
    const versions = await t.db.selectFrom('document_versions').select(['id', 'language', 'label', 'valid_from', 'clause_count', 'status']).orderBy('id').execute();
    expect(versions.map(({ id: _id, ...v }) => v)).toEqual([
      { language: 'en', label: 'introduced', valid_from: '2099-01-06', clause_count: 9, status: 'accepted' },
      { language: 'cy', label: 'introduced', valid_from: '2099-01-06', clause_count: 9, status: 'accepted' },
      { language: 'en', label: 'amended-stage-2', valid_from: '2099-05-14', clause_count: 10, status: 'accepted' },
    ]);

    const stage2 = versions[2]!.id;
    const events = await t.db.selectFrom('change_events').select(['kind', 'detail']).where('document_version_id', '=', stage2).execute();
    const kinds = events.map((e) => e.kind).sort();
    expect(kinds.filter((k) => k === 'added')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'reworded')).toHaveLength(1);
    expect(kinds.every((k) => ['added', 'reworded', 'moved'].includes(k))).toBe(true);
    const detail = (kind: string) => JSON.parse(events.find((e) => e.kind === kind)!.detail) as { fromKey: string | null; toKey: string };
    expect(detail('added')).toMatchObject({ fromKey: null, toKey: 'section-2' });
    expect(detail('reworded')).toMatchObject({ fromKey: 'section-2-2-b', toKey: 'section-3-2-b' });
    expect(events.filter((e) => e.kind === 'moved').map((e) => (JSON.parse(e.detail) as { toKey: string }).toKey).sort()).toEqual(
      ['section-3', 'section-3-1', 'section-3-2', 'section-3-2-a', 'section-4'],
    );

    // English and Welsh introduced texts are one set of clauses, linked by key.
    const byVersion = async (id: number) =>
      t.db.selectFrom('clause_versions').select(['clause_id', 'key']).where('document_version_id', '=', id).orderBy('key').execute();
    const [en, cy] = [await byVersion(versions[0]!.id), await byVersion(versions[1]!.id)];
    expect(cy).toEqual(en);

    const second = await run(fixtures);
    expect(second).toMatchObject({ status: 'ok', discovered: 3, fetched: 0, notModified: 3, inserted: 0, updated: 0, failed: 0 });
  });

  it('a redesigned bill page is a SelectorError against discover, and nothing stored changes', async () => {
    await run(fixtures);
    const before = await t.db.selectFrom('document_versions').select(['id', 'content_hash']).orderBy('id').execute();
    const broken = mkdtempSync(path.join(tmpdir(), 'senedd-bills-redesign-'));
    cpSync(fixtures, broken, { recursive: true });
    writeFileSync(path.join(broken, 'bill-99001.html'), '<html><body><main class="bill"><h1>Co-production (Wales) Bill</h1></main></body></html>');
    const report = await run(broken);
    expect(report).toMatchObject({ status: 'failed', failed: 1, inserted: 0, updated: 0 });
    const failures = await t.db.selectFrom('fetch_failures').select(['stage', 'error_type', 'message']).where('source_id', '=', 'senedd-bills').execute();
    expect(failures).toEqual([{ stage: 'discover', error_type: 'SelectorError', message: expect.stringMatching(/mgSubTitleTxt.*ID=99001/) as string }]);
    expect(await t.db.selectFrom('document_versions').select(['id', 'content_hash']).orderBy('id').execute()).toEqual(before);
  });
});
