import type { Kysely, Transaction } from 'kysely';
import type { Database, NewChangeEvent } from '../db/schema.js';
import { alignClauses, type AlignmentPair } from './align-clauses.js';
import { classifyChange } from './classify-change.js';
import { checkParserDrift } from './guard-parser-drift.js';
import { prepareDocument, type ClauseContent, type PreparedClause, type PreparedDocument } from './prepare-document.js';
import { acceptedVersions, chunked, clausesOfVersion, predecessorOf, type StoredClause } from './version-queries.js';

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
  return db.transaction().execute((trx) => importPrepared(trx, prepared, options));
}

async function importPrepared(trx: Transaction<Database>, prepared: PreparedDocument, options: ImportOptions): Promise<ImportResult> {
  const now = (options.now ?? (() => new Date()))().toISOString();
  const { doc, documentId } = prepared;
  const { language, label } = doc.version;
  const validFrom = doc.version.validFrom ?? null;
  const base = { documentId, clauseVersionsWritten: 0, events: 0 };

  const isNewDocument = await ensureDocument(trx, prepared, now);

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

  const previousClauses = previous ? await clausesOfVersion(trx, previous.id) : [];
  const pairs = previous ? alignClauses(previousClauses, prepared.clauses) : [];
  const otherLanguageClauses = previous ? new Map<string, number>() : await clauseIdsByKey(trx, documentId);

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
    const change = classifyChange(before, after);
    if (change.kind === 'unchanged' && !change.important) continue;
    const clauseId = before ? before.clauseId : written.clauseIdAt[pair.next!]!;
    event({
      kind: change.kind === 'unchanged' ? 'reworded' : change.kind,
      clause_id: clauseId,
      important: change.important ? 1 : 0,
      detail: JSON.stringify({ fromKey: before?.key ?? null, toKey: after?.key ?? null, similarity: round(pair.similarity), reasons: change.reasons }),
    });
  }
  for (const batch of chunked(events)) await trx.insertInto('change_events').values(batch).execute();

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
  const existing = await trx.selectFrom('documents').select(['id', 'title']).where('id', '=', documentId).executeTakeFirst();
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
  // The English title names the document in lists; a Welsh expression keeps its own title on its version.
  const title = doc.version.language === 'en' ? prepared.title : existing.title;
  await trx.updateTable('documents').set({ title, metadata, updated_at: now }).where('id', '=', documentId).execute();
  return false;
}

async function clauseIdsByKey(trx: Transaction<Database>, documentId: string): Promise<Map<string, number>> {
  const rows = await trx.selectFrom('clauses').select(['id', 'current_key']).where('document_id', '=', documentId).execute();
  return new Map(rows.map((r) => [r.current_key, r.id]));
}

interface WriteClausesInput {
  documentId: string;
  language: string;
  versionId: number;
  now: string;
  clauses: PreparedClause[];
  previousClauses: StoredClause[];
  pairs: AlignmentPair[];
  /** For the first version in a language: the document's clauses from other languages, by key. */
  otherLanguageClauses: Map<string, number>;
}

/** Writes new clauses and changed clause versions, then the version's membership rows. */
async function writeClauses(trx: Transaction<Database>, input: WriteClausesInput) {
  const { clauses, previousClauses } = input;
  const clauseIdAt: (number | undefined)[] = new Array(clauses.length);
  const clauseVersionIdAt: (number | undefined)[] = new Array(clauses.length);
  const renamed: { clauseId: number; key: string }[] = [];

  for (const pair of input.pairs) {
    if (pair.next === null || pair.previous === null) continue;
    const before = previousClauses[pair.previous]!;
    const after = clauses[pair.next]!;
    clauseIdAt[pair.next] = before.clauseId;
    if (sameContent(before, after)) clauseVersionIdAt[pair.next] = before.clauseVersionId;
    if (before.key !== after.key) renamed.push({ clauseId: before.clauseId, key: after.key });
  }
  clauses.forEach((c, i) => {
    if (clauseIdAt[i] === undefined && input.otherLanguageClauses.has(c.key)) clauseIdAt[i] = input.otherLanguageClauses.get(c.key);
  });

  const newClauses = clauses.filter((_, i) => clauseIdAt[i] === undefined);
  for (const batch of chunked(newClauses)) {
    const rows = await trx
      .insertInto('clauses')
      .values(batch.map((c) => ({ document_id: input.documentId, current_key: c.key, created_at: input.now })))
      .returning(['id', 'current_key'])
      .execute();
    // Keys are unique within a version, so the returned rows map back by key whatever order they come in.
    const idByKey = new Map(rows.map((r) => [r.current_key, r.id]));
    for (const c of batch) clauseIdAt[c.position] = idByKey.get(c.key);
  }
  for (const r of renamed) await trx.updateTable('clauses').set({ current_key: r.key }).where('id', '=', r.clauseId).execute();

  const changed = clauses.filter((_, i) => clauseVersionIdAt[i] === undefined);
  for (const batch of chunked(changed, 300)) {
    const rows = await trx
      .insertInto('clause_versions')
      .values(
        batch.map((c) => ({
          clause_id: clauseIdAt[c.position]!,
          language: input.language,
          key: c.key,
          number: c.number,
          heading: c.heading,
          parent_key: c.parentKey,
          text: c.text,
          text_hash: c.textHash,
          marks: c.marks,
          document_version_id: input.versionId,
          created_at: input.now,
        })),
      )
      .returning(['id', 'clause_id'])
      .execute();
    const idByClause = new Map(rows.map((r) => [r.clause_id, r.id]));
    for (const c of batch) clauseVersionIdAt[c.position] = idByClause.get(clauseIdAt[c.position]!);
  }

  const membership = clauses.map((c) => ({
    document_version_id: input.versionId,
    position: c.position,
    clause_id: clauseIdAt[c.position]!,
    clause_version_id: clauseVersionIdAt[c.position]!,
  }));
  for (const batch of chunked(membership, 1000)) await trx.insertInto('version_clauses').values(batch).execute();

  return { clauseIdAt: clauseIdAt as number[], clauseVersionsWritten: changed.length };
}

function sameContent(before: ClauseContent, after: ClauseContent): boolean {
  return (
    before.textHash === after.textHash &&
    before.key === after.key &&
    before.number === after.number &&
    before.heading === after.heading &&
    before.parentKey === after.parentKey &&
    before.marks === after.marks
  );
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
