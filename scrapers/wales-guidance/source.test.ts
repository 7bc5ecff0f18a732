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
import { codeEnglish, makePdf } from './fixtures/make-fixtures.js';
import { indexPages, walesGuidanceSource } from './source.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const log = pino({ level: 'silent' });
const CODE = 'wales-guidance:part-2-code-practice-general-functions';
const GUIDANCE = 'wales-guidance:co-production-statutory-guidance-html';

function copyOfFixtures(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'wales-guidance-mirror-'));
  cpSync(fixtures, dir, { recursive: true });
  return dir;
}

describe('walesGuidanceSource', () => {
  it('is scheduled weekly with a reason', () => {
    expect(walesGuidanceSource).toMatchObject({ id: 'wales-guidance', schedule: '45 6 * * 1' });
    expect(walesGuidanceSource.scheduleReason).toMatch(/few times a year/);
  });

  it('reads index pages from WALES_GUIDANCE_INDEX live, else the default list', () => {
    expect(indexPages({})).toEqual(['https://law.gov.wales/social-services-and-well-being-wales-act-2014']);
    expect(indexPages({ WALES_GUIDANCE_INDEX: 'https://law.gov.wales/a, https://law.gov.wales/b' })).toEqual(['https://law.gov.wales/a', 'https://law.gov.wales/b']);
  });

  it('discovers index → publication pages → main PDF in English and Welsh, or the HTML page itself', async () => {
    const refs = await walesGuidanceSource.discover({ transport: await MirrorTransport.open(fixtures), log });
    expect(refs.map((r) => [r.url.replace(/^https:\/\/www\.(gov\.wales|llyw\.cymru)\/(sites\/default\/files\/publications\/2024-09\/)?/, ''), r.hint?.docSlug, r.hint?.language, r.hint?.format])).toEqual([
      ['part-2-code-of-practice-general-functions.pdf', 'part-2-code-practice-general-functions', 'en', 'pdf'],
      ['cod-ymarfer-rhan-2-swyddogaethau-cyffredinol.pdf', 'part-2-code-practice-general-functions', 'cy', 'pdf'],
      ['co-production-statutory-guidance-html', 'co-production-statutory-guidance-html', 'en', 'html'],
    ]);
  });
});

describe.each(testDatabases)('wales-guidance end to end over the fixture mirror on %s', (target) => {
  const t = useTestDatabase<Database>(target, { prepare: migrateToLatest });
  const run = async (dir: string) =>
    runSource({ db: t.db, source: walesGuidanceSource, transport: await MirrorTransport.open(dir), transportName: 'mirror', dataDir: mkdtempSync(path.join(tmpdir(), 'wales-guidance-')), trigger: 'test', log });
  const versions = async () =>
    t.db.selectFrom('document_versions').select(['id', 'document_id', 'language', 'label', 'valid_from', 'clause_count', 'status']).orderBy('id').execute();

  it('imports the code (en + cy, one edition) and the HTML guidance; a second run is all not-modified', async () => {
    expect(await run(fixtures)).toMatchObject({ status: 'ok', discovered: 3, fetched: 3, inserted: 2, updated: 1, failed: 0, quarantined: 0 });
    const docs = await t.db.selectFrom('documents').select(['id', 'kind']).orderBy('id').execute();
    expect(docs).toEqual([
      { id: GUIDANCE, kind: 'guidance' },
      { id: CODE, kind: 'code' },
    ]);
    expect((await versions()).map(({ id: _id, ...v }) => v)).toEqual([
      { document_id: CODE, language: 'en', label: 'edition-2024-09-29', valid_from: '2024-09-29', clause_count: 6, status: 'accepted' },
      { document_id: CODE, language: 'cy', label: 'edition-2024-09-29', valid_from: '2024-09-29', clause_count: 6, status: 'accepted' },
      { document_id: GUIDANCE, language: 'en', label: 'edition-2025-04-01', valid_from: '2025-04-01', clause_count: 6, status: 'accepted' },
    ]);
    const [en, cy] = await versions();
    const keys = async (id: number) => t.db.selectFrom('clause_versions').select(['clause_id', 'key']).where('document_version_id', '=', id).orderBy('key').execute();
    expect(await keys(cy!.id)).toEqual(await keys(en!.id));

    expect(await run(fixtures)).toMatchObject({ status: 'ok', fetched: 0, notModified: 3, inserted: 0, updated: 0, failed: 0 });
  });

  it('a new edition of the code becomes a new version of the same document', async () => {
    await run(fixtures);
    const mirror = copyOfFixtures();
    writeFileSync(path.join(mirror, 'part-2-code-en.pdf'), await makePdf(codeEnglish('1 April 2026', ['5.3 A local authority must report on co-production each year.'])));
    expect(await run(mirror)).toMatchObject({ status: 'ok', fetched: 1, notModified: 2, updated: 1, failed: 0 });
    const code = (await versions()).filter((v) => v.document_id === CODE && v.language === 'en');
    expect(code.map((v) => [v.label, v.clause_count])).toEqual([
      ['edition-2024-09-29', 6],
      ['edition-2026-04-01', 7],
    ]);
    const events = await t.db.selectFrom('change_events').select(['kind', 'detail']).where('document_version_id', '=', code[1]!.id).execute();
    expect(events.map((e) => [e.kind, (JSON.parse(e.detail) as { toKey: string }).toKey])).toEqual([['added', 'para-5-3']]);
  });

  it('a redesigned publication page is a SelectorError against discover, and nothing stored changes', async () => {
    await run(fixtures);
    const before = await versions();
    const mirror = copyOfFixtures();
    writeFileSync(path.join(mirror, 'pub-part-2-code-en.html'), '<html><body><div class="new-layout"><h2>Part 2 code</h2></div></body></html>');
    expect(await run(mirror)).toMatchObject({ status: 'failed', failed: 1, inserted: 0, updated: 0 });
    const failures = await t.db.selectFrom('fetch_failures').select(['stage', 'error_type', 'message']).where('source_id', '=', 'wales-guidance').execute();
    expect(failures).toEqual([{ stage: 'discover', error_type: 'SelectorError', message: expect.stringMatching(/main h1.*part-2-code-practice-general-functions/) as string }]);
    expect(await versions()).toEqual(before);
  });
});
