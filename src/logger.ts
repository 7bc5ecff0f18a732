import pino from 'pino';
import type { Logger } from 'pino';

/** Structured JSON logs on stderr (stdout stays free for command output); LOG_LEVEL picks the level. */
export const logger: Logger = pino(
  { level: process.env.LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info'), base: { app: 'coproduction-tracker' } },
  pino.destination(2),
);
export type { Logger };
