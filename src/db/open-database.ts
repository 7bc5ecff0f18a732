import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { Sqlite3Dialect } from './sqlite3-dialect.js';

/** Options for {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /**
   * Which database. Default `process.env.DATABASE_URL`. Accepted forms:
   * `postgres://…` / `postgresql://…` → PostgreSQL; `sqlite:PATH`, `sqlite:///ABS/PATH`,
   * `sqlite::memory:`, `file:///ABS/PATH`, a plain file path, `:memory:`, or nothing → SQLite.
   */
  databaseUrl?: string | undefined;
  /** Folder for the default SQLite file. Default `data`. */
  dataDir?: string | undefined;
  /** SQLite file used when no URL/path is given. Default `${dataDir}/tracker.sqlite`. */
  sqliteFile?: string | undefined;
  /** SQLite: wait this long for another connection's lock. Default 10000 ms. */
  busyTimeoutMs?: number | undefined;
  /** PostgreSQL: pool size. Default 10. */
  poolMax?: number | undefined;
  /** PostgreSQL: `statement_timeout` per session in ms. Default none (0). */
  statementTimeoutMs?: number | undefined;
  /** PostgreSQL: schema to put first on `search_path`, e.g. a per-test schema. Default the server's. */
  searchPath?: string | undefined;
}

export interface OpenedDatabase<DB> {
  db: Kysely<DB>;
  dialect: 'sqlite' | 'postgres';
  /** Where we are connected, safe to log: `sqlite:data/tracker.sqlite`, or the URL minus password. */
  describe: string;
  /** Waits for in-flight work, then closes the connection or pool. */
  close(): Promise<void>;
}

export type DatabaseTarget =
  | { dialect: 'sqlite'; filename: string }
  | { dialect: 'postgres'; url: string };

const ACCEPTED_FORMS =
  'postgres://user@host:5432/db, postgresql://…, sqlite:path/to/file.sqlite, sqlite:///absolute/path.sqlite, sqlite::memory:, file:///absolute/path.sqlite, or a plain file path';

/**
 * Opens the configured database. Nothing connects until the first query, so a bad host or password
 * surfaces there (the app runs migrations first thing, which is early enough).
 */
export async function openDatabase<DB>(options: OpenDatabaseOptions = {}): Promise<OpenedDatabase<DB>> {
  const target = resolveDatabaseTarget(options);
  if (target.dialect === 'sqlite') {
    const dialect = new Sqlite3Dialect({
      filename: target.filename,
      ...(options.busyTimeoutMs !== undefined && { busyTimeoutMs: options.busyTimeoutMs }),
    });
    const db = new Kysely<DB>({ dialect });
    return { db, dialect: 'sqlite', describe: `sqlite:${target.filename}`, close: () => db.destroy() };
  }
  const pool = createPool(target.url, options);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  const schema = options.searchPath ? ` (search_path ${options.searchPath})` : '';
  return { db, dialect: 'postgres', describe: `${withoutPassword(target.url)}${schema}`, close: () => db.destroy() };
}

/** Works out dialect and file/URL from the options without opening anything. */
export function resolveDatabaseTarget(options: OpenDatabaseOptions = {}): DatabaseTarget {
  const raw = (options.databaseUrl ?? process.env.DATABASE_URL ?? '').trim();
  const defaultFile = options.sqliteFile ?? path.join(options.dataDir ?? 'data', 'tracker.sqlite');
  if (raw === '') return { dialect: 'sqlite', filename: defaultFile };
  if (/^postgres(?:ql)?:\/\//i.test(raw)) return { dialect: 'postgres', url: raw };
  if (/^sqlite:/i.test(raw)) {
    // sqlite:///abs → /abs; sqlite://rel and sqlite:rel → rel; sqlite: alone → the default file.
    const rest = raw.slice('sqlite:'.length).replace(/^\/\//, '');
    return { dialect: 'sqlite', filename: rest === '' ? defaultFile : rest };
  }
  if (/^file:/i.test(raw)) return { dialect: 'sqlite', filename: fileURLToPath(raw) };
  // A scheme is two or more letters before a colon; one letter is a Windows drive (C:\data\x.sqlite).
  if (/^[a-z][a-z0-9+.-]+:/i.test(raw)) {
    throw new Error(`unsupported database URL "${withoutPassword(raw)}": expected ${ACCEPTED_FORMS}`);
  }
  return { dialect: 'sqlite', filename: raw };
}

function createPool(url: string, options: OpenDatabaseOptions): pg.Pool {
  const searchPath = options.searchPath;
  if (searchPath !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(searchPath)) {
    // It goes into a startup option string, so allow plain identifiers only.
    throw new Error(`searchPath must be a plain schema name (letters, digits, _), got "${searchPath}"`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolMax ?? 10,
    ...(options.statementTimeoutMs !== undefined && { statement_timeout: options.statementTimeoutMs }),
    ...(searchPath !== undefined && { options: `-c search_path=${searchPath}` }),
    types: { getTypeParser: getTypeParser as typeof pg.types.getTypeParser },
  });
  // An idle client dropped by the server emits 'error' on the pool, which would crash the process if
  // unhandled. The pool discards that client; the next query opens a fresh one or reports the outage.
  pool.on('error', () => undefined);
  return pool;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * pg returns int8 and numeric as strings, because they can exceed a JS number. COUNT(*) is int8 and
 * SUM(int8) is numeric, so repository code would see '3' on PostgreSQL and 3 on SQLite. Here they
 * become numbers whenever that is exact: int8 within ±2^53, numeric with at most 15 significant
 * digits (a double round-trips those). Anything bigger stays a string rather than lose digits.
 * Set per pool, not via the global pg.types, so other pools in the process are untouched.
 */
function getTypeParser(oid: number, format?: 'text' | 'binary'): unknown {
  if (format !== 'binary') {
    if (oid === INT8_OID) return parseInt8;
    if (oid === NUMERIC_OID) return parseNumeric;
  }
  return format === undefined ? pg.types.getTypeParser(oid) : pg.types.getTypeParser(oid, format);
}

export function parseInt8(value: string): number | string {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value;
}

export function parseNumeric(value: string): number | string {
  const digits = value.replace(/^[-+]?0*/, '').replace('.', '').replace(/^0+/, '');
  const n = Number(value);
  return Number.isFinite(n) && digits.replace(/0+$/, '').length <= 15 ? n : value;
}

function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password === '') return url;
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url.replace(/(\/\/[^:/@]*):[^@]*@/, '$1@');
  }
}
