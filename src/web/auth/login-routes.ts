import { Router, type Request, type Response } from 'express';
import { ipKeyGenerator, rateLimit, type Options } from 'express-rate-limit';
import type { Services } from '../app.js';
import { checkCredentials, createSession, deleteSession, normaliseUsername } from './accounts.js';
import { authContext, ensureCsrfToken, sessionOf, setSessionOf } from './authentication.js';

/** Failed sign-ins allowed per 15 minutes: per address and user name, and per address overall. */
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const FAILURES_PER_USER = 5;
export const FAILURES_PER_ADDRESS = 50;

export interface FieldError {
  field: string;
  message: string;
}

/** Where to go after signing in: a path on this site only (no `//host`, no scheme), else the review page. */
export function safeNext(raw: unknown): string {
  if (typeof raw !== 'string' || raw.length > 500) return '/admin/reviews';
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\') || [...raw].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return '/admin/reviews';
  return raw;
}

function renderLogin(res: Response, status: number, view: { username: string; next: string; errors: FieldError[]; notice?: string }): void {
  res.status(status).render('auth/login', { title: 'Reviewer sign-in', ...view });
}

/** `/login` (GET, POST) and `/logout` (POST). */
export function loginRoutes(services: Services): Router {
  const router = Router();
  const context = authContext(services);
  const tooMany: Options['handler'] = (req, res) => {
    const resetTime = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
    const seconds = resetTime ? Math.max(1, Math.ceil((resetTime.getTime() - Date.now()) / 1000)) : LOGIN_WINDOW_MS / 1000;
    res.set('Retry-After', String(seconds));
    res.status(429).render('error', {
      title: 'Too many sign-in attempts',
      message: `Too many failed sign-in attempts from here. Wait ${Math.ceil(seconds / 60)} minutes and try again.`,
    });
  };
  const common = { windowMs: LOGIN_WINDOW_MS, standardHeaders: 'draft-8', legacyHeaders: false, skipSuccessfulRequests: true, handler: tooMany } as const;
  const perAddress = rateLimit({ ...common, limit: FAILURES_PER_ADDRESS, identifier: 'login-address' });
  const perUser = rateLimit({
    ...common,
    limit: FAILURES_PER_USER,
    identifier: 'login-user',
    keyGenerator: (req) => {
      const username = (req.body as Record<string, unknown> | undefined)?.username;
      return `${ipKeyGenerator(req.ip ?? '')}|${typeof username === 'string' ? normaliseUsername(username).slice(0, 64) : ''}`;
    },
  });

  router.get('/login', (req, res) => {
    const next = safeNext(req.query.next);
    if (res.locals.reviewer) return res.redirect(303, next);
    ensureCsrfToken(context, req, res);
    renderLogin(res, 200, { username: '', next, errors: [] });
  });

  router.post('/login', perAddress, perUser, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const username = typeof body.username === 'string' ? body.username.trim().slice(0, 200) : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const next = safeNext(body.next);
    const errors: FieldError[] = [];
    let status = 400;
    if (!username) errors.push({ field: 'username', message: 'Enter your username' });
    if (!password) errors.push({ field: 'password', message: 'Enter your password' });
    if (errors.length === 0) {
      const user = await checkCredentials(services.db, username, password);
      if (user) {
        // Rotate: whatever session this browser had ends, and a new token is issued.
        const previous = sessionOf(req);
        if (previous) await deleteSession(services.db, previous.sessionId);
        const session = await createSession(services.db, user.id);
        res.cookie(context.cookieNames.session, session.token, { ...context.cookieOptions, expires: session.expiresAt });
        res.clearCookie(context.cookieNames.presession, context.cookieOptions);
        setSessionOf(req, { sessionId: session.sessionId, userId: user.id, username: user.username, expiresAt: session.expiresAt });
        context.generateCsrfToken(req, res, { overwrite: true });
        services.log.info({ username: user.username }, 'reviewer signed in');
        return res.redirect(303, next);
      }
      // One message for both: which of the two was wrong is not for an attacker to learn.
      errors.push({ field: 'username', message: 'The username or password is wrong' });
      status = 401;
    }
    ensureCsrfToken(context, req, res);
    renderLogin(res, status, { username, next, errors });
  });

  router.post('/logout', async (req, res) => {
    const session = sessionOf(req);
    if (session) await deleteSession(services.db, session.sessionId);
    res.clearCookie(context.cookieNames.session, context.cookieOptions);
    res.clearCookie(context.cookieNames.csrf, { ...context.cookieOptions, sameSite: 'strict' });
    res.redirect(303, '/');
  });

  return router;
}
