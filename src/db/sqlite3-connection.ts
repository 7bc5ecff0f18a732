import {
  DeleteQueryNode,
  InsertQueryNode,
  SelectQueryNode,
  UpdateQueryNode,
  type CompiledQuery,
  type DatabaseConnection,
  type QueryResult,
} from 'kysely';
import type sqlite3 from 'sqlite3';

/** A sqlite3 failure that names the SQL it came from; `code` keeps sqlite3's, e.g. `SQLITE_CONSTRAINT`. */
export class Sqlite3QueryError extends Error {
  readonly code: string | undefined;
  readonly errno: number | undefined;
  readonly sql: string;

  constructor(cause: unknown, sql: string, maxSqlLength: number) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const shown = sql.length > maxSqlLength ? `${sql.slice(0, maxSqlLength)}…` : sql;
    super(`${reason} — SQL: ${shown}`, { cause });
    this.name = 'Sqlite3QueryError';
    const detail = cause as { code?: unknown; errno?: unknown } | null;
    this.code = typeof detail?.code === 'string' ? detail.code : undefined;
    this.errno = typeof detail?.errno === 'number' ? detail.errno : undefined;
    this.sql = sql;
  }
}

/**
 * One sqlite3.Database seen as a kysely connection. It does no locking itself: the driver hands it to
 * one caller at a time, which is what keeps a transaction's statements together.
 */
export class Sqlite3Connection implements DatabaseConnection {
  readonly #db: sqlite3.Database;
  readonly #maxSqlInError: number;

  constructor(db: sqlite3.Database, maxSqlInError = 500) {
    this.#db = db;
    this.#maxSqlInError = maxSqlInError;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const { sql } = compiledQuery;
    try {
      const parameters = toSqliteParameters(compiledQuery.parameters);
      if (returnsRows(compiledQuery)) {
        return { rows: await this.#all<R>(sql, parameters) };
      }
      const { changes, lastID } = await this.#run(sql, parameters);
      return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastID) };
    } catch (error) {
      // Built here, after the await, so the stack shows the caller's async frames, not libuv's.
      throw new Sqlite3QueryError(error, sql, this.#maxSqlInError);
    }
  }

  /**
   * Steps one prepared statement with `get`, `chunkSize` rows at a time, so memory stays flat however
   * many rows match. (LIMIT/OFFSET paging would re-run the query per page and skip or repeat rows if
   * the table changed; `each` pushes every row at us with no back-pressure.)
   */
  async *streamQuery<R>(compiledQuery: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    const { sql } = compiledQuery;
    if (!returnsRows(compiledQuery)) {
      throw new Error(`sqlite3 driver can only stream queries that return rows (SELECT, WITH, PRAGMA, VALUES or RETURNING) — SQL: ${sql.slice(0, this.#maxSqlInError)}`);
    }
    const size = Math.max(1, Math.floor(chunkSize));
    let statement: sqlite3.Statement | undefined;
    try {
      statement = await this.#prepare(sql, toSqliteParameters(compiledQuery.parameters));
      for (;;) {
        const rows: R[] = [];
        while (rows.length < size) {
          const row = await getRow<R>(statement);
          if (row === undefined) break;
          rows.push(row);
        }
        if (rows.length > 0) yield { rows };
        if (rows.length < size) return;
      }
    } catch (error) {
      throw new Sqlite3QueryError(error, sql, this.#maxSqlInError);
    } finally {
      // Finalizing also ends the implicit read transaction when the consumer stops early.
      if (statement) await finalize(statement);
    }
  }

  #all<R>(sql: string, parameters: unknown[]): Promise<R[]> {
    return new Promise((resolve, reject) => {
      this.#db.all<R>(sql, parameters, (error, rows) => (error ? reject(error) : resolve(rows)));
    });
  }

  #run(sql: string, parameters: unknown[]): Promise<{ changes: number; lastID: number }> {
    return new Promise((resolve, reject) => {
      // sqlite3 passes lastID/changes on `this`, so this must stay a `function`.
      this.#db.run(sql, parameters, function (this: sqlite3.RunResult, error: Error | null) {
        if (error) reject(error);
        else resolve({ changes: this.changes, lastID: this.lastID });
      });
    });
  }

  #prepare(sql: string, parameters: unknown[]): Promise<sqlite3.Statement> {
    return new Promise((resolve, reject) => {
      const statement: sqlite3.Statement = this.#db.prepare(sql, parameters, (error: Error | null) => {
        if (!error) return resolve(statement);
        statement.finalize(() => reject(error));
      });
    });
  }
}

function getRow<R>(statement: sqlite3.Statement): Promise<R | undefined> {
  return new Promise((resolve, reject) => {
    statement.get<R>((error: Error | null, row?: R) => (error ? reject(error) : resolve(row)));
  });
}

function finalize(statement: sqlite3.Statement): Promise<void> {
  return new Promise((resolve) => {
    statement.finalize(() => resolve());
  });
}

const ROW_RETURNING_START = /^(?:select|with|pragma|values|explain)\b/i;
const LEADING_NOISE = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/|\()+/;

/**
 * `all` for statements that yield rows, `run` for the rest (only `run` reports changes and lastID).
 * Builder queries are decided by their node; raw `sql` by its first keyword or a RETURNING clause.
 * A false "yes" is harmless (the statement still runs, only the counts are missing); a false "no"
 * would drop rows, so the text test leans towards `all`.
 */
export function returnsRows(compiledQuery: CompiledQuery): boolean {
  const node = compiledQuery.query;
  if (SelectQueryNode.is(node)) return true;
  if (InsertQueryNode.is(node) || UpdateQueryNode.is(node) || DeleteQueryNode.is(node)) {
    return node.returning !== undefined;
  }
  if (node.kind !== 'RawNode') return false; // schema builder: CREATE, DROP, ALTER…
  const sql = compiledQuery.sql.replace(LEADING_NOISE, '');
  return ROW_RETURNING_START.test(sql) || /\breturning\b/i.test(sql);
}

/**
 * sqlite3 binds a bigint as NULL and a plain object as the text "[object Object]", silently. Convert
 * what has a faithful form and refuse the rest. Integers beyond 2^53 go over as text, which an
 * INTEGER column converts back exactly; note sqlite3 still *reads* integers as JS numbers.
 */
export function toSqliteParameters(parameters: readonly unknown[]): unknown[] {
  return parameters.map((value, index) => {
    switch (typeof value) {
      case 'string':
      case 'number':
      case 'boolean':
        return value;
      case 'bigint':
        return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
          ? Number(value)
          : value.toString();
      case 'object':
        if (value === null || Buffer.isBuffer(value) || value instanceof Date) return value;
        if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
        break;
      default:
        break;
    }
    const shown = value === undefined ? 'undefined' : (value?.constructor?.name ?? typeof value);
    throw new TypeError(`cannot bind parameter ${index + 1} of type ${shown} to SQLite; serialise it first (e.g. JSON.stringify)`);
  });
}
