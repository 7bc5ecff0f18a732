import type { Kysely } from 'kysely';
import type { Config } from './config.js';
import { migrateToLatest } from './db/migrate.js';
import { openDatabase } from './db/open-database.js';
import type { Database } from './db/schema.js';

export interface Services {
  db: Kysely<Database>;
  dialect: 'sqlite' | 'postgres';
  describe: string;
  close(): Promise<void>;
}

/** The composition root for commands: open the configured database and bring its schema up to date. */
export async function openServices(config: Config): Promise<Services> {
  const opened = await openDatabase<Database>({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(opened.db);
  } catch (error) {
    await opened.close();
    throw error;
  }
  return opened;
}
