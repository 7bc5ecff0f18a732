import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { MirrorTransport } from '../../src/scraping/mirror-transport.js';
import { runSource } from '../../src/scraping/run-source.js';
import { testDatabases, useTestDatabase } from '../../test/support/databases.js';
import { createLegislationSource } from './source.js';

const fixturesDir = path.resolve(import.meta.dirname, 'fixtures');
// Pinned so a LEGISLATION_FOLLOW in the environment cannot change what the mirror is asked for.
const source = createLegislationSource({ followList: ['ukpga/2014/23'], maxFeedPages: 5 });

describe.each(testDatabases)('legislation end to end over the fixtures mirror on %s', (target) => {
  const t = useTestDatabase<Database>(target, { prepare: migrateToLatest });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'legislation-raw-'));

  it('imports the fictional Act as enacted and revised in English and Welsh, clauses linked across languages; a second run changes nothing', async () => {
    const transport = await MirrorTransport.open(fixturesDir);
    const run = () => runSource({ db: t.db, source, transport, transportName: 'mirror', dataDir, trigger: 'test' });

    const first = await run();
    expect(first).toMatchObject({ status: 'ok', discovered: 5, fetched: 5, inserted: 2, updated: 3, failed: 0, quarantined: 0 });

    const documents = await t.db.selectFrom('documents').select(['id', 'kind', 'jurisdiction', 'title']).orderBy('id').execute();
    expect(documents).toEqual([
      { id: 'legislation:anaw/2099/7', kind: 'act', jurisdiction: 'wales', title: 'Co-production (Wales) Act 2099' },
      { id: 'legislation:wsi/2099/123', kind: 'si', jurisdiction: 'wales', title: 'The Partnership Boards (Wales) Regulations 2099' },
    ]);

    const versions = await t.db
      .selectFrom('document_versions')
      .select(['language', 'label', 'valid_from', 'clause_count', 'status', 'source_url'])
      .where('document_id', '=', 'legislation:anaw/2099/7')
      .orderBy('id')
      .execute();
    expect(versions.map((v) => [v.language, v.label, v.valid_from, Number(v.clause_count), v.status])).toEqual([
      ['en', 'enacted', '2099-03-02', 14, 'accepted'],
      ['cy', 'enacted', '2099-03-02', 14, 'accepted'],
      ['en', 'revised', '2100-04-01', 15, 'accepted'],
      ['cy', 'revised', '2100-04-01', 15, 'accepted'],
    ]);

    // English and Welsh attach to the same clause rows: the first Welsh version takes the English
    // clause ids by key, so every enacted clause has one id shared by both languages.
    const rows = await t.db
      .selectFrom('clause_versions')
      .innerJoin('clauses', 'clauses.id', 'clause_versions.clause_id')
      .innerJoin('document_versions', 'document_versions.id', 'clause_versions.document_version_id')
      .select(['clause_versions.clause_id as clauseId', 'clause_versions.language as language', 'clause_versions.key as key', 'document_versions.label as label'])
      .where('clauses.document_id', '=', 'legislation:anaw/2099/7')
      .execute();
    const pairs = (language: string, label: string) =>
      [...new Set(rows.filter((r) => r.language === language && r.label === label).map((r) => `${r.key}=${Number(r.clauseId)}`))].sort();
    expect(pairs('en', 'enacted')).toHaveLength(14);
    expect(pairs('cy', 'enacted')).toEqual(pairs('en', 'enacted'));
    const keys = (language: string, label: string) => [...new Set(rows.filter((r) => r.language === language && r.label === label).map((r) => r.key))].sort();
    expect(keys('cy', 'revised')).toEqual(keys('en', 'revised'));
    expect(keys('en', 'revised')).toContain('section-1-2A');
    // A provision that first appears in a later version (the inserted s.1(2A)) still joins its twin:
    // one clause, with English and Welsh text. So does the repealed s.1(3), whose text became dots.
    for (const key of ['section-1-2A', 'section-1-3']) {
      const ids = new Set(rows.filter((r) => r.key === key).map((r) => Number(r.clauseId)));
      expect(ids.size, key).toBe(1);
    }
    expect(pairs('cy', 'revised')).toEqual(pairs('en', 'revised'));

    const second = await run();
    expect(second).toMatchObject({ status: 'ok', discovered: 5, fetched: 0, notModified: 5, inserted: 0, updated: 0, failed: 0 });
  });
});
