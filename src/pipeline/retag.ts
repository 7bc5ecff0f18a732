import type { Kysely } from 'kysely';
import type { Database, NewChangeEvent } from '../db/schema.js';
import type { MatchResult } from '../matcher/types.js';
import { classifyChange } from './classify-change.js';
import { upsertTags } from './store-tags.js';
import { matchInputsFor, snapshotOfResult, snapshotOfTag, type Matcher } from './tag-clauses.js';

export interface RetagOptions {
  /** Re-tag every clause version, not only untagged ones and those tagged by older rules. Default false. */
  all?: boolean;
  /** Clause versions written per transaction. Default 500. */
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
  now?: () => Date;
}

export interface RetagReport {
  documentVersions: number;
  clauseVersionsTagged: number;
  tagChanges: number;
  matcherVersion: string;
}

/**
 * Brings every clause version's tag up to the matcher's version, document version by document version
 * (neighbouring clauses inform funding links), replacing old tags in one transaction per batch. A tag
 * that changes is recorded as a `retagged` change event: not a change in the law, so never "important",
 * but the history says when a reading changed and why. Human reviews are separate and survive.
 */
export async function retagAll(db: Kysely<Database>, matcher: Matcher, options: RetagOptions = {}): Promise<RetagReport> {
  const batchSize = options.batchSize ?? 500;
  const now = () => (options.now ?? (() => new Date()))().toISOString();
  const versions = await db
    .selectFrom('document_versions as v')
    .innerJoin('documents as d', 'd.id', 'v.document_id')
    .select(['v.id', 'v.document_id', 'v.language', 'd.kind', 'd.jurisdiction'])
    .where('v.status', '=', 'accepted')
    .orderBy('v.id')
    .execute();
  const done = new Set<number>();
  const report: RetagReport = { documentVersions: versions.length, clauseVersionsTagged: 0, tagChanges: 0, matcherVersion: matcher.version };
  let pendingTags: { clauseVersionId: number; result: MatchResult }[] = [];
  let pendingEvents: NewChangeEvent[] = [];

  const flush = async () => {
    if (pendingTags.length === 0) return;
    const [tags, events] = [pendingTags, pendingEvents];
    pendingTags = [];
    pendingEvents = [];
    const at = now();
    await db.transaction().execute(async (trx) => {
      await upsertTags(trx, tags, at);
      for (const event of events) await trx.insertInto('change_events').values({ ...event, created_at: at }).execute();
    });
    report.clauseVersionsTagged += tags.length;
  };

  for (const [index, version] of versions.entries()) {
    const clauses = await db
      .selectFrom('version_clauses as vc')
      .innerJoin('clause_versions as cv', 'cv.id', 'vc.clause_version_id')
      .leftJoin('tags as t', 't.clause_version_id', 'cv.id')
      .select(['cv.id', 'cv.clause_id', 'cv.key', 'cv.text', 'cv.heading', 'cv.parent_key', 't.matcher_version', 't.strength', 't.principles', 't.funding', 't.amounts'])
      .where('vc.document_version_id', '=', version.id)
      .orderBy('vc.position')
      .execute();
    const needed = clauses.map((c) => !done.has(c.id) && (options.all || c.matcher_version !== matcher.version));
    if (needed.some(Boolean)) {
      const inputs = matchInputsFor(
        clauses.map((c) => ({ key: c.key, text: c.text, heading: c.heading, parentKey: c.parent_key })),
        { kind: version.kind, jurisdiction: version.jurisdiction, language: version.language },
      );
      const results = matcher.matchDocument(inputs);
      clauses.forEach((c, i) => {
        if (!needed[i]) return;
        done.add(c.id);
        const result = results[i]!;
        pendingTags.push({ clauseVersionId: c.id, result });
        if (c.matcher_version === null || c.strength === null || c.principles === null || c.funding === null || c.amounts === null) return;
        const before = snapshotOfTag({ strength: c.strength, principles: c.principles, funding: c.funding, amounts: c.amounts });
        const change = classifyChange({ key: c.key, text: c.text, ...before }, { key: c.key, text: c.text, ...snapshotOfResult(result) });
        if (change.reasons.length === 0) return;
        report.tagChanges += 1;
        pendingEvents.push({
          document_id: version.document_id,
          document_version_id: version.id,
          previous_version_id: null,
          clause_id: c.clause_id,
          language: version.language,
          kind: 'retagged',
          important: 0,
          detail: JSON.stringify({ clauseVersionId: c.id, fromMatcher: c.matcher_version, toMatcher: matcher.version, reasons: change.reasons }),
          run_id: null,
          created_at: '',
        });
      });
    }
    if (pendingTags.length >= batchSize) await flush();
    options.onProgress?.(index + 1, versions.length);
  }
  await flush();
  return report;
}
