import { Router } from 'express';
import type { Services } from '../app.js';

/** Atom feeds for every subscription type, without signing up (issue 7). */
export function alertFeedRoutes(_services: Services): Router {
  return Router();
}
