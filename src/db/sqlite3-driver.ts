import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  CompiledQuery,
  IdentifierNode,
  RawNode,
  createQueryId,
  type DatabaseConnection,
  type Driver,
  type QueryCompiler,
  type TransactionSettings,
} from 'kysely';
import sqlite3 from 'sqlite3';
import { Mutex } from './mutex.js';
import { Sqlite3Connection } from './sqlite3-connection.js';
import type { Sqlite3DialectConfig } from './sqlite3-dialect.js';

/**
 * Kysely driver over ONE sqlite3 connection. Every query and every transaction first takes the
 * mutex, and a transaction keeps it from BEGIN to COMMIT/ROLLBACK, so no statement from elsewhere in
 * the process can land inside it. That is what rules out "cannot start a transaction within a
 * transaction" and SQLITE_MISUSE, which appear as soon as two callers share an unguarded handle.
 */
export class Sqlite3Driver implements Driver {
  readonly #config: Sqlite3DialectConfig;
  readonly #mutex = new Mutex();
  #db: sqlite3.Database | undefined;
  #connection: Sqlite3Connection | undefined;
  #closed = false;

  constructor(config: Sqlite3DialectConfig) {
    this.#config = { ...config };
  }

  async init(): Promise<void> {
    const { filename } = this.#config;
    if (!isMemory(filename)) await mkdir(path.dirname(path.resolve(filename)), { recursive: true });
    const db = await openDatabaseFile(filename);
    const connection = new Sqlite3Connection(db, this.#config.maxSqlInErrorMessage);
    try {
      for (const pragma of pragmasFor(this.#config)) {
        await connection.executeQuery(CompiledQuery.raw(pragma));
      }
      await this.#config.onCreateConnection?.(connection);
    } catch (error) {
      await closeDatabase(db).catch(() => undefined);
      throw error;
    }
    this.#db = db;
    this.#connection = connection;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#mutex.lock();
    if (this.#closed || !this.#connection) {
      this.#mutex.unlock();
      throw new Error('sqlite3 database is closed');
    }
    return this.#connection;
  }

  /**
   * BEGIN IMMEDIATE takes the write lock up front. With a plain (deferred) BEGIN, two processes that
   * both read and then write would each hold a read lock and wait for the other to upgrade: SQLite
   * detects that and fails one with SQLITE_BUSY at once, whatever busy_timeout says. Taking the lock
   * at BEGIN means the second writer simply waits (up to busy_timeout).
   *
   * `isolationLevel` is accepted and ignored: SQLite transactions are always serializable.
   * `accessMode: 'read only'` starts a deferred transaction, which never takes the write lock; SQLite
   * itself does not stop it writing.
   */
  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const begin = settings.accessMode === 'read only' ? 'begin deferred' : 'begin immediate';
    await connection.executeQuery(CompiledQuery.raw(begin));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await connection.executeQuery(CompiledQuery.raw('rollback'));
    } catch (error) {
      // Some errors (SQLITE_FULL, SQLITE_IOERR, a failed COMMIT…) make SQLite roll back on its own.
      // Kysely then calls us from its catch block; throwing here would hide the error that matters.
      if (!String((error as Error).message).includes('no transaction is active')) throw error;
    }
  }

  async savepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    await connection.executeQuery(compileQuery(savepointCommand('savepoint', name), createQueryId()));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    await connection.executeQuery(compileQuery(savepointCommand('rollback to', name), createQueryId()));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    await connection.executeQuery(compileQuery(savepointCommand('release', name), createQueryId()));
  }

  async releaseConnection(): Promise<void> {
    this.#mutex.unlock();
  }

  /** Waits for queued queries and open transactions to finish (they hold the mutex), then closes. */
  async destroy(): Promise<void> {
    if (this.#closed) return;
    await this.#mutex.lock();
    try {
      if (this.#closed) return;
      this.#closed = true;
      if (this.#db) await closeDatabase(this.#db);
    } finally {
      this.#mutex.unlock();
    }
  }
}

export function isMemory(filename: string): boolean {
  return filename === ':memory:';
}

function pragmasFor(config: Sqlite3DialectConfig): string[] {
  const busyTimeout = Math.max(0, Math.floor(config.busyTimeoutMs ?? 10_000));
  return [
    // First, so that switching to WAL (which needs a moment's exclusive lock) also waits.
    `pragma busy_timeout = ${busyTimeout}`,
    `pragma journal_mode = ${config.journalMode ?? 'WAL'}`,
    `pragma synchronous = ${config.synchronous ?? 'FULL'}`,
    `pragma foreign_keys = ${config.foreignKeys === false ? 'OFF' : 'ON'}`,
  ];
}

function savepointCommand(command: string, name: string): RawNode {
  // IdentifierNode quotes the name, so a savepoint name can never inject SQL.
  return RawNode.createWithChildren([RawNode.createWithSql(`${command} `), IdentifierNode.create(name)]);
}

function openDatabaseFile(filename: string): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const db: sqlite3.Database = new sqlite3.Database(filename, (error: Error | null) => {
      if (error) reject(new Error(`cannot open SQLite database ${filename}: ${error.message}`, { cause: error }));
      else resolve(db);
    });
  });
}

function closeDatabase(db: sqlite3.Database): Promise<void> {
  return new Promise((resolve, reject) => {
    db.close((error: Error | null) => (error ? reject(error) : resolve()));
  });
}
