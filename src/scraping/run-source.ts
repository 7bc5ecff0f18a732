import type { Kysely } from 'kysely';
import type { Database, RunStatus } from '../db/schema.js';
import { logger as rootLogger, type Logger } from '../logger.js';
import { importDocument, type ImportOutcome } from '../pipeline/import-document.js';
import type { Matcher } from '../pipeline/tag-clauses.js';
import { RawStore } from './raw-store.js';
import type { DocumentRef, SourceDefinition } from './source.js';
import type { Transport } from './transport.js';
import { indexPendingClauseVersions } from '../search/index-pending.js';
import { finishRun, recordFailure, recordProblems, startRun, type RunCounts } from './run-report.js';
import { checkDataQuality, type DataQualityProblem } from './check-data-quality.js';

export interface RunSourceOptions {
  db: Kysely<Database>;
  source: SourceDefinition;
  transport: Transport;
  /** `http` or `mirror`, recorded on the run. */
  transportName: string;
  /** Where raw responses are kept. */
  dataDir: string;
  /** What started the run: schedule, cli, test. */
  trigger: string;
  /** Stop after this many documents (for trying a source out). Default: all. */
  limit?: number;
  log?: Logger;
  /** Tags imported clauses (co-production, strength, funding). Default: none, clauses stay untagged. */
  matcher?: Matcher;
  /** Called after each document with the number done and the total. */
  onProgress?: (done: number, total: number, ref: DocumentRef) => void;
}

export interface RunReport extends RunCounts {
  runId: number;
  status: RunStatus;
}

/**
 * One run of one source: discover → fetch → keep raw → parse → import, document by document. A failure
 * is recorded against its URL and the run goes on; nothing already stored is touched by a failure.
 */
/** Clause versions written before the search index is brought up to date within a run. */
const INDEX_EVERY = 5000;

