/**
 * The real app (createApp) on 127.0.0.1:<random port> over a fresh, migrated SQLite file filled with the
 * demo data (every source over its fixtures, legislation over ../shared/corpus). Browser tests run on
 * SQLite only: the route tests cover PostgreSQL.
 *
 *   const app = await startDemoApp({ extra: async (db) => { ... } });
 *   await page.goto(`${app.baseUrl}/documents`);
 *   await app.close();
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { openDatabase } from '../../../src/db/open-database.js';
import { migrateToLatest } from '../../../src/db/migrate.js';
import type { Database } from '../../../src/db/schema.js';
import { loadDemoData } from '../../../src/demo/load-demo-data.js';
import { createApp } from '../../../src/web/app.js';
import { logger } from '../../../src/logger.js';
import { corpusDir } from '../../support/corpus.js';

export interface RunningApp {
  baseUrl: string;
  db: Kysely<Database>;
  dataDir: string;
  close(): Promise<void>;
}

export interface DemoAppOptions {
  /** Runs after the demo data is loaded and before the server starts: hostile documents, users, reviews. */
  extra?: (db: Kysely<Database>) => Promise<void>;
}

export async function startDemoApp(options: DemoAppOptions = {}): Promise<RunningApp> {
  // uk-statements discovery looks back from today; until its date fix lands, reach the fixtures' dates.
  process.env.UK_STATEMENTS_DAYS ??= '3650';
  if (!existsSync(path.join(corpusDir, 'MANIFEST.tsv'))) throw new Error(`the shared corpus is missing at ${corpusDir}: the browser tests show real corpus documents`);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tracker-browser-'));
  const opened = await openDatabase<Database>({ databaseUrl: path.join(dataDir, 'browser.sqlite') });
  try {
    await migrateToLatest(opened.db);
    await loadDemoData(opened.db, { dataDir, corpusDir, log: logger });
    if (options.extra) await options.extra(opened.db);
  } catch (error) {
    await opened.close();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const app = createApp({ db: opened.db, log: logger });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    db: opened.db,
    dataDir,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await opened.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
