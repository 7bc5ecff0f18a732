import path from 'node:path';

/** Settings from the environment, with the defaults a fresh clone runs on. */
export interface Config {
  /** `postgres://…` for PostgreSQL; unset (or `sqlite:<file>`) for the SQLite file under dataDir. */
  databaseUrl: string | undefined;
  /** Database file, raw responses. Default `data`. */
  dataDir: string;
  /** Web server. Default 127.0.0.1:3000. */
  host: string;
  port: number;
  /** Scrape from this folder of captured responses instead of the network (its MANIFEST.tsv maps URL → file). */
  mirrorDir: string | undefined;
  /** Scheduler on or off (`SCHEDULER=off`). Default on. */
  scheduler: boolean;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${env.PORT}`);
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.DATA_DIR ?? 'data'),
    host: env.HOST ?? '127.0.0.1',
    port,
    mirrorDir: env.MIRROR_DIR ? path.resolve(env.MIRROR_DIR) : undefined,
    scheduler: env.SCHEDULER !== 'off',
  };
}
