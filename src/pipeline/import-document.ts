import type { Kysely, Transaction } from 'kysely';
import type { Database, NewChangeEvent } from '../db/schema.js';
import { alignClauses } from './align-clauses.js';
import { classifyChange } from './classify-change.js';
import { checkParserDrift } from './guard-parser-drift.js';
import { prepareDocument, type PreparedDocument } from './prepare-document.js';
import { acceptedVersions, chunked, clausesOfVersion, predecessorOf } from './version-queries.js';
import { refreshSupersededFrom } from './in-force-dates.js';
import { writeClauses } from './write-clauses.js';
import { matchInputsFor, snapshotOfResult, type Matcher, type TagSnapshot } from './tag-clauses.js';
import { tagSnapshots, upsertTags } from './store-tags.js';
import type { MatchResult } from '../matcher/types.js';
import { enqueueAlerts } from '../alerts/enqueue-alerts.js';

export type ImportOutcome = 'inserted' | 'updated' | 'unchanged' | 'quarantined';

export interface ImportResult {
  outcome: ImportOutcome;
  documentId: string;
  versionId: number | null;
  clauseVersionsWritten: number;
  events: number;
  reason?: string;
}

export interface ImportOptions {
  runId?: number | null;
  /** Tags the version's clauses (and so lets change events say "duty weakened"). Default: no tagging. */
  matcher?: Matcher;
  /** Clock, for reproducible tests. Default: the real one. */
  now?: () => Date;
}

/**
 * Imports one expression of one document in one transaction: validate, hash, compare, then write only
 * what changed. An unchanged document is a no-op; a suspect one is quarantined; otherwise clause versions
 * are written only for clauses whose content changed, and change events describe what happened.
 */
export async function importDocument(db: Kysely<Database>, input: unknown, options: ImportOptions = {}): Promise<ImportResult> {
  const prepared = prepareDocument(input);
  // Matching is CPU only: done before the transaction so the write lock is held as briefly as possible.
  const matches = options.matcher?.matchDocument(
    matchInputsFor(prepared.clauses, { kind: prepared.doc.kind, jurisdiction: prepared.doc.jurisdiction, language: prepared.doc.version.language }),
  );
  return db.transaction().execute((trx) => importPrepared(trx, prepared, options, matches));
}

