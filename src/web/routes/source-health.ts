import { Router } from 'express';
import type { Services } from '../app.js';

/** Placeholder: filled in by the owner of this page (issue 5). */
export function sourceHealthRoutes(_services: Services): Router {
  return Router();
}
