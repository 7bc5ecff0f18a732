import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../src/db/open-database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { Database } from '../src/db/schema.js';
import { importDocument } from '../src/pipeline/import-document.js';
import { indexPendingClauseVersions } from '../src/search/index-pending.js';
import { prepareDocument } from '../src/pipeline/prepare-document.js';
import { generateDocuments } from '../test/support/generate-documents.js';
import { median } from './stats.js';

export interface ImportBenchOptions {
  clauses: number;
  clausesPerDocument: number;
  repeats: number;
  /** `sqlite`, or a postgres URL (a fresh schema is made and dropped). */
  database: string;
}

/**
 * Import throughput with parsing excluded: documents are generated up front (deterministic seed), then
 * timed from the first importDocument call to the last, on a fresh database each repeat. A second,
 * unchanged pass measures the no-op path that every scheduled re-scrape takes.
 */
export async function benchImport(options: ImportBenchOptions) {
  const documents = Math.ceil(options.clauses / options.clausesPerDocument);
  const docs = generateDocuments({ seed: 2026, documents, clausesPerDocument: options.clausesPerDocument, source: 'bench' });
  const clauses = docs.reduce((n, d) => n + d.clauses.length, 0);
  const firstPass: number[] = [];
  const secondPass: number[] = [];
  const indexing: number[] = [];
  for (let r = 0; r < options.repeats; r++) {
    const { db, close, describe } = await freshDatabase(options.database);
    try {
      await migrateToLatest(db);
      let started = performance.now();
      for (const doc of docs) await importDocument(db, doc);
      firstPass.push(clauses / ((performance.now() - started) / 1000));
      // What a scrape run does after its imports: index the queued text in batches.
      started = performance.now();
      const indexed = await indexPendingClauseVersions(db);
      indexing.push(indexed / ((performance.now() - started) / 1000));
      started = performance.now();
      for (const doc of docs) await importDocument(db, doc);
      secondPass.push(clauses / ((performance.now() - started) / 1000));
      console.error(`  repeat ${r + 1}/${options.repeats} on ${describe}: ${Math.round(firstPass.at(-1)!)} clauses/s new, search index ${Math.round(indexing.at(-1)!)} clauses/s, ${Math.round(secondPass.at(-1)!)} clauses/s unchanged`);
    } finally {
      await close();
    }
  }
  // Validation + normalisation + hashing alone, to show how much of the budget is the database.
  const started = performance.now();
  for (const doc of docs) prepareDocument(doc);
  const prepareOnly = clauses / ((performance.now() - started) / 1000);
  return {
    database: options.database === 'sqlite' ? 'sqlite (file, WAL, synchronous=FULL)' : 'postgres',
    documents,
    clauses,
    repeats: options.repeats,
    newClausesPerSecond: { median: Math.round(median(firstPass)), runs: firstPass.map(Math.round) },
    searchIndexClausesPerSecond: { median: Math.round(median(indexing)), runs: indexing.map(Math.round) },
    /** New text imported and made searchable: 1 / (1/import + 1/index). */
    importAndIndexClausesPerSecond: Math.round(1 / (1 / median(firstPass) + 1 / median(indexing))),
    unchangedClausesPerSecond: { median: Math.round(median(secondPass)), runs: secondPass.map(Math.round) },
    prepareOnlyClausesPerSecond: Math.round(prepareOnly),
  };
}

async function freshDatabase(database: string) {
  if (database === 'sqlite') {
    const dir = await mkdtemp(path.join(tmpdir(), 'tracker-bench-'));
    const opened = await openDatabase<Database>({ databaseUrl: path.join(dir, 'bench.sqlite') });
    return { ...opened, close: async () => { await opened.close(); await rm(dir, { recursive: true, force: true }); } };
  }
  const schema = `bench_${Date.now()}`;
  const admin = await openDatabase<Database>({ databaseUrl: database });
  await admin.db.schema.createSchema(schema).execute();
  await admin.close();
  const opened = await openDatabase<Database>({ databaseUrl: database, searchPath: schema });
  return {
    ...opened,
    close: async () => {
      await opened.close();
      const cleanup = await openDatabase<Database>({ databaseUrl: database });
      await cleanup.db.schema.dropSchema(schema).cascade().execute();
      await cleanup.close();
    },
  };
}