async function importPrepared(trx: Transaction<Database>, prepared: PreparedDocument, options: ImportOptions, matches: MatchResult[] | undefined): Promise<ImportResult> {
  const now = (options.now ?? (() => new Date()))().toISOString();
  const { doc, documentId } = prepared;
  const { language, label } = doc.version;
  const validFrom = doc.version.validFrom ?? null;
  const base = { documentId, clauseVersionsWritten: 0, events: 0 };

  // Checked before anything is written, so an unchanged document really is a no-op.
  const same = await trx
    .selectFrom('document_versions')
    .select(['id', 'status'])
    .where('document_id', '=', documentId)
    .where('language', '=', language)
    .where('label', '=', label)
    .where('content_hash', '=', prepared.contentHash)
    .where((eb) => (validFrom === null ? eb('valid_from', 'is', null) : eb('valid_from', '=', validFrom)))
    .orderBy('id')
    .execute();
  const sameAccepted = same.find((v) => v.status === 'accepted');
  if (sameAccepted) return { ...base, outcome: 'unchanged', versionId: sameAccepted.id };
  if (same[0]) return { ...base, outcome: 'quarantined', versionId: same[0].id, reason: 'already quarantined with identical content' };

  const isNewDocument = await ensureDocument(trx, prepared, now);

  const previous = predecessorOf(await acceptedVersions(trx, documentId, language), validFrom);
  const drift = checkParserDrift(previous?.clause_count ?? null, prepared.clauses.length, doc.version.explainedDrop);

  const versionRow = {
    document_id: documentId,
    language,
    label,
    valid_from: validFrom,
    title: prepared.title,
    source_url: doc.version.sourceUrl,
    fetched_at: new Date(doc.version.fetchedAt).toISOString(),
    content_hash: prepared.contentHash,
    clause_count: prepared.clauses.length,
    previous_version_id: previous?.id ?? null,
    run_id: options.runId ?? null,
    raw_hash: doc.version.rawHash ?? null,
    metadata: JSON.stringify(doc.metadata ?? {}),
    created_at: now,
  };

  if (drift.suspect) {
    const { id } = await trx
      .insertInto('document_versions')
      .values({ ...versionRow, status: 'quarantined', quarantine_reason: drift.reason })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { ...base, outcome: 'quarantined', versionId: id, reason: drift.reason };
  }

  const { id: versionId } = await trx
    .insertInto('document_versions')
    .values({ ...versionRow, status: 'accepted', quarantine_reason: null })
    .returning('id')
    .executeTakeFirstOrThrow();

  await refreshSupersededFrom(trx, { documentId, language });
  const previousClauses = previous ? await clausesOfVersion(trx, previous.id) : [];
  const pairs = previous ? alignClauses(previousClauses, prepared.clauses) : [];
  const otherLanguageClauses = await clausesMissingLanguage(trx, documentId, language);

  const written = await writeClauses(trx, {
    documentId,
    language,
    versionId,
    now,
    clauses: prepared.clauses,
    previousClauses,
    pairs,
    otherLanguageClauses,
  });

  // Tag every clause version of this version that lacks a current tag; read the predecessor's tags so
  // that a change can be classified as weakened / strengthened / principle gained or lost.
  let tagsBefore = new Map<number, TagSnapshot>();
  const tagsAfter = new Map<number, TagSnapshot>();
  if (matches && options.matcher) {
    const current = await tagSnapshots(trx, [...written.clauseVersionIdAt, ...previousClauses.map((c) => c.clauseVersionId)]);
    const stale = written.clauseVersionIdAt
      .map((clauseVersionId, position) => ({ clauseVersionId, result: matches[position]! }))
      .filter((t) => current.get(t.clauseVersionId)?.matcherVersion !== options.matcher!.version);
    await upsertTags(trx, stale, now);
    written.clauseVersionIdAt.forEach((id, position) => tagsAfter.set(position, snapshotOfResult(matches[position]!)));
    tagsBefore = new Map(previousClauses.map((c, i) => [i, current.get(c.clauseVersionId)]).filter((e): e is [number, TagSnapshot & { matcherVersion: string }] => e[1] !== undefined));
  }

  const events: NewChangeEvent[] = [];
  const event = (e: Omit<NewChangeEvent, 'document_id' | 'document_version_id' | 'previous_version_id' | 'language' | 'run_id' | 'created_at'>) =>
    events.push({
      ...e,
      document_id: documentId,
      document_version_id: versionId,
      previous_version_id: previous?.id ?? null,
      language,
      run_id: options.runId ?? null,
      created_at: now,
    });
  if (isNewDocument) {
    event({ kind: 'document_added', clause_id: null, important: 1, detail: JSON.stringify({ title: prepared.title, clauses: prepared.clauses.length }) });
  } else if (!previous) {
    event({ kind: 'language_added', clause_id: null, important: 0, detail: JSON.stringify({ clauses: prepared.clauses.length }) });
  }
  for (const pair of pairs) {
    const before = pair.previous === null ? null : previousClauses[pair.previous]!;
    const after = pair.next === null ? null : prepared.clauses[pair.next]!;
    const change = classifyChange(
      before && { ...before, ...tagsBefore.get(pair.previous!) },
      after && { ...after, ...tagsAfter.get(pair.next!) },
    );
    if (change.kind === 'unchanged' && !change.important) continue;
    const clauseId = before ? before.clauseId : written.clauseIdAt[pair.next!]!;
    event({
      kind: change.kind === 'unchanged' ? 'reworded' : change.kind,
      clause_id: clauseId,
      important: change.important ? 1 : 0,
      detail: JSON.stringify({ fromKey: before?.key ?? null, toKey: after?.key ?? null, similarity: round(pair.similarity), reasons: change.reasons }),
    });
  }
  // Alerts are queued in this transaction: an event that exists has its alerts (src/alerts/enqueue-alerts.ts).
  const eventIds: number[] = [];
  for (const batch of chunked(events)) eventIds.push(...(await trx.insertInto('change_events').values(batch).returning('id').execute()).map((r) => r.id));
  await enqueueAlerts(trx, eventIds, new Date(now));

  return {
    documentId,
    outcome: isNewDocument ? 'inserted' : 'updated',
    versionId,
    clauseVersionsWritten: written.clauseVersionsWritten,
    events: events.length,
  };
}

/** Creates the source and document rows if needed; returns whether the document is new. */
async function ensureDocument(trx: Transaction<Database>, prepared: PreparedDocument, now: string): Promise<boolean> {
  const { doc, documentId } = prepared;
  await trx
    .insertInto('sources')
    .values({ id: doc.source, name: doc.source, created_at: now, last_run_id: null, last_success_at: null, last_error: null, last_error_at: null })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const existing = await trx.selectFrom('documents').select('id').where('id', '=', documentId).executeTakeFirst();
  const metadata = JSON.stringify(doc.metadata ?? {});
  if (!existing) {
    await trx
      .insertInto('documents')
      .values({
        id: documentId,
        source_id: doc.source,
        native_id: doc.nativeId,
        kind: doc.kind,
        jurisdiction: doc.jurisdiction,
        title: prepared.title,
        metadata,
        withdrawn_at: null,
        withdrawn_reason: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return true;
  }
  // The English expression names and describes the document in lists; a Welsh one keeps its own
  // title and metadata on its version.
  if (doc.version.language === 'en') {
    await trx.updateTable('documents').set({ title: prepared.title, metadata, updated_at: now }).where('id', '=', documentId).execute();
  } else {
    await trx.updateTable('documents').set({ updated_at: now }).where('id', '=', documentId).execute();
  }
  return false;
}

/**
 * The document's clauses that have no text yet in this language, by key: a provision new to this
 * language (the first Welsh version, or a section inserted later) joins its twin in the other language
 * by provision id instead of becoming a clause of its own.
 */
async function clausesMissingLanguage(trx: Transaction<Database>, documentId: string, language: string): Promise<Map<string, number>> {
  const rows = await trx
    .selectFrom('clauses as c')
    .select(['c.id', 'c.current_key'])
    .where('c.document_id', '=', documentId)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('clause_versions as cv').select('cv.id').whereRef('cv.clause_id', '=', 'c.id').where('cv.language', '=', language))),
    )
    .execute();
  return new Map(rows.map((r) => [r.current_key, r.id]));
}
function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
