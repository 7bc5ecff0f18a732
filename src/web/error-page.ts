import type { Response } from 'express';

const titles: Record<number, string> = { 400: 'Bad request', 404: 'Page not found', 410: 'Gone', 429: 'Too many requests' };

/** The error page with a sentence that says what was wrong and what to do; never echoes raw input. */
export function renderProblem(res: Response, status: 400 | 404 | 410 | 429, message: string): void {
  res.status(status).render('error', { title: titles[status], message });
}
