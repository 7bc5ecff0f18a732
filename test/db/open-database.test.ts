import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql, type Generated, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, parseInt8, parseNumeric, resolveDatabaseTarget } from '../../src/db/open-database.js';
import { testDatabases, useTestDatabase } from '../support/databases.js';

describe('resolveDatabaseTarget', () => {
  it.each([
    ['postgres://postgres@127.0.0.1:5432/test', { dialect: 'postgres', url: 'postgres://postgres@127.0.0.1:5432/test' }],
    ['postgresql://u:p@db.example/tracker', { dialect: 'postgres', url: 'postgresql://u:p@db.example/tracker' }],
    ['sqlite:data/x.sqlite', { dialect: 'sqlite', filename: 'data/x.sqlite' }],
    ['sqlite://data/x.sqlite', { dialect: 'sqlite', filename: 'data/x.sqlite' }],
    ['sqlite:///var/lib/tracker.sqlite', { dialect: 'sqlite', filename: '/var/lib/tracker.sqlite' }],
    ['sqlite::memory:', { dialect: 'sqlite', filename: ':memory:' }],
    [':memory:', { dialect: 'sqlite', filename: ':memory:' }],
    ['file:///var/lib/tracker.sqlite', { dialect: 'sqlite', filename: '/var/lib/tracker.sqlite' }],
    ['/var/lib/tracker.sqlite', { dialect: 'sqlite', filename: '/var/lib/tracker.sqlite' }],
    ['elsewhere/tracker.sqlite', { dialect: 'sqlite', filename: 'elsewhere/tracker.sqlite' }],
    ['C:\\data\\tracker.sqlite', { dialect: 'sqlite', filename: 'C:\\data\\tracker.sqlite' }],
    ['sqlite:', { dialect: 'sqlite', filename: path.join('data', 'tracker.sqlite') }],
    ['', { dialect: 'sqlite', filename: path.join('data', 'tracker.sqlite') }],
  ])('%s → %o', (databaseUrl, expected) => {
    expect(resolveDatabaseTarget({ databaseUrl })).toEqual(expected);
  });

  it('defaults to DATABASE_URL, then to <dataDir>/tracker.sqlite, then to sqliteFile', () => {
    const saved = process.env.DATABASE_URL;
    try {
      process.env.DATABASE_URL = 'postgres://from-env/db';
      expect(resolveDatabaseTarget({})).toEqual({ dialect: 'postgres', url: 'postgres://from-env/db' });
      delete process.env.DATABASE_URL;
      expect(resolveDatabaseTarget({ dataDir: 'var' })).toEqual({ dialect: 'sqlite', filename: path.join('var', 'tracker.sqlite') });
      expect(resolveDatabaseTarget({ dataDir: 'var', sqliteFile: 'x.db' })).toEqual({ dialect: 'sqlite', filename: 'x.db' });
    } finally {
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
    }
  });

  it('rejects other schemes, naming the accepted forms and hiding the password', () => {
    expect(() => resolveDatabaseTarget({ databaseUrl: 'mysql://root:hunter2@localhost/tracker' })).toThrow(
      /unsupported database URL "mysql:\/\/root@localhost\/tracker": expected postgres:\/\/.*sqlite:/,
    );
  });
});

