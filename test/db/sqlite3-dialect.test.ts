import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kysely, sql, type Generated } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sqlite3QueryError } from '../../src/db/sqlite3-connection.js';
import { Sqlite3Dialect, type Sqlite3DialectConfig } from '../../src/db/sqlite3-dialect.js';

interface TestDb {
  items: { id: Generated<number>; name: string; qty: number | bigint | null };
  parents: { id: number };
  children: { id: number; parent_id: number };
  ledger: { id: Generated<number>; txn: number; seq: number };
}

let dir: string;
let file: string;
const opened: Array<Kysely<TestDb>> = [];

function open(config: Partial<Sqlite3DialectConfig> = {}): Kysely<TestDb> {
  const db = new Kysely<TestDb>({ dialect: new Sqlite3Dialect({ filename: file, ...config }) });
  opened.push(db);
  return db;
}

async function createTables(db: Kysely<TestDb>): Promise<void> {
  await db.schema
    .createTable('items')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('qty', 'integer')
    .execute();
  await db.schema.createTable('parents').addColumn('id', 'integer', (c) => c.primaryKey()).execute();
  await db.schema
    .createTable('children')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('parent_id', 'integer', (c) => c.notNull().references('parents.id'))
    .execute();
  await db.schema
    .createTable('ledger')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('txn', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .execute();
}

async function pragma(db: Kysely<TestDb>, name: string): Promise<unknown> {
  const { rows } = await sql<Record<string, unknown>>`pragma ${sql.raw(name)}`.execute(db);
  return Object.values(rows[0] ?? {})[0];
}

class Deliberate extends Error {}

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sqlite3-dialect-'));
  file = path.join(dir, 'nested', 'test.sqlite');
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.destroy()));
  await rm(dir, { recursive: true, force: true });
});

