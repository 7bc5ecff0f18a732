import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import cookieParser from 'cookie-parser';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Logger } from '../logger.js';
import { projectRoot } from '../project-root.js';
import { viewHelpers } from './view-helpers.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { documentRoutes } from './routes/documents.js';
import { clauseRoutes } from './routes/clauses.js';
import { principleRoutes } from './routes/principles.js';
import { fundingRoutes } from './routes/funding.js';
import { sourceHealthRoutes } from './routes/source-health.js';
import { methodologyRoutes } from './routes/methodology.js';
import { reviewRoutes } from './routes/review.js';
import { searchRoutes } from './routes/search.js';
import { alertRoutes } from './routes/alerts.js';
import { alertFeedRoutes } from './routes/alert-feeds.js';
import { adminWebhookRoutes } from './routes/admin-webhooks.js';
import { authentication } from './auth/authentication.js';

export interface Services {
  db: Kysely<Database>;
  log: Logger;
  /** Cookies marked Secure (set when served over HTTPS; `COOKIE_SECURE=1`). */
  secureCookies?: boolean;
  /** Express `trust proxy` behind a reverse proxy (`TRUST_PROXY`), so rate limits see client addresses. */
  trustProxy?: string;
}

const viewsDir = path.join(projectRoot, 'views');
const publicDir = path.join(projectRoot, 'src/web/public');

/** The whole web app in one screen: middleware order is visible here and nowhere else. */
export function createApp(services: Services): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('view engine', 'ejs');
  app.set('views', viewsDir);
  app.set('query parser', 'simple');
  // Compiled templates are cached except while developing (`npm run dev`): recompiling halves throughput.
  app.set('view cache', process.env.NODE_ENV !== 'development');
  if (services.trustProxy) app.set('trust proxy', /^\d+$/.test(services.trustProxy) ? Number(services.trustProxy) : services.trustProxy);
  Object.assign(app.locals, viewHelpers);

  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
        },
      },
      referrerPolicy: { policy: 'same-origin' },
    }),
  );
  app.use('/static', express.static(publicDir, { maxAge: '1h' }));
  // Before the body parser: its errors (413) render the error page, whose layout reads these.
  app.use((req, res, next) => {
    res.locals.currentPath = req.path;
    res.locals.reviewer = null;
    res.locals.csrfToken = null;
    next();
  });
  // Small forms only: a review note is the largest thing anyone posts.
  app.use(express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 40 }));
  app.use(cookieParser());
  app.use(authentication(services));

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.use(dashboardRoutes(services));
  app.use(documentRoutes(services));
  app.use(clauseRoutes(services));
  app.use(principleRoutes(services));
  app.use(fundingRoutes(services));
  app.use(sourceHealthRoutes(services));
  app.use(methodologyRoutes(services));
  app.use(reviewRoutes(services));
  app.use(adminWebhookRoutes(services));
  app.use(searchRoutes(services));
  app.use(alertRoutes(services));
  app.use(alertFeedRoutes(services));

  app.use((_req, res) => {
    res.status(404).render('error', { title: 'Page not found', message: 'There is no page at this address.' });
  });
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = httpStatusOf(error);
    if (status >= 500) services.log.error({ err: error, url: req.originalUrl }, 'request failed');
    if (res.headersSent) return;
    const view = {
      title: status === 413 ? 'Too much data' : status === 403 ? 'Not allowed' : status < 500 ? 'Bad request' : 'Something went wrong',
      message: status < 500 ? publicMessageOf(error) : 'The error has been logged. Please try again later.',
    };
    // If even the error page fails, answer in plain text: never fall through to Express's page with a stack trace.
    res.status(status).render('error', view, (renderError: Error | null, html?: string) => {
      if (!renderError) return void res.send(html);
      services.log.error({ err: renderError, url: req.originalUrl }, 'error page failed');
      res.type('text/plain').send(`${view.title}. ${view.message}`);
    });
  });
  return app;
}

/** Errors from body parsers and csrf carry a status; everything else is ours and a 500. */
function httpStatusOf(error: unknown): number {
  const status = (error as { status?: unknown; statusCode?: unknown })?.status ?? (error as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}

function publicMessageOf(error: unknown): string {
  const expose = (error as { expose?: unknown })?.expose === true;
  const message = (error as { message?: unknown })?.message;
  return expose && typeof message === 'string' ? message : 'The request could not be understood.';
}
