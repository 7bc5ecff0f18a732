import { NO_MIGRATIONS } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createMigrator, migrateToLatest, migrations } from '../../src/db/migrate.js';
import { openTestDatabase, testDatabases } from '../support/databases.js';

describe.each(testDatabases)('migrations on %s', (target) => {
  it('run up, are idempotent, and run all the way down again', async () => {
    const { db, close } = await openTestDatabase(target);
    try {
      const first = await migrateToLatest(db);
      expect(first.results?.map((r) => [r.migrationName, r.status])).toEqual(Object.keys(migrations).map((m) => [m, 'Success']));
      expect((await migrateToLatest(db)).results).toEqual([]);
      // Query the tables rather than introspect: on PostgreSQL introspection also sees other schemas.
      for (const table of ['documents', 'document_versions', 'clauses', 'clause_versions', 'version_clauses', 'change_events', 'raw_responses', 'runs']) {
        await expect(db.selectFrom(table).selectAll().execute(), table).resolves.toEqual([]);
      }
      const down = await (await createMigrator(db)).migrateTo(NO_MIGRATIONS);
      expect(down.error).toBeUndefined();
      await expect(db.selectFrom('documents').selectAll().execute()).rejects.toThrow(/documents/);
    } finally {
      await close();
    }
  });

  it.runIf(target === 'postgres')('are not fooled by another schema that is already migrated', async () => {
    const other = await openTestDatabase(target);
    const mine = await openTestDatabase(target);
    try {
      await migrateToLatest(other.db);
      await migrateToLatest(mine.db);
      // The test schema is the whole search_path, so these resolve only if they were made in it.
      await expect(mine.db.selectFrom('kysely_migration_lock').selectAll().execute()).resolves.toHaveLength(1);
      await expect(mine.db.selectFrom('documents').selectAll().execute()).resolves.toEqual([]);
    } finally {
      await other.close();
      await mine.close();
    }
  });
});
