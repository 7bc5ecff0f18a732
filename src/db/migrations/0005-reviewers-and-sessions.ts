import type { Kysely } from 'kysely';
import { withIdColumn } from './portable.js';

/**
 * Reviewer accounts and their sign-in sessions. A session's id is the SHA-256 of the random token in the
 * reviewer's cookie, never the token itself, so a copy of the database gives nobody a live session.
 * Passwords are scrypt hashes with their parameters (see src/web/auth/passwords.ts).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await withIdColumn(db, db.schema.createTable('users'))
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('sessions')
    /** Hex SHA-256 of the cookie's 32-byte token. */
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    /** Absolute end (created_at + 7 days); idle expiry is last_seen_at + 8 hours. */
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
  await db.schema.createIndex('sessions_expires_at').on('sessions').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sessions').execute();
  await db.schema.dropTable('users').execute();
}
