import {
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
} from 'kysely';
import { Sqlite3Driver } from './sqlite3-driver.js';

/** Options for {@link Sqlite3Dialect}. Applied once, when the connection opens. */
export interface Sqlite3DialectConfig {
  /** Database file (its folder is created), or `':memory:'`. */
  filename: string;
  /**
   * How long a statement waits for another connection's lock before failing with SQLITE_BUSY
   * (`PRAGMA busy_timeout`). Default 10000 ms.
   */
  busyTimeoutMs?: number;
  /**
   * `PRAGMA journal_mode`. Default `'WAL'`: readers never block the writer and vice versa.
   * An in-memory database always reports `memory`.
   */
  journalMode?: 'WAL' | 'DELETE' | 'TRUNCATE' | 'PERSIST' | 'MEMORY' | 'OFF';
  /** `PRAGMA synchronous`. Default `'FULL'`: a commit survives power loss, not only a crash. */
  synchronous?: 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA';
  /** `PRAGMA foreign_keys`. Default `true` (SQLite's own default is off). */
  foreignKeys?: boolean;
  /** Longest SQL excerpt quoted in error messages. Default 500 characters. */
  maxSqlInErrorMessage?: number;
  /** Runs after the PRAGMAs, before any other query, e.g. to register functions. */
  onCreateConnection?: (connection: DatabaseConnection) => Promise<void>;
}

/**
 * Kysely dialect for the asynchronous `sqlite3` package (kysely's own SqliteDialect needs the
 * synchronous better-sqlite3 API). SQL generation, adapter and introspection are kysely's SQLite ones;
 * only the driver is ours — see Sqlite3Driver for the locking and transaction rules.
 *
 * Known limits: one statement per query (sqlite3 runs only the first of several); integers read
 * back as JS numbers, so values beyond 2^53 lose precision.
 */
export class Sqlite3Dialect implements Dialect {
  readonly #config: Sqlite3DialectConfig;

  constructor(config: Sqlite3DialectConfig) {
    this.#config = config;
  }

  createDriver(): Driver {
    return new Sqlite3Driver(this.#config);
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }

  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}
