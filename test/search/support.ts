/** Set-up for the search tests: demo data (fixtures + corpus) and hand-made versions with dates. */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { pino } from 'pino';
import type { Database } from '../../src/db/schema.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { loadDemoData } from '../../src/demo/load-demo-data.js';
import { defaultMatcher } from '../../src/pipeline/default-matcher.js';
import { indexPendingClauseVersions } from '../../src/search/index-pending.js';
import { importDocument } from '../../src/pipeline/import-document.js';
import { corpusDir } from '../support/corpus.js';

export const silentLog = pino({ level: 'silent' });

export async function prepareDemo(db: Kysely<Database>): Promise<void> {
  await migrateToLatest(db);
  // uk-statements discovery looks back from today; until its date fix lands, reach the fixtures' dates.
  process.env.UK_STATEMENTS_DAYS ??= '3650';
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tracker-search-'));
  await loadDemoData(db, { dataDir, corpusDir, log: silentLog });
}

export interface SearchTestVersion {
  nativeId: string;
  title: string;
  label: string;
  validFrom: string;
  language?: 'en' | 'cy';
  kind?: 'act' | 'bill' | 'code' | 'guidance' | 'statement' | 'budget' | 'other';
  clauses: { key: string; heading?: string; text: string }[];
}

/** Imports one version and makes it searchable, as a scrape run does after its imports. */
export async function importVersion(db: Kysely<Database>, v: SearchTestVersion) {
  const result = await importDocument(
    db,
    {
      source: 'search-test',
      nativeId: v.nativeId,
      kind: v.kind ?? 'act',
      jurisdiction: 'wales',
      title: v.title,
      version: { language: v.language ?? 'en', label: v.label, validFrom: v.validFrom, sourceUrl: `https://example.org/${v.nativeId}/${v.label}`, fetchedAt: '2026-11-20T09:30:00Z' },
      clauses: v.clauses.map((c) => ({ key: c.key, number: null, heading: c.heading ?? null, text: c.text })),
    },
    { matcher: defaultMatcher },
  );
  await indexPendingClauseVersions(db);
  return result;
}
