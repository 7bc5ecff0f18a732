import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { MirrorTransport } from '../../src/scraping/mirror-transport.js';
import { runSource } from '../../src/scraping/run-source.js';
import type { Transport } from '../../src/scraping/transport.js';
import { testDatabases, useTestDatabase } from '../../test/support/databases.js';
import { collectionUrls, discoverBudgets, walesBudgetsSource } from './source.js';
import { fixturesDir } from './test-corpus.js';

const log = pino({ level: 'silent' });
const DRAFT_PDF = 'https://www.gov.wales/sites/default/files/publications/2025-10/draft-budget-2026-2027-narrative.pdf';

describe('walesBudgetsSource', () => {
  it('has a weekday schedule with a reason and follows draft then final pages', () => {
    expect(walesBudgetsSource).toMatchObject({ id: 'wales-budgets', schedule: '30 19 * * 1-5' });
    expect(walesBudgetsSource.scheduleReason).toMatch(/laid/);
    expect(collectionUrls(['2026-2027'])).toEqual(['https://www.gov.wales/draft-budget-2026-2027', 'https://www.gov.wales/final-budget-2026-2027']);
  });

  it('discovers documents of both stages with their identity', async () => {
    const refs = await discoverBudgets({ transport: await MirrorTransport.open(fixturesDir), log });
    expect(refs.map((r) => [r.url.replace('https://www.gov.wales/', ''), r.hint?.stage, r.hint?.documentSlug, r.hint?.date])).toEqual([
      ['sites/default/files/publications/2025-10/draft-budget-2026-2027-narrative.pdf', 'draft', 'budget-narrative', '2025-10-14'],
      ['draft-budget-2026-2027-detailed-spending-plans', 'draft', 'budget-spending-plans', '2025-11-03'],
      ['written-statement-draft-budget-2026-27', 'draft', 'draft-budget-statement', '2025-10-14'],
      ['sites/default/files/publications/2026-01/final-budget-2026-2027-narrative.pdf', 'final', 'budget-narrative', '2026-01-20'],
      ['written-statement-final-budget-2026-27', 'final', 'final-budget-statement', '2026-01-20'],
    ]);
    expect(refs[0]!.hint).toMatchObject({ format: 'pdf', title: expect.any(String) });
  });

  it('skips a final-stage page that is not published yet', async () => {
    const mirror = await MirrorTransport.open(fixturesDir);
    const transport: Transport = { fetch: (request) => (request.url.includes('final-budget') ? mirror.fetch({ url: 'https://www.gov.wales/missing' }) : mirror.fetch(request)) };
    const refs = await discoverBudgets({ transport, log });
    expect(refs.map((r) => r.hint?.stage)).toEqual(['draft', 'draft', 'draft']);
  });

  it('parses the narrative PDF it fetched, and rejects a body that is not a PDF with the URL', async () => {
    const mirror = await MirrorTransport.open(fixturesDir);
    const [ref] = await discoverBudgets({ transport: mirror, log });
    const response = await mirror.fetch({ url: DRAFT_PDF });
    if (response.status !== 'ok') throw new Error('expected a body');
    const page = await walesBudgetsSource.parse(response, ref!);
    expect(page.documents.map((d) => [d.nativeId, d.version.label, d.clauses.length])).toEqual([['2026-27/budget-narrative', 'draft', 6]]);
    const htmlInstead = { ...response, body: Buffer.from('<html><body>Service unavailable</body></html>') };
    await expect(walesBudgetsSource.parse(htmlInstead, ref!)).rejects.toThrow(`not a PDF (no %PDF- header) at ${DRAFT_PDF}`);
  });
});

describe.each(testDatabases)('wales-budgets runSource over the fixture mirror on %s', (target) => {
  const t = useTestDatabase<Database>(target, { prepare: migrateToLatest });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'wales-budgets-raw-'));
  const run = async () => runSource({ db: t.db, source: walesBudgetsSource, transport: await MirrorTransport.open(fixturesDir), transportName: 'mirror', dataDir, trigger: 'test' });

  it('imports draft and final; the final narrative is a new version of the draft one; a re-run changes nothing', async () => {
    const first = await run();
    expect(first).toMatchObject({ status: 'ok', discovered: 5, fetched: 5, inserted: 4, updated: 1, failed: 0, quarantined: 0 });
    const versions = await t.db.selectFrom('document_versions').select(['document_id', 'language', 'label', 'valid_from', 'clause_count']).orderBy('id').execute();
    expect(versions).toEqual([
      { document_id: 'wales-budgets:2026-27/budget-narrative', language: 'en', label: 'draft', valid_from: '2025-10-14', clause_count: 6 },
      { document_id: 'wales-budgets:2026-27/budget-spending-plans', language: 'en', label: 'draft', valid_from: '2025-11-03', clause_count: 2 },
      { document_id: 'wales-budgets:2026-27/draft-budget-statement', language: 'en', label: 'draft', valid_from: '2025-10-14', clause_count: 3 },
      { document_id: 'wales-budgets:2026-27/budget-narrative', language: 'en', label: 'final', valid_from: '2026-01-20', clause_count: 7 },
      { document_id: 'wales-budgets:2026-27/final-budget-statement', language: 'en', label: 'final', valid_from: '2026-01-20', clause_count: 2 },
    ]);
    const finalVersion = await t.db.selectFrom('document_versions').select('run_id').where('label', '=', 'final').where('document_id', '=', 'wales-budgets:2026-27/budget-narrative').executeTakeFirstOrThrow();
    const events = await t.db
      .selectFrom('change_events')
      .innerJoin('document_versions', 'document_versions.id', 'change_events.document_version_id')
      .select(['change_events.kind', 'change_events.detail'])
      .where('document_versions.label', '=', 'final')
      .where('document_versions.document_id', '=', 'wales-budgets:2026-27/budget-narrative')
      .execute();
    expect(finalVersion.run_id).toBe(first.runId);
    const byKey = events.map((e) => [e.kind, (JSON.parse(e.detail) as { toKey: string }).toKey]).sort((a, b) => a[1]!.localeCompare(b[1]!));
    // 1.1/1.2 say "Final Budget", 2.1's figure is revised, 2.3 is new, old 2.3 is now 2.4.
    expect(byKey).toEqual([['reworded', '1.1'], ['reworded', '1.2'], ['reworded', '2.1'], ['added', '2.3'], ['moved', '2.4']]);

    const texts = (await t.db.selectFrom('clause_versions').select('text').execute()).map((r) => r.text);
    expect(texts).toEqual(expect.arrayContaining([expect.stringContaining('allocation at £12.6bn.'), expect.stringContaining('more than £800m of additional funding'), expect.stringContaining('more than £800 million')]));

    const second = await run();
    expect(second).toMatchObject({ status: 'ok', fetched: 0, notModified: 5, inserted: 0, updated: 0, failed: 0 });
  });
});
