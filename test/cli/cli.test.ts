import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open-database.js';
import type { Database } from '../../src/db/schema.js';
import { runCli } from '../support/run-cli.js';

const root = path.resolve(import.meta.dirname, '../..');
const corpus = path.resolve(root, '../shared/corpus');
const cli = path.join(root, 'src/cli/main.ts');


describe.skipIf(process.env.SKIP_CORPUS === '1')('npm run scrape over the mirror of ../shared/corpus', () => {
  let dataDir: string;
  beforeAll(async () => {
    if (!existsSync(corpus)) throw new Error(`the shared corpus is missing at ${corpus} (set SKIP_CORPUS=1 to skip)`);
    dataDir = await mkdtemp(path.join(tmpdir(), 'tracker-cli-'));
  });
  afterAll(async () => rm(dataDir, { recursive: true, force: true }));

  it('imports the real CLML files into documents, versions and clauses, and records what it could not parse', async () => {
    const first = await runCli(['scrape', 'legislation', '--mirror', corpus], { DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/run 1 partial: discovered 13, fetched 13, not modified 0, new 2, updated 1, unchanged 0, skipped 9, quarantined 0, failed 1/);
    // Structured logs name the source, run, URL and document.
    const logLines = first.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logLines.find((l) => l.documentId === 'legislation:ukpga/2018/12/section/45')).toMatchObject({ source: 'legislation', runId: 1, outcome: 'inserted' });
    expect(logLines.find((l) => l.msg === 'parse failed')).toMatchObject({ source: 'legislation', url: expect.stringContaining('anaw/2016/2/schedules') });
    expect(logLines.find((l) => l.msg === 'nothing to import')).toMatchObject({ reason: expect.stringMatching(/table of contents|metadata only/) });

    const { db, close } = await openDatabase<Database>({ databaseUrl: path.join(dataDir, 'tracker.sqlite') });
    try {
      const versions = await db
        .selectFrom('document_versions')
        .select(['document_id', 'language', 'label', 'valid_from', 'clause_count', 'status'])
        .orderBy('id')
        .execute();
      expect(versions).toEqual([
        { document_id: 'legislation:anaw/2016/1/section/1', language: 'cy', label: 'revised', valid_from: '2026-06-01', clause_count: 9, status: 'accepted' },
        { document_id: 'legislation:ukpga/2018/12/section/45', language: 'en', label: 'enacted', valid_from: '2018-05-23', clause_count: 32, status: 'accepted' },
        { document_id: 'legislation:ukpga/2018/12/section/45', language: 'en', label: 'revised', valid_from: '2026-06-19', clause_count: 35, status: 'accepted' },
      ]);
      // s.45 enacted → revised: the inserted provisions are additions; clause identity is shared.
      const added = await db.selectFrom('change_events').select('detail').where('kind', '=', 'added').execute();
      expect(added.map((e) => JSON.parse(e.detail).toKey).sort()).toEqual(expect.arrayContaining(['section-45-2A']));
      const failures = await db.selectFrom('fetch_failures').select(['stage', 'error_type', 'url']).execute();
      expect(failures).toEqual([{ stage: 'parse', error_type: 'ParseError', url: 'https://legislation.gov.uk/anaw/2016/2/schedules/2024-03-31/data.xml' }]);
      const raw = await db.selectFrom('raw_responses').select(['stored_path']).execute();
      expect(raw).toHaveLength(13);
      for (const r of raw) expect(existsSync(path.join(dataDir, r.stored_path))).toBe(true);
    } finally {
      await close();
    }

    const second = await runCli(['scrape', 'legislation', '--mirror', corpus], { DATA_DIR: dataDir });
    expect(second.code).toBe(0);
    // The mirror answers conditional requests: every stored document is "not modified"; the
    // failed one is fetched again (its validators were never saved) and fails again.
    expect(second.stdout).toMatch(/run 2 partial: discovered 13, fetched 1, not modified 12, new 0, updated 0, unchanged 0, skipped 0, quarantined 0, failed 1/);
  }, 60_000);
});

describe('command line', () => {
  it('explains bad usage with exit code 2', async () => {
    const result = await runCli(['scrape'], { DATA_DIR: path.join(tmpdir(), 'tracker-unused') });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/scrape needs a source id/);
    const unknown = await runCli(['scrape', 'nowhere'], { DATA_DIR: path.join(tmpdir(), 'tracker-unused') });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no source "nowhere"; registered: legislation/);
  }, 30_000);

  it('review records a decision on a real clause version and refuses an unclear one', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'tracker-review-'));
    try {
      const scrape = await runCli(['scrape', 'wales-statements', '--mirror', path.join(root, 'scrapers/wales-statements/fixtures')], { DATA_DIR: dataDir });
      expect(scrape.code, scrape.stderr).toBe(0);
      const unclear = await runCli(['review', '1', '--note', 'x', '--reviewer', 'ana'], { DATA_DIR: dataDir });
      expect(unclear.code).toBe(1);
      expect(unclear.stderr).toMatch(/exactly one of --confirm, --reject, or a correction/);
      const ok = await runCli(['review', '1', '--reject', '--note', 'Name-drop only.', '--reviewer', 'ana'], { DATA_DIR: dataDir });
      expect(ok.stdout).toMatch(/review recorded for clause version 1: reject/);
      const { db, close } = await openDatabase<Database>({ databaseUrl: path.join(dataDir, 'tracker.sqlite') });
      try {
        expect(await db.selectFrom('tag_reviews').select(['clause_version_id', 'action', 'strength', 'reviewer']).execute()).toEqual([
          { clause_version_id: 1, action: 'reject', strength: 'none', reviewer: 'ana' },
        ]);
        // The scrape tagged what it imported.
        expect(Number((await db.selectFrom('tags').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBeGreaterThan(0);
      } finally {
        await close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('start migrates, serves the home page and a 404 page, and stops cleanly on SIGTERM', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'tracker-start-'));
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'start'], {
      cwd: root,
      env: { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const match = /listening on (http:\/\/\S+)/.exec(out);
          if (match) resolve(match[1]!);
        });
        child.on('exit', (code) => reject(new Error(`start exited with ${code}`)));
      });
      const home = await fetch(url);
      expect(home.status).toBe(200);
      expect(home.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
      expect(await home.text()).toMatch(/<h1>Is co-production in law, and is it funded\?<\/h1>[\s\S]*No documents yet/);
      const missing = await fetch(new URL('/no/such/page', url));
      expect(missing.status).toBe(404);
      expect(await missing.text()).toMatch(/Page not found/);
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 30_000);
});
