/**
 * Run one test suite on every database we support — SQLite always, PostgreSQL when reachable:
 *
 *   import { testDatabases, useTestDatabase } from '../support/databases.js';
 *
 *   describe.each(testDatabases)('sources repository on %s', (target) => {
 *     const t = useTestDatabase<Database>(target, { prepare: migrateToLatest });
 *     it('inserts a source', async () => {
 *       await t.db.insertInto('sources').values({ ... }).execute();
 *     });
 *   });
 *
 * Each test gets a fresh database (`scope: 'all'` shares one per describe block): SQLite a new temp
 * file (WAL needs a real file), PostgreSQL a new schema `t_<run>_<random>` in TEST_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/test). The schemas are dropped together when the whole run ends
 * (test/support/global-setup.ts), not one by one: a DROP SCHEMA … CASCADE running beside another
 * worker's migration makes PostgreSQL's catalogue introspection fail with "schema … does not exist".
 *
 * Environment: TEST_DATABASES=sqlite (or postgres, or sqlite,postgres) restricts the list;
 * REQUIRE_POSTGRES=1 (CI) makes an unreachable PostgreSQL fail the run instead of being skipped.
 * For one-off use outside describe blocks, call openTestDatabase(target) and close() it yourself.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { openDatabase } from '../../src/db/open-database.js';

export type TestDatabaseTarget = 'sqlite' | 'postgres';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase<DB> {
  db: Kysely<DB>;
  target: TestDatabaseTarget;
  dialect: 'sqlite' | 'postgres';
  /** Where it lives, for failure messages: the temp file, or the URL and schema. */
  describe: string;
  /** Destroys the connection and deletes the file or drops the schema. */
  close(): Promise<void>;
}

export interface UseTestDatabaseOptions<DB> {
  /** Runs on each new database before the tests see it, e.g. `migrateToLatest`. Default none. */
  prepare?: (db: Kysely<DB>) => Promise<unknown>;
  /** `'each'` (default): a new database per test. `'all'`: one per describe block, for speed. */
  scope?: 'each' | 'all';
}

/** Probe once per test file (a module instance); a refused connection answers in milliseconds. */
async function probePostgres(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function resolveTestDatabases(): Promise<TestDatabaseTarget[]> {
  const requested = (process.env.TEST_DATABASES || 'sqlite,postgres')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  for (const name of requested) {
    if (name !== 'sqlite' && name !== 'postgres') {
      throw new Error(`TEST_DATABASES: unknown database "${name}" (use sqlite, postgres or sqlite,postgres)`);
    }
  }
  const targets: TestDatabaseTarget[] = [];
  if (requested.includes('sqlite')) targets.push('sqlite');
  if (requested.includes('postgres')) {
    const problem = await probePostgres();
    const explicit = process.env.TEST_DATABASES !== undefined && process.env.TEST_DATABASES !== '';
    if (problem === undefined) targets.push('postgres');
    else if (process.env.REQUIRE_POSTGRES === '1' || explicit) {
      throw new Error(`PostgreSQL is required for this run but ${TEST_DATABASE_URL} is not reachable: ${problem}`);
    }
  }
  return targets;
}

/** The databases to run on, decided once when the module loads (describe.each needs it up front). */
export const testDatabases: TestDatabaseTarget[] = await resolveTestDatabases();

export async function openTestDatabase<DB = any>(target: TestDatabaseTarget): Promise<TestDatabase<DB>> {
  if (target === 'sqlite') {
    const dir = await mkdtemp(path.join(tmpdir(), 'tracker-test-'));
    const file = path.join(dir, 'test.sqlite');
    const opened = await openDatabase<DB>({ databaseUrl: file });
    return {
      ...opened,
      target,
      close: once(async () => {
        await opened.close();
        await rm(dir, { recursive: true, force: true });
      }),
    };
  }
  const schema = `${process.env.TEST_SCHEMA_PREFIX ?? 't_'}${randomBytes(6).toString('hex')}`;
  await adminQuery(`create schema ${schema}`);
  const opened = await openDatabase<DB>({ databaseUrl: TEST_DATABASE_URL, searchPath: schema, poolMax: 5 });
  return {
    ...opened,
    target,
    close: once(async () => {
      await opened.close();
      // Outside a vitest run (no global teardown to collect it), drop it now.
      if (!process.env.TEST_SCHEMA_PREFIX) await adminQuery(`drop schema if exists ${schema} cascade`);
    }),
  };
}

/**
 * Registers hooks that open (and prepare) a database before each test — or once, with
 * `scope: 'all'` — and close it after. Read `handle.db` inside tests, not at describe time.
 */
export function useTestDatabase<DB = any>(
  target: TestDatabaseTarget,
  options: UseTestDatabaseOptions<DB> = {},
): TestDatabase<DB> {
  let current: TestDatabase<DB> | undefined;
  const open = async () => {
    current = await openTestDatabase<DB>(target);
    if (options.prepare) await prepareRetryingCatalogRace(current.db, options.prepare);
  };
  const close = async () => {
    const closing = current;
    current = undefined;
    await closing?.close();
  };
  if (options.scope === 'all') {
    beforeAll(open);
    afterAll(close);
  } else {
    beforeEach(open);
    afterEach(close);
  }
  const live = (): TestDatabase<DB> => {
    if (!current) throw new Error('test database is only open inside tests (use it in it/beforeEach, not in describe)');
    return current;
  };
  return {
    target,
    get db() {
      return live().db;
    },
    get dialect() {
      return live().dialect;
    },
    get describe() {
      return live().describe;
    },
    close: () => live().close(),
  };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let result: Promise<void> | undefined;
  return () => (result ??= fn());
}

/**
 * kysely's Migrator first lists the tables of every schema it can see (PostgresIntrospector.getTables, which calls
 * pg_get_serial_sequence per column), so a table another test file drops at that moment fails this one's migration
 * with 'relation "t_….x" does not exist' before any migration ran. Seen once in a full run; retried, since nothing
 * was applied.
 */
async function prepareRetryingCatalogRace<DB>(db: Kysely<DB>, prepare: (db: Kysely<DB>) => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await prepare(db);
      return;
    } catch (error) {
      const cause = (error as { cause?: { message?: string } }).cause?.message ?? '';
      if (attempt >= 3 || !/^relation "t_[0-9a-z]+_[0-9a-f]+\.\w+" does not exist$/.test(cause)) throw error;
    }
  }
}
