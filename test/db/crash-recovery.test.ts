import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open-database.js';
import type { Database } from '../../src/db/schema.js';
import { logicalDump } from '../support/logical-dump.js';
import { seededRandom } from '../support/generate-documents.js';

const worker = path.resolve(import.meta.dirname, '../support/import-worker.ts');

/** Starts the import worker; resolves when it exits (killed or finished). */
function runWorker(file: string, killAfterReadyMs: number | null): Promise<{ finished: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', worker, file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    let killScheduled = false;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (killAfterReadyMs !== null && !killScheduled && output.includes('ready')) {
        killScheduled = true;
        setTimeout(() => child.kill('SIGKILL'), killAfterReadyMs);
      }
    });
    child.on('error', reject);
    child.on('exit', () => resolve({ finished: output.includes('done') }));
  });
}

async function inspect(file: string) {
  const { db, close } = await openDatabase<Database>({ databaseUrl: file });
  try {
    const integrity = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db);
    const partial = await db
      .selectFrom('document_versions as v')
      .leftJoin('version_clauses as vc', 'vc.document_version_id', 'v.id')
      .select(['v.id', 'v.clause_count', (eb) => eb.fn.count('vc.position').as('members')])
      .where('v.status', '=', 'accepted')
      .groupBy(['v.id', 'v.clause_count'])
      .execute();
    return {
      integrity: integrity.rows.map((r) => r.integrity_check),
      partialVersions: partial.filter((v) => Number(v.members) !== v.clause_count).length,
      dump: await logicalDump(db),
    };
  } finally {
    await close();
  }
}

describe('kill -9 during import', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tracker-crash-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('20 random SIGKILLs: integrity ok, no partial version, and resuming gives the same database as an uninterrupted run', async () => {
    const reference = path.join(dir, 'reference.sqlite');
    expect((await runWorker(reference, null)).finished).toBe(true);
    const expected = (await inspect(reference)).dump;

    const crashed = path.join(dir, 'crashed.sqlite');
    const random = seededRandom(Number(process.env.CRASH_SEED ?? 2026));
    let killsThatLanded = 0;
    for (let i = 0; i < 20; i++) {
      const { finished } = await runWorker(crashed, Math.floor(random() * 250));
      if (!finished) killsThatLanded += 1;
      const state = await inspect(crashed);
      expect(state.integrity, `after kill ${i + 1}`).toEqual(['ok']);
      expect(state.partialVersions, `after kill ${i + 1}`).toBe(0);
    }
    expect(killsThatLanded).toBeGreaterThanOrEqual(15);

    expect((await runWorker(crashed, null)).finished).toBe(true);
    const resumed = await inspect(crashed);
    expect(resumed.integrity).toEqual(['ok']);
    expect(resumed.dump).toEqual(expected);
  }, 240_000);
});
