import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open-database.js';
import type { Database } from '../../src/db/schema.js';
import { corpusDir, skipCorpus } from '../support/corpus.js';
import { runCli } from '../support/run-cli.js';

const haveCorpus = !skipCorpus && existsSync(path.join(corpusDir, 'MANIFEST.tsv'));

/** Warnings only: the demo's own progress lines are what these tests read. */
const runDemoCli = (args: string[], env: Record<string, string>) => runCli(args, { LOG_LEVEL: 'warn', ...env });

const summaryOf = (stdout: string) => /summary: (\d+) documents, (\d+) versions, (\d+) clauses, (\d+) clause versions, (\d+) co-production clause versions/.exec(stdout)?.slice(1).map(Number);

describe('demo command', () => {
  it('refuses a --corpus folder without MANIFEST.tsv, before touching the database', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'tracker-demo-bad-'));
    try {
      const result = await runDemoCli(['demo', '--corpus', path.join(dataDir, 'nowhere')], { DATA_DIR: dataDir });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/no MANIFEST\.tsv in --corpus/);
      expect(existsSync(path.join(dataDir, 'tracker.sqlite'))).toBe(false);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 90_000);

  it('is listed in the usage text', async () => {
    const result = await runDemoCli(['--help'], { DATA_DIR: path.join(tmpdir(), 'tracker-unused') });
    expect(result.stdout).toMatch(/^ {2}demo \[--corpus DIR\]/m);
  }, 90_000);
});

describe.skipIf(!haveCorpus)('demo over ../shared/corpus in a fresh DATA_DIR', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'tracker-demo-'));
  });
  afterAll(async () => rm(dataDir, { recursive: true, force: true }));

  it('migrates, loads every source, the corpus and its text captures, and prints progress and a summary; a rerun adds nothing', async () => {
    const first = await runDemoCli(['demo'], { DATA_DIR: dataDir });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^database up to date \(sqlite:/m);
    expect(first.stdout).toContain(`corpus: ${corpusDir}`);
    for (const source of ['legislation', 'senedd-bills', 'wales-guidance', 'wales-statements', 'wales-budgets', 'uk-bills', 'uk-statements']) {
      expect(first.stdout).toMatch(new RegExp(`^source ${source}: run \\d+ (ok|partial)`, 'm'));
    }
    expect(first.stdout).toMatch(/^capture capture:legislation\.gov\.uk\/anaw\/2014\/4\/section\/16\/welsh\/data\.html \(cy\): inserted, \d+ clauses, cut-off last clause left out$/m);
    expect(first.stdout).toMatch(/^capture text\/www\.legislation\.gov\.uk_anaw_2014_4_notes_division_2_89_view_plain\.txt: skipped: explanatory notes/m);
    const [documents, versions, clauses, clauseVersions, coproduction] = summaryOf(first.stdout)!;

    const { db, close } = await openDatabase<Database>({ databaseUrl: path.join(dataDir, 'tracker.sqlite') });
    try {
      const count = async (table: 'documents' | 'document_versions' | 'clauses' | 'clause_versions') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      expect([await count('documents'), await count('document_versions'), await count('clauses'), await count('clause_versions')]).toEqual([documents, versions, clauses, clauseVersions]);
      const tagged = await db.selectFrom('tags').select((eb) => eb.fn.countAll().as('n')).where('coproduction', '=', 1).executeTakeFirstOrThrow();
      expect(Number(tagged.n)).toBe(coproduction);
      const sources = await db.selectFrom('documents').select('source_id').distinct().orderBy('source_id').execute();
      expect(sources.map((s) => s.source_id)).toEqual(['capture', 'legislation', 'senedd-bills', 'uk-bills', 'uk-statements', 'wales-budgets', 'wales-guidance', 'wales-statements']);
      const welsh = await db.selectFrom('document_versions').select('id').where('language', '=', 'cy').execute();
      expect(welsh.length).toBeGreaterThanOrEqual(5);
    } finally {
      await close();
    }
    expect(documents).toBeGreaterThanOrEqual(40);
    expect(coproduction).toBeGreaterThanOrEqual(40);

    const again = await runDemoCli(['demo', '--corpus', corpusDir], { DATA_DIR: dataDir });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^text captures: 0 imported, \d+ unchanged, \d+ skipped, 0 failed$/m);
    expect(summaryOf(again.stdout)).toEqual([documents, versions, clauses, clauseVersions, coproduction]);
  }, 180_000);
});
