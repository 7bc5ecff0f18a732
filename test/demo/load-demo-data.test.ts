import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { demoSummary } from '../../src/demo/demo-summary.js';
import { loadDemoData } from '../../src/demo/load-demo-data.js';
import type { CaptureOutcome } from '../../src/demo/import-text-captures.js';
import type { RunReport } from '../../src/scraping/run-source.js';
import { testDatabases, useTestDatabase } from '../support/databases.js';
import { corpusDir, skipCorpus } from '../support/corpus.js';

const haveCorpus = !skipCorpus && existsSync(path.join(corpusDir, 'MANIFEST.tsv'));

// The demo data must not depend on the day it is loaded: the clock is faked far from the fixtures'
// capture window (uk-statements 2026-11-12..25), and no UK_STATEMENTS_* variable is set.
describe.each(testDatabases)('loadDemoData on another day (%s)', (target) => {
  const t = useTestDatabase<Database>(target, { prepare: migrateToLatest, scope: 'all' });
  let dataDir: string;
  const reports = new Map<string, RunReport[]>();
  const captures: CaptureOutcome[] = [];
  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2031-05-02T10:00:00Z') });
    for (const name of ['UK_STATEMENTS_DAYS', 'UK_STATEMENTS_TO', 'UK_STATEMENTS_BODIES', 'UK_STATEMENTS_SEARCH']) vi.stubEnv(name, '');
    dataDir = await mkdtemp(path.join(tmpdir(), 'demo-data-'));
    await loadDemoData(t.db, {
      dataDir,
      corpusDir: haveCorpus ? corpusDir : undefined,
      log: pino({ level: 'silent' }),
      onReport: (sourceId, report) => reports.set(sourceId, [...(reports.get(sourceId) ?? []), report]),
      onCapture: (outcome) => captures.push(outcome),
    });
  }, 180_000);
  afterAll(async () => {
    vi.useRealTimers();
    vi.unstubAllEnvs();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('every source imports its fixtures (uk-statements included) with the clock in 2031', () => {
    expect(new Date().getUTCFullYear()).toBe(2031);
    expect([...reports.keys()].sort()).toEqual(['legislation', 'senedd-bills', 'uk-bills', 'uk-statements', 'wales-budgets', 'wales-guidance', 'wales-statements']);
    expect(reports.get('uk-statements')).toEqual([expect.objectContaining({ status: 'ok', discovered: 3, inserted: 3, failed: 0 })]);
    for (const [sourceId, [fixtureRun]] of reports) expect({ sourceId, status: fixtureRun!.status }).toEqual({ sourceId, status: 'ok' });
  });

  it.skipIf(!haveCorpus)('adds the corpus text captures, s.16 in Welsh among them, tagged', async () => {
    expect(captures.filter((c) => c.status === 'failed')).toEqual([]);
    expect(captures.filter((c) => c.status === 'inserted').length).toBeGreaterThanOrEqual(20);
    const c = await t.db
      .selectFrom('clause_versions as cv')
      .innerJoin('clauses as cl', 'cl.id', 'cv.clause_id')
      .innerJoin('tags as tg', 'tg.clause_version_id', 'cv.id')
      .select(['cv.parent_key', 'tg.coproduction', 'tg.strength'])
      .where('cl.document_id', '=', 'capture:legislation.gov.uk/anaw/2014/4/section/16/welsh/data.html')
      .where('cv.key', '=', 'section-16-1-c')
      .executeTakeFirstOrThrow();
    expect(c).toEqual({ parent_key: 'section-16-1', coproduction: 1, strength: 'duty' });
    const summary = await demoSummary(t.db);
    expect(summary.versionsBy['act/wales/cy']).toBeGreaterThanOrEqual(4);
    expect(summary.coproductionClauseVersions).toBeGreaterThanOrEqual(50);
  });
});
