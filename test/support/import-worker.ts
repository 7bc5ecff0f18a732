/**
 * Child process for the crash test: imports a deterministic corpus (two versions of every document)
 * into the SQLite file named on the command line, printing "ready" once it starts writing. The test
 * kills it with SIGKILL at random moments and starts it again; a complete run is a no-op re-import.
 */
import { openDatabase } from '../../src/db/open-database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { importDocument } from '../../src/pipeline/import-document.js';
import { crashCorpus } from './crash-corpus.js';

const file = process.argv[2];
if (!file) throw new Error('usage: import-worker <sqlite-file>');
const { db, close } = await openDatabase<Database>({ databaseUrl: file });
await migrateToLatest(db);
process.stdout.write('ready\n');
for (const doc of crashCorpus()) await importDocument(db, doc, { now: () => new Date('2026-03-01T00:00:00Z') });
await close();
process.stdout.write('done\n');
