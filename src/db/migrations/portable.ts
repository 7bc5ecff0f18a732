import { PostgresAdapter, type CreateTableBuilder, type Kysely } from 'kysely';

/**
 * Migrations must run unchanged on SQLite and PostgreSQL. The only column the two spell differently is
 * the auto-incrementing key, so that one choice lives here. Everything else sticks to portable types:
 * text (timestamps as ISO-8601 UTC strings, dates as YYYY-MM-DD, JSON as text) and integer (booleans 0/1).
 */
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

export function withIdColumn<T extends string>(db: Kysely<any>, table: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'id'> {
  return isPostgres(db)
    ? table.addColumn('id', 'serial', (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}
