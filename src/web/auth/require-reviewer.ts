import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Signed-in reviewers only: a page asks them to sign in and come back; a form post is refused with a
 * page that says what needs a reviewer (`refusal`).
 */
export function requireReviewer(refusal: { title: string; message: string }): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (res.locals.reviewer) return next();
    if (req.method === 'GET' || req.method === 'HEAD') {
      res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    res.status(401).render('error', refusal);
  };
}
