import { Router } from 'express';
import type { Services } from '../app.js';

/** Subscriber pages (issue 7): subscribe with preview, confirm, manage, unsubscribe. */
export function alertRoutes(_services: Services): Router {
  return Router();
}