describe('Sqlite3Dialect', () => {
  it('creates the folder and applies the PRAGMAs on open', async () => {
    const db = open();
    expect(await pragma(db, 'journal_mode')).toBe('wal');
    expect(await pragma(db, 'synchronous')).toBe(2); // FULL
    expect(await pragma(db, 'foreign_keys')).toBe(1);
    expect(await pragma(db, 'busy_timeout')).toBe(10_000);
  });

  it('honours PRAGMA options', async () => {
    const db = open({ busyTimeoutMs: 250, synchronous: 'NORMAL', journalMode: 'DELETE', foreignKeys: false });
    expect(await pragma(db, 'journal_mode')).toBe('delete');
    expect(await pragma(db, 'synchronous')).toBe(1);
    expect(await pragma(db, 'foreign_keys')).toBe(0);
    expect(await pragma(db, 'busy_timeout')).toBe(250);
  });

  it('works in memory', async () => {
    const db = new Kysely<TestDb>({ dialect: new Sqlite3Dialect({ filename: ':memory:' }) });
    opened.push(db);
    await createTables(db);
    await db.insertInto('items').values({ name: 'a', qty: 1 }).execute();
    expect(await db.selectFrom('items').select('name').execute()).toEqual([{ name: 'a' }]);
    expect(await pragma(db, 'journal_mode')).toBe('memory');
  });

  it('reports insertId and affected row counts as bigint', async () => {
    const db = open();
    await createTables(db);
    const first = await db.insertInto('items').values({ name: 'a', qty: 1 }).executeTakeFirstOrThrow();
    const second = await db.insertInto('items').values({ name: 'b', qty: 2 }).executeTakeFirstOrThrow();
    expect(first).toEqual({ insertId: 1n, numInsertedOrUpdatedRows: 1n });
    expect(second.insertId).toBe(2n);

    const updated = await db.updateTable('items').set({ qty: 5 }).executeTakeFirstOrThrow();
    expect(updated.numUpdatedRows).toBe(2n);
    const deleted = await db.deleteFrom('items').where('name', '=', 'a').executeTakeFirstOrThrow();
    expect(deleted.numDeletedRows).toBe(1n);
    expect(await db.selectFrom('items').selectAll().execute()).toEqual([{ id: 2, name: 'b', qty: 5 }]);
  });

  it('returns rows for RETURNING on insert, update and delete', async () => {
    const db = open();
    await createTables(db);
    const inserted = await db
      .insertInto('items')
      .values([{ name: 'a', qty: 1 }, { name: 'b', qty: 2 }])
      .returning(['id', 'name'])
      .execute();
    expect(inserted).toEqual([{ id: 1, name: 'a' }, { id: 2, name: 'b' }]);
    const updated = await db.updateTable('items').set({ qty: 9 }).where('id', '=', 2).returningAll().execute();
    expect(updated).toEqual([{ id: 2, name: 'b', qty: 9 }]);
    const deleted = await db.deleteFrom('items').returning('name').execute();
    expect(deleted.map((r) => r.name).sort()).toEqual(['a', 'b']);
  });

  it('runs raw sql: reads give rows, writes give counts, RETURNING gives rows', async () => {
    const db = open();
    await createTables(db);
    const inserted = await sql<{ id: number }>`insert into items (name, qty) values (${'a'}, ${1}) returning id`.execute(db);
    expect(inserted.rows).toEqual([{ id: 1 }]);
    const write = await sql`update items set qty = ${7} where name = ${'a'}`.execute(db);
    expect(write.numAffectedRows).toBe(1n);
    expect(write.rows).toEqual([]);
    const read = await sql<{ qty: number }>`/* why */ -- a leading comment
      select qty from items where name = ${'a'}`.execute(db);
    expect(read.rows).toEqual([{ qty: 7 }]);
    const cte = await sql<{ n: number }>`with t(n) as (values (1), (2)) select n from t`.execute(db);
    expect(cte.rows).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('binds bigint, boolean, Buffer and null, and refuses plain objects', async () => {
    const db = open();
    await createTables(db);
    await db.insertInto('items').values({ name: 'big', qty: 2n ** 60n }).execute();
    await db.insertInto('items').values({ name: 'small', qty: 42n }).execute();
    const { rows } = await sql<{ t: string; kind: string }>`select cast(qty as text) as t, typeof(qty) as kind from items order by id`.execute(db);
    expect(rows).toEqual([{ t: '1152921504606846976', kind: 'integer' }, { t: '42', kind: 'integer' }]);
    const mixed = await sql<Record<string, unknown>>`select ${true} as yes, ${null} as empty, ${Buffer.from('hi')} as blob`.execute(db);
    expect(mixed.rows[0]).toEqual({ yes: 1, empty: null, blob: Buffer.from('hi') });
    await expect(sql`select ${{ a: 1 } as unknown as string} as x`.execute(db)).rejects.toThrow(/cannot bind parameter 1 of type Object/);
  });

  it('commits a transaction, and rolls back all of it when the callback throws', async () => {
    const db = open();
    await createTables(db);
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('items').values({ name: 'kept', qty: 1 }).execute();
      await trx.insertInto('items').values({ name: 'kept too', qty: 2 }).execute();
    });
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('items').values({ name: 'lost', qty: 3 }).execute();
        throw new Deliberate('stop');
      }),
    ).rejects.toBeInstanceOf(Deliberate);
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('items').values({ name: 'lost as well', qty: 3 }).execute();
        await trx.insertInto('items').values({ name: 'kept', qty: 4 }).execute(); // UNIQUE violation
      }),
    ).rejects.toThrow(/UNIQUE constraint failed/);
    const names = await db.selectFrom('items').select('name').orderBy('id').execute();
    expect(names.map((r) => r.name)).toEqual(['kept', 'kept too']);
  });

  it('accepts isolation level and read-only settings, and savepoints', async () => {
    const db = open();
    await createTables(db);
    await db.transaction().setIsolationLevel('serializable').execute(async (trx) => {
      await trx.insertInto('items').values({ name: 'a', qty: 1 }).execute();
    });
    const count = await db
      .transaction()
      .setAccessMode('read only')
      .execute((trx) => trx.selectFrom('items').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow());
    expect(count.n).toBe(1);

    const trx = await db.startTransaction().execute();
    await trx.insertInto('items').values({ name: 'before savepoint', qty: 1 }).execute();
    const sp = await trx.savepoint('sp "1"').execute();
    await sp.insertInto('items').values({ name: 'after savepoint', qty: 1 }).execute();
    await sp.rollbackToSavepoint('sp "1"').execute();
    await trx.commit().execute();
    const names = await db.selectFrom('items').select('name').orderBy('id').execute();
    expect(names.map((r) => r.name)).toEqual(['a', 'before savepoint']);
  });

  it('enforces foreign keys', async () => {
    const db = open();
    await createTables(db);
    await db.insertInto('parents').values({ id: 1 }).execute();
    await db.insertInto('children').values({ id: 1, parent_id: 1 }).execute();
    await expect(db.insertInto('children').values({ id: 2, parent_id: 99 }).execute()).rejects.toThrow(/FOREIGN KEY constraint failed/);
    await expect(db.deleteFrom('parents').execute()).rejects.toThrow(/FOREIGN KEY constraint failed/);
  });

  it('puts the SQL, truncated, in error messages and keeps the sqlite3 code', async () => {
    const db = open();
    await createTables(db);
    await db.insertInto('items').values({ name: 'a', qty: 1 }).execute();
    const error = await db.insertInto('items').values({ name: 'a', qty: 2 }).execute().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Sqlite3QueryError);
    expect((error as Sqlite3QueryError).code).toBe('SQLITE_CONSTRAINT');
    expect((error as Error).message).toMatch(/UNIQUE constraint failed: items\.name — SQL: insert into "items" \("name", "qty"\) values \(\?, \?\)/);

    const long = await sql`select * from no_such_table where ${sql.raw(Array(400).fill('1 = 1').join(' and '))}`.execute(db).catch((e: unknown) => e);
    expect((long as Error).message).toMatch(/no such table: no_such_table — SQL: select \* from no_such_table/);
    expect((long as Error).message).toMatch(/…$/);
    expect((long as Error).message.length).toBeLessThan(600);
  });

  it('streams a select in chunks, and frees the connection when the reader stops early', async () => {
    const db = open();
    await createTables(db);
    const values = Array.from({ length: 250 }, (_, i) => ({ name: `item ${i}`, qty: i }));
    await db.insertInto('items').values(values).execute();

    const seen: number[] = [];
    for await (const row of db.selectFrom('items').select('qty').where('qty', '>=', 0).orderBy('id').stream(100)) {
      seen.push(row.qty as number);
    }
    expect(seen).toEqual(values.map((v) => v.qty));

    let taken = 0;
    for await (const _row of db.selectFrom('items').selectAll().stream(10)) {
      if (++taken === 15) break;
    }
    await db.insertInto('items').values({ name: 'after stream', qty: 1 }).execute();
    expect(await db.selectFrom('items').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst()).toEqual({ n: 251 });

    const notRows = async () => {
      for await (const _row of db.updateTable('items').set({ qty: 0 }).stream()) break;
    };
    await expect(notRows()).rejects.toThrow(/can only stream queries that return rows/);
  });

  it('runs 50 concurrent write transactions and 1,000 concurrent reads, all-or-nothing', async () => {
    const db = open();
    await createTables(db);
    const rowsPerTransaction = 5;
    const fails = (txn: number) => txn % 7 === 3; // 3, 10, 17, 24, 31, 38, 45

    const writeTransaction = (txn: number) =>
      db.transaction().execute(async (trx) => {
        for (let seq = 0; seq < rowsPerTransaction; seq++) {
          await trx.insertInto('ledger').values({ txn, seq }).execute();
          if (fails(txn) && seq === 2) throw new Deliberate(`transaction ${txn}`);
        }
        return txn;
      });
    const read = () =>
      db.selectFrom('ledger').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow().then((r) => r.n);

    const work: Array<Promise<unknown>> = [];
    const reads: Array<Promise<number>> = [];
    for (let i = 0; i < 1_000; i++) {
      if (i % 20 === 0) work.push(writeTransaction(i / 20));
      const r = read();
      reads.push(r);
      work.push(r);
    }
    const settled = await Promise.allSettled(work);

    const errors = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as Error] : []));
    const unexpected = errors.filter((e) => !(e instanceof Deliberate));
    expect(unexpected.map((e) => e.message)).toEqual([]);
    expect(errors.map((e) => e.message).sort()).toEqual(
      Array.from({ length: 50 }, (_, t) => t).filter(fails).map((t) => `transaction ${t}`).sort(),
    );

    const perTransaction = await db
      .selectFrom('ledger')
      .select(['txn', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('txn')
      .orderBy('txn')
      .execute();
    const committed = Array.from({ length: 50 }, (_, t) => t).filter((t) => !fails(t));
    expect(perTransaction).toEqual(committed.map((txn) => ({ txn, n: rowsPerTransaction })));

    // Reads never saw half a transaction: every count is a whole number of transactions.
    const counts = await Promise.all(reads);
    expect(counts.every((n) => n % rowsPerTransaction === 0 && n <= committed.length * rowsPerTransaction)).toBe(true);
  });

  it('lets two connections to one file write concurrently: the second waits instead of failing', async () => {
    const a = open();
    await createTables(a);
    const b = open();
    // Read, pause, then write: with a deferred BEGIN this is the classic lock-upgrade deadlock.
    const writer = (db: Kysely<TestDb>, who: number) =>
      Array.from({ length: 20 }, (_, i) =>
        db.transaction().execute(async (trx) => {
          await trx.selectFrom('ledger').select((eb) => eb.fn.countAll().as('n')).execute();
          await sleep(1);
          await trx.insertInto('ledger').values({ txn: who * 100 + i, seq: 0 }).execute();
          await trx.insertInto('ledger').values({ txn: who * 100 + i, seq: 1 }).execute();
        }),
      );
    await Promise.all([...writer(a, 1), ...writer(b, 2)]);
    const total = await b.selectFrom('ledger').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(total.n).toBe(80);
  });

  it('makes a second writer wait for the first to commit, and fail at once only with busy_timeout 0', async () => {
    const a = open();
    await createTables(a);
    const patient = open();
    const impatient = open({ busyTimeoutMs: 0 });
    // Open both now, so the BUSY below comes from BEGIN IMMEDIATE and not from the PRAGMAs on open.
    await Promise.all([sql`select 1`.execute(patient), sql`select 1`.execute(impatient)]);

    const holder = await a.startTransaction().execute();
    await holder.insertInto('items').values({ name: 'first', qty: 1 }).execute();

    await expect(impatient.transaction().execute(async () => undefined)).rejects.toThrow(/SQLITE_BUSY/);

    let finished = false;
    const waiting = patient
      .transaction()
      .execute((trx) => trx.insertInto('items').values({ name: 'second', qty: 2 }).execute())
      .then(() => (finished = true));
    await sleep(150);
    expect(finished).toBe(false);
    await holder.commit().execute();
    await waiting;
    const names = await patient.selectFrom('items').select('name').orderBy('id').execute();
    expect(names.map((r) => r.name)).toEqual(['first', 'second']);
  });

  it('destroy() waits for queued work, then refuses new queries', async () => {
    const db = open();
    await createTables(db);
    const inserts = Array.from({ length: 20 }, (_, i) => db.insertInto('items').values({ name: `n${i}`, qty: i }).execute());
    await db.destroy();
    await expect(Promise.all(inserts)).resolves.toHaveLength(20);
    await expect(db.selectFrom('items').selectAll().execute()).rejects.toThrow(/destroyed|closed/);

    const again = open();
    expect(await again.selectFrom('items').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst()).toEqual({ n: 20 });
  });
});
