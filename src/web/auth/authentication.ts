import type { RequestHandler } from 'express';
import type { Services } from '../app.js';

/** Placeholder: loads the signed-in reviewer (res.locals.reviewer) and the CSRF token (res.locals.csrfToken). */
export function authentication(_services: Services): RequestHandler {
  return (_req, res, next) => {
    res.locals.reviewer = null;
    res.locals.csrfToken = null;
    next();
  };
}
