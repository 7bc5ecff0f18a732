import { randomBytes } from 'node:crypto';
import type { CookieOptions, Request, RequestHandler, Response } from 'express';
import { doubleCsrf } from 'csrf-csrf';
import type { Services } from '../app.js';
import { loadSession, type LoadedSession } from './accounts.js';

/**
 * Who is signed in, and CSRF protection for every state-changing request.
 *
 * - Session: a random 32-byte token in an HttpOnly, SameSite=Lax cookie (`__Host-session` and Secure when
 *   `services.secureCookies`); the database holds only its SHA-256 (src/web/auth/accounts.ts). Sessions end
 *   after 8 hours idle or 7 days, and are rotated at sign-in.
 * - CSRF: csrf-csrf's double-submit cookie, its HMAC bound to the session (or, before sign-in, to a random
 *   pre-session cookie, so the sign-in form is protected too). Every POST/PUT/PATCH/DELETE must carry the
 *   token in the `_csrf` form field or gets the 403 "form has expired" page, before any route runs.
 *   `res.locals.csrfToken` is set on every request of a signed-in reviewer (the sign-out form is in every
 *   page's footer). Anonymous visitors get no cookies on ordinary pages: a route that shows them a form
 *   calls `ensureCsrfToken(req, res)` (the sign-in page does).
 * - The CSRF key comes from `SESSION_SECRET` (start-command fills it from DATA_DIR/session-secret when
 *   unset); with neither, a random key per process (tests).
 */
export interface AuthContext {
  services: Services;
  cookieNames: { session: string; presession: string; csrf: string };
  cookieOptions: CookieOptions;
  generateCsrfToken: (req: Request, res: Response, options?: { overwrite?: boolean }) => string;
  /** Rejects an unsafe request without a valid token (csrf-csrf's middleware). */
  protect: RequestHandler;
}

interface RequestIdentity {
  session: LoadedSession | null;
  presession: string | null;
}

const identities = new WeakMap<Request, RequestIdentity>();
const contexts = new WeakMap<Services, AuthContext>();

/** The only unsafe request without a CSRF token: `POST /alerts/unsubscribe/<token>` (src/web/routes/alerts.ts). */
const ONE_CLICK_UNSUBSCRIBE = /^\/alerts\/unsubscribe\/[A-Za-z0-9_-]{43}$/;

export const CSRF_EXPIRED_MESSAGE = 'This form has expired; go back, reload and try again.';

/** One context per app (its services), shared by the middleware and the sign-in routes. */
export function authContext(services: Services): AuthContext {
  const existing = contexts.get(services);
  if (existing) return existing;
  const secure = services.secureCookies === true;
  const prefix = secure ? '__Host-' : '';
  const cookieNames = { session: `${prefix}session`, presession: `${prefix}presession`, csrf: `${prefix}csrf` };
  const cookieOptions: CookieOptions = { httpOnly: true, sameSite: 'lax', secure, path: '/' };
  const configured = process.env.SESSION_SECRET;
  if (configured !== undefined && configured.length < 32) throw new Error('SESSION_SECRET must be at least 32 characters (e.g. `openssl rand -base64 32`)');
  const secret = configured ?? randomBytes(32).toString('base64url');
  const csrf = doubleCsrf({
    getSecret: () => secret,
    getSessionIdentifier: (req) => {
      const identity = identities.get(req);
      return identity?.session ? `s:${identity.session.sessionId}` : identity?.presession ? `p:${identity.presession}` : '';
    },
    cookieName: cookieNames.csrf,
    cookieOptions: { httpOnly: true, sameSite: 'strict', secure, path: '/' },
    // Forms post urlencoded bodies; the token is read from the form field only, never from the cookie.
    getCsrfTokenFromRequest: (req) => {
      const value = (req.body as Record<string, unknown> | undefined)?._csrf;
      return typeof value === 'string' ? value : undefined;
    },
    errorConfig: { statusCode: 403, message: CSRF_EXPIRED_MESSAGE, code: 'EBADCSRFTOKEN' },
    // RFC 8058 one-click unsubscribe: a mail client posts with no cookies; the token in the URL is the authority.
    skipCsrfProtection: (req) => req.method === 'POST' && ONE_CLICK_UNSUBSCRIBE.test(req.path),
  });
  const context: AuthContext = {
    services,
    cookieNames,
    cookieOptions,
    generateCsrfToken: (req, res, options) => csrf.generateCsrfToken(req, res, options),
    protect: csrf.doubleCsrfProtection,
  };
  contexts.set(services, context);
  return context;
}

/** The signed-in session of this request (after `authentication` ran), or null. */
export function sessionOf(req: Request): LoadedSession | null {
  return identities.get(req)?.session ?? null;
}

/**
 * A CSRF token for a form shown to this request, creating the pre-session cookie it is bound to when
 * the visitor is not signed in. Also sets `res.locals.csrfToken`.
 */
export function ensureCsrfToken(context: AuthContext, req: Request, res: Response): string {
  let identity = identities.get(req);
  if (!identity) {
    identity = { session: null, presession: null };
    identities.set(req, identity);
  }
  if (!identity.session && !identity.presession) {
    identity.presession = randomBytes(32).toString('base64url');
    res.cookie(context.cookieNames.presession, identity.presession, context.cookieOptions);
  }
  const token = context.generateCsrfToken(req, res);
  res.locals.csrfToken = token;
  res.set('Cache-Control', 'private, no-store');
  return token;
}

/** Records a new session on this request (after sign-in) so later code binds to it. */
export function setSessionOf(req: Request, session: LoadedSession | null): void {
  identities.set(req, { session, presession: null });
}

const presessionShape = /^[A-Za-z0-9_-]{43}$/;

/** Loads the session from its cookie, sets `res.locals.reviewer` and `res.locals.csrfToken`, checks CSRF. */
export function authentication(services: Services): RequestHandler {
  const context = authContext(services);
  const cookies = context.cookieNames;
  return async (req, res, next) => {
    // Set first: if loading the session fails, the error page's layout still reads these.
    res.locals.reviewer = null;
    res.locals.csrfToken = null;
    const requestCookies = (req.cookies ?? {}) as Record<string, unknown>;
    const token = requestCookies[cookies.session];
    let session: LoadedSession | null = null;
    if (typeof token === 'string' && token !== '') {
      session = await loadSession(services.db, token);
      if (!session) res.clearCookie(cookies.session, context.cookieOptions);
    }
    const presession = requestCookies[cookies.presession];
    identities.set(req, { session, presession: typeof presession === 'string' && presessionShape.test(presession) ? presession : null });
    res.locals.reviewer = session ? { username: session.username } : null;
    // A reviewer's pages carry their name and CSRF tokens: never stored by a shared cache or the back button.
    if (session) res.set('Cache-Control', 'private, no-store');
    context.protect(req, res, (error?: unknown) => {
      if (error) return next(error);
      if (session) res.locals.csrfToken = context.generateCsrfToken(req, res);
      next();
    });
  };
}
