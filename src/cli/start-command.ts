import type { Server } from 'node:http';
import type { Config } from '../config.js';
import { logger } from '../logger.js';
import { openServices } from '../services.js';
import { createApp } from '../web/app.js';
import { indexPendingClauseVersions } from '../search/index-pending.js';
import { startScheduler } from '../scheduling/scheduler.js';
import { runSource } from '../scraping/run-source.js';
import { createTransport } from '../scraping/create-transport.js';
import { defaultMatcher } from '../pipeline/default-matcher.js';
import { sources } from '../../scrapers/registry.js';
import { loadOrCreateSessionSecret } from '../web/auth/session-secret.js';
import { startAlertsDispatcher } from './alerts-dispatch-command.js';

/** `npm start`: migrate, serve, schedule; stops cleanly on SIGINT/SIGTERM. */
export async function startCommand(config: Config): Promise<number> {
  const services = await openServices(config);
  logger.info({ database: services.describe }, 'database ready');
  // Text imported just before a crash is still queued for the search index.
  const indexed = await indexPendingClauseVersions(services.db);
  if (indexed > 0) logger.info({ indexed }, 'search index caught up');
  // The CSRF key: SESSION_SECRET, else one kept in DATA_DIR so open forms survive a restart.
  process.env.SESSION_SECRET ??= await loadOrCreateSessionSecret(config.dataDir);
  const app = createApp({ db: services.db, log: logger, secureCookies: process.env.COOKIE_SECURE === '1', trustProxy: process.env.TRUST_PROXY || undefined });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(`coproduction-tracker listening on http://${config.host}:${port}/`);

  const { transport, name } = await createTransport({ mirrorDir: config.mirrorDir });
  const scheduler = config.scheduler
    ? startScheduler({
        sources,
        db: services.db,
        log: logger,
        runSource: (source) =>
          runSource({ db: services.db, source, transport, transportName: name, dataDir: config.dataDir, trigger: 'schedule', matcher: defaultMatcher }),
      })
    : null;
  // Alerts queued by imports are sent by one dispatcher per database (a lease), digests at 07:00 London.
  const alerts = config.scheduler ? await startAlertsDispatcher(services.db, logger) : null;

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  logger.info('shutting down');
  await scheduler?.stop();
  await alerts?.close();
  await new Promise((resolve) => server.close(resolve));
  await transport.close?.();
  await services.close();
  return 0;
}
