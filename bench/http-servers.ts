/**
 * The servers under test for bench/http-throughput.ts, run in their own process so that autocannon (the
 * load generator, in the parent) does not share an event loop with them. Builds a demo-data SQLite
 * database, then listens on two loopback ports:
 * - the real app (createApp: helmet, cookies, authentication, every router, the real views);
 * - a bare express+ejs app rendering one page of 50 clause rows (number, heading, text) of the same
 *   document from the same database, in the same layout partials: the floor a page cannot beat.
 * Prints one JSON line on stdout when ready: { app, bare, documentPath, barePath, clauses }.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { openDatabase } from '../src/db/open-database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { Database } from '../src/db/schema.js';
import { loadDemoData } from '../src/demo/load-demo-data.js';
import { createApp } from '../src/web/app.js';
import { projectRoot } from '../src/project-root.js';
import { logger } from '../src/logger.js';

process.env.UK_STATEMENTS_DAYS ??= '3650';
const corpusDir = path.resolve(projectRoot, '../shared/corpus');
const dataDir = await mkdtemp(path.join(tmpdir(), 'tracker-http-bench-'));
const opened = await openDatabase<Database>({ databaseUrl: path.join(dataDir, 'bench.sqlite') });
await migrateToLatest(opened.db);
await loadDemoData(opened.db, { dataDir, corpusDir, log: logger.child({}, { level: 'warn' }) });
const { db } = opened;

// The largest document: the most clauses in one accepted version.
const largest = await db
  .selectFrom('document_versions')
  .select(['id', 'document_id', 'clause_count'])
  .where('status', '=', 'accepted')
  .orderBy('clause_count', 'desc')
  .orderBy('id')
  .limit(1)
  .executeTakeFirstOrThrow();

const app = createApp({ db, log: logger.child({}, { level: 'warn' }) });

const bare = express();
bare.set('view engine', 'ejs');
// Compiled templates cached, as the real app does (src/web/app.ts): compare rendering, not compiling.
bare.set('view cache', true);
bare.set('views', path.join(projectRoot, 'bench/views'));
bare.get('/bare', async (_req, res) => {
  const rows = await db
    .selectFrom('version_clauses as vc')
    .innerJoin('clause_versions as cv', 'cv.id', 'vc.clause_version_id')
    .select(['cv.number', 'cv.heading', 'cv.text'])
    .where('vc.document_version_id', '=', largest.id)
    .orderBy('vc.position')
    .limit(50)
    .execute();
  res.render('bare-clauses', { title: 'Bare page', rows, currentPath: '/bare', reviewer: null, csrfToken: null });
});

const listen = (handler: express.Express) =>
  new Promise<Server>((resolve, reject) => {
    const server = handler.listen(0, '127.0.0.1', () => resolve(server));
    server.once('error', reject);
  });
const servers = [await listen(app), await listen(bare)];
const [appPort, barePort] = servers.map((s) => (s.address() as AddressInfo).port);

const shutdown = async () => {
  // Stop accepting, drop keep-alive sockets, let handlers already running finish before the database closes.
  await Promise.all(
    servers.map((s) => {
      const closed = new Promise<void>((resolve) => s.close(() => resolve()));
      s.closeAllConnections();
      return Promise.race([closed, new Promise<void>((resolve) => setTimeout(resolve, 3_000))]);
    }),
  );
  await new Promise((resolve) => setTimeout(resolve, 500));
  await opened.close();
  await rm(dataDir, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
process.stdin.on('end', () => void shutdown()); // the parent went away

const documentPath = `/documents/${largest.document_id.split('/').map(encodeURIComponent).join('/')}`;
console.log(JSON.stringify({ app: `http://127.0.0.1:${appPort}`, bare: `http://127.0.0.1:${barePort}`, documentPath, barePath: '/bare', clauses: largest.clause_count }));
