import { Migrator, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import * as coreTables from './migrations/0001-core-tables.js';
import * as documentsAndClauses from './migrations/0002-documents-and-clauses.js';

/**
 * Migrations are listed here rather than read from disk so they work the same under tsx, the compiled
 * build and vitest. Names sort in the order they must run; a conventions test checks that.
 */
export const migrations: Record<string, Migration> = {
  '0001-core-tables': coreTables,
  '0002-documents-and-clauses': documentsAndClauses,
};

export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${String(result.error)}`, { cause: result.error });
  }
  return result;
}
