import type { Kysely } from 'kysely';
import type { Database, RunStatus } from '../db/schema.js';
import type { SourceDefinition } from './source.js';
import type { DataQualityProblem } from './check-data-quality.js';

export interface RunCounts {
  discovered: number;
  fetched: number;
  notModified: number;
  inserted: number;
  updated: number;
  unchanged: number;
  skipped: number;
  quarantined: number;
  failed: number;
  dataQualityProblems: number;
  lastError: string | null;
}

/** Opens a run; runs of this source left `running` by a killed process are closed as `interrupted`. */
export async function startRun(db: Kysely<Database>, source: SourceDefinition, trigger: string, transport: string): Promise<number> {
  const now = new Date().toISOString();
  await db
    .insertInto('sources')
    .values({ id: source.id, name: source.name, created_at: now, last_run_id: null, last_success_at: null, last_error: null, last_error_at: null })
    .onConflict((oc) => oc.column('id').doUpdateSet({ name: source.name }))
    .execute();
  await db.updateTable('runs').set({ status: 'interrupted', finished_at: now }).where('source_id', '=', source.id).where('status', '=', 'running').execute();
  const { id } = await db
    .insertInto('runs')
    .values({ source_id: source.id, trigger, transport, status: 'running', started_at: now, finished_at: null, last_error: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function finishRun(db: Kysely<Database>, runId: number, sourceId: string, counts: RunCounts, status: RunStatus) {
  const now = new Date().toISOString();
  await db
    .updateTable('runs')
    .set({
      status,
      finished_at: now,
      discovered: counts.discovered,
      fetched: counts.fetched,
      not_modified: counts.notModified,
      inserted: counts.inserted,
      updated: counts.updated,
      unchanged: counts.unchanged,
      skipped: counts.skipped,
      quarantined: counts.quarantined,
      failed: counts.failed,
      data_quality_problems: counts.dataQualityProblems,
      last_error: counts.lastError,
    })
    .where('id', '=', runId)
    .execute();
  const succeeded = status === 'ok' || status === 'partial';
  await db
    .updateTable('sources')
    .set((eb) => ({
      last_run_id: runId,
      ...(succeeded ? { last_success_at: now, consecutive_failures: 0 } : { consecutive_failures: eb('consecutive_failures', '+', 1) }),
      ...(counts.lastError ? { last_error: counts.lastError, last_error_at: now } : {}),
    }))
    .where('id', '=', sourceId)
    .execute();
  return { runId, status, ...counts };
}

export interface FailureRecord {
  runId: number;
  sourceId: string;
  url: string;
  documentId?: string | null;
  stage: string;
  error: unknown;
  rawHash?: string | null;
}

/** One readable row per failed document: which source, which URL, at which stage, and why. */
export async function recordFailure(db: Kysely<Database>, failure: FailureRecord): Promise<void> {
  const error = failure.error;
  await db
    .insertInto('fetch_failures')
    .values({
      run_id: failure.runId,
      source_id: failure.sourceId,
      url: failure.url,
      document_id: failure.documentId ?? null,
      stage: failure.stage,
      error_type: error instanceof Error ? error.name : typeof error,
      message: (error instanceof Error ? error.message : String(error)).slice(0, 2000),
      raw_hash: failure.rawHash ?? null,
      created_at: new Date().toISOString(),
    })
    .execute();
}

export async function recordProblems(
  db: Kysely<Database>,
  entry: { runId: number; sourceId: string; documentId: string; url: string; problems: DataQualityProblem[] },
): Promise<void> {
  const now = new Date().toISOString();
  await db
    .insertInto('data_quality_problems')
    .values(entry.problems.map((p) => ({ run_id: entry.runId, source_id: entry.sourceId, document_id: entry.documentId, url: entry.url, kind: p.kind, detail: p.detail.slice(0, 1000), created_at: now })))
    .execute();
}