export async function runSource(options: RunSourceOptions): Promise<RunReport> {
  const { db, source, transport } = options;
  const runId = await startRun(db, source, options.trigger, options.transportName);
  const log = (options.log ?? rootLogger).child({ source: source.id, runId });
  const counts: RunCounts = { discovered: 0, fetched: 0, notModified: 0, inserted: 0, updated: 0, unchanged: 0, skipped: 0, quarantined: 0, failed: 0, dataQualityProblems: 0, lastError: null };
  // Expressions seen in this run: a second response yielding the same one is a discovery or parser bug.
  const seenExpressions = new Map<string, string>();
  const raw = new RawStore(db, options.dataDir);

  let refs: DocumentRef[];
  try {
    refs = await source.discover({ transport, log });
    if (refs.length === 0) throw new Error('discovery found no documents (an empty scrape is treated as an error)');
  } catch (error) {
    counts.failed += 1;
    counts.lastError = `discover: ${message(error)}`;
    await recordFailure(db, { runId, sourceId: source.id, url: '(discover)', stage: 'discover', error });
    log.error({ err: error }, 'discovery failed');
    return finishRun(db, runId, source.id, counts, 'failed');
  }
  if (options.limit !== undefined) refs = refs.slice(0, options.limit);
  counts.discovered = refs.length;
  log.info({ documents: refs.length }, 'discovered');

  let done = 0;
  let unindexed = 0;
  for (const ref of refs) {
    unindexed += await processRef(ref);
    options.onProgress?.(++done, refs.length, ref);
    if (unindexed >= INDEX_EVERY) unindexed -= await indexNewText(unindexed);
  }
  await indexNewText(unindexed);

  const status: RunStatus =
    counts.failed === refs.length ? 'failed' : counts.quarantined > 0 ? 'parser_suspect' : counts.failed > 0 ? 'partial' : 'ok';
  const report = await finishRun(db, runId, source.id, counts, status);
  log.info({ ...report, runId: undefined }, 'run finished');
  return report;

  /** New text becomes searchable in batches, not per document (see src/search/index-pending.ts). */
  async function indexNewText(written: number): Promise<number> {
    try {
      const indexed = await indexPendingClauseVersions(db);
      if (indexed > 0) log.info({ indexed }, 'search index updated');
    } catch (error) {
      // The clause versions stay queued and the next run (or server start) indexes them.
      log.error({ err: error }, 'search indexing failed; the clause versions stay queued');
    }
    return written;
  }

  /** Returns how many clause versions it wrote. */
  async function processRef(ref: DocumentRef): Promise<number> {
    let written = 0;
    const docLog = log.child({ url: ref.url });
    let stage = 'fetch';
    let rawHash: string | null = null;
    let documentId: string | null = null;
    try {
      const state = await db.selectFrom('fetch_states').selectAll().where('url', '=', ref.url).executeTakeFirst();
      const response = await transport.fetch({ url: ref.url, etag: state?.etag ?? null, lastModified: state?.last_modified ?? null });
      if (response.status === 'not-modified') {
        counts.notModified += 1;
        docLog.debug('not modified');
        return 0;
      }
      counts.fetched += 1;
      rawHash = await raw.save(response);
      stage = 'parse';
      const { documents, skipped } = await source.parse(response, ref);
      if (documents.length === 0) {
        counts.skipped += 1;
        docLog.info({ reason: skipped ?? 'the parser gave no reason' }, 'nothing to import');
      }
      stage = 'import';
      for (const doc of documents) {
        documentId = `${doc.source}:${doc.nativeId}`;
        const result = await importDocument(db, { ...doc, version: { ...doc.version, rawHash } }, { runId, matcher: options.matcher });
        // After the import validated the document, so the checks read well-formed fields.
        await noteProblems(doc, documentId, ref.url);
        count(result.outcome);
        written += result.clauseVersionsWritten;
        if (result.outcome === 'quarantined') docLog.warn({ documentId, reason: result.reason }, 'version quarantined');
        else docLog.info({ documentId, outcome: result.outcome, events: result.events }, 'imported');
      }
      // Validators are saved only once everything from this response is stored: a failed import must not
      // turn into a 304 (and so a silent skip) on the next run.
      await saveFetchState(ref.url, response.etag, response.lastModified, rawHash, response.fetchedAt);
    } catch (error) {
      counts.failed += 1;
      counts.lastError = `${ref.url}: ${message(error)}`;
      await recordFailure(db, { runId, sourceId: source.id, url: ref.url, documentId, stage, error, rawHash });
      docLog.error({ err: error, stage, documentId }, `${stage} failed`);
    }
    return written;
  }

  async function noteProblems(doc: Parameters<typeof checkDataQuality>[0], documentId: string, url: string): Promise<void> {
    const problems: DataQualityProblem[] = checkDataQuality(doc);
    const expression = `${documentId} ${doc.version.language} ${doc.version.label} ${doc.version.validFrom ?? ''}`;
    const earlier = seenExpressions.get(expression);
    if (earlier !== undefined) problems.push({ kind: 'duplicate-document', detail: `${expression} was already yielded by ${earlier}` });
    seenExpressions.set(expression, url);
    if (problems.length === 0) return;
    counts.dataQualityProblems += problems.length;
    await recordProblems(db, { runId, sourceId: source.id, documentId, url, problems });
    log.warn({ documentId, url, problems: problems.map((p) => p.kind) }, 'data-quality problems');
  }

  function count(outcome: ImportOutcome): void {
    if (outcome === 'inserted') counts.inserted += 1;
    else if (outcome === 'updated') counts.updated += 1;
    else if (outcome === 'unchanged') counts.unchanged += 1;
    else counts.quarantined += 1;
  }

  async function saveFetchState(url: string, etag: string | null, lastModified: string | null, rawHash: string, fetchedAt: Date) {
    const row = { etag, last_modified: lastModified, last_raw_hash: rawHash, last_fetched_at: fetchedAt.toISOString() };
    await db
      .insertInto('fetch_states')
      .values({ url, ...row })
      .onConflict((oc) => oc.column('url').doUpdateSet(row))
      .execute();
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
