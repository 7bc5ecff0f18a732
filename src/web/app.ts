import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Logger } from '../logger.js';
import { homeSummary } from './home-summary.js';
import { projectRoot } from '../project-root.js';
import { formatDateTime } from './format.js';

export interface Services {
  db: Kysely<Database>;
  log: Logger;
}

const viewsDir = path.join(projectRoot, 'views');
const publicDir = path.join(projectRoot, 'src/web/public');

/** The whole web app in one screen: middleware order is visible here and nowhere else. */
export function createApp(services: Services): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('view engine', 'ejs');
  app.set('views', viewsDir);
  app.locals.formatDateTime = formatDateTime;
  app.use((_req, res, next) => {
    res.set({
      'Content-Security-Policy': "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'same-origin',
    });
    next();
  });

  app.use('/static', express.static(publicDir, { maxAge: '1h' }));
  app.get('/', async (_req, res) => {
    res.render('home', { summary: await homeSummary(services.db) });
  });
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });

  app.use((_req, res) => {
    res.status(404).render('error', { title: 'Page not found', message: 'There is no page at this address.' });
  });
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    services.log.error({ err: error, url: req.originalUrl }, 'request failed');
    res.status(500).render('error', { title: 'Something went wrong', message: 'The error has been logged. Please try again later.' });
  });
  return app;
}