describe('openDatabase', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'open-database-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('opens SQLite at <dataDir>/tracker.sqlite by default, creating the folder', async () => {
    const dataDir = path.join(dir, 'deep', 'data');
    const opened = await openDatabase({ databaseUrl: '', dataDir });
    try {
      expect(opened.dialect).toBe('sqlite');
      expect(opened.describe).toBe(`sqlite:${path.join(dataDir, 'tracker.sqlite')}`);
      await sql`select 1`.execute(opened.db);
      expect(existsSync(path.join(dataDir, 'tracker.sqlite'))).toBe(true);
    } finally {
      await opened.close();
    }
  });

  it('opens a file: URL as SQLite', async () => {
    const file = path.join(dir, 'x.sqlite');
    const opened = await openDatabase({ databaseUrl: pathToFileURL(file).href });
    await sql`create table t (x integer)`.execute(opened.db);
    await opened.close();
    expect(existsSync(file)).toBe(true);
  });

  it('opens PostgreSQL lazily and describes it without the password', async () => {
    const opened = await openDatabase({ databaseUrl: 'postgres://tracker:s3cret@db.invalid:5432/tracker', searchPath: 't_abc' });
    expect(opened.dialect).toBe('postgres');
    expect(opened.describe).toBe('postgres://tracker@db.invalid:5432/tracker (search_path t_abc)');
    expect(opened.describe).not.toContain('s3cret');
    await opened.close();
  });

  it('refuses a search path that is not a plain identifier', async () => {
    await expect(openDatabase({ databaseUrl: 'postgres://x/y', searchPath: 'a; drop' })).rejects.toThrow(/plain schema name/);
  });

  it('parses PostgreSQL int8 and numeric to numbers only when exact', () => {
    expect(parseInt8('42')).toBe(42);
    expect(parseInt8('9007199254740993')).toBe('9007199254740993');
    expect(parseNumeric('12.50')).toBe(12.5);
    expect(parseNumeric('-0.000123')).toBe(-0.000123);
    expect(parseNumeric('123456789012345')).toBe(123456789012345);
    expect(parseNumeric('1234567890123456.7')).toBe('1234567890123456.7');
    expect(parseNumeric('NaN')).toBe('NaN');
  });
});

interface Db {
  notes: { id: Generated<number>; title: string; words: number };
}

describe.each(testDatabases)('the same CRUD and transactions on %s', (target) => {
  const t = useTestDatabase<Db>(target, {
    prepare: (db: Kysely<Db>) =>
      db.schema
        .createTable('notes')
        .addColumn('id', target === 'postgres' ? 'serial' : 'integer', (c) => c.primaryKey())
        .addColumn('title', 'text', (c) => c.notNull().unique())
        .addColumn('words', 'integer', (c) => c.notNull())
        .execute(),
  });

  it('inserts, updates, deletes and counts', async () => {
    const { db } = t;
    expect(t.dialect).toBe(target);
    const inserted = await db
      .insertInto('notes')
      .values([{ title: 'a', words: 3 }, { title: 'b', words: 4 }, { title: 'c', words: 5 }])
      .returning(['id', 'title'])
      .execute();
    expect(inserted.map((r) => r.title)).toEqual(['a', 'b', 'c']);
    const updated = await db.updateTable('notes').set({ words: 10 }).where('title', '=', 'a').executeTakeFirstOrThrow();
    expect(updated.numUpdatedRows).toBe(1n);
    const deleted = await db.deleteFrom('notes').where('title', '=', 'c').executeTakeFirstOrThrow();
    expect(deleted.numDeletedRows).toBe(1n);
    // COUNT and SUM come back as numbers on both databases (pg would give strings by default).
    const totals = await db
      .selectFrom('notes')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('words').as('words')])
      .executeTakeFirstOrThrow();
    expect(totals).toEqual({ n: 2, words: 14 });
  });

  it('commits, and rolls back everything when the transaction throws', async () => {
    const { db } = t;
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('notes').values({ title: 'kept', words: 1 }).execute();
    });
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('notes').values({ title: 'lost', words: 1 }).execute();
        await trx.insertInto('notes').values({ title: 'kept', words: 2 }).execute(); // unique violation
      }),
    ).rejects.toThrow(/unique/i);
    const titles = await db.selectFrom('notes').select('title').execute();
    expect(titles).toEqual([{ title: 'kept' }]);
  });

  it('gets an isolated, empty database per test', async () => {
    const { rows } = await sql<{ n: number }>`select count(*) as n from notes`.execute(t.db);
    expect(rows[0]?.n).toBe(0);
  });
});
