import type { Kysely } from 'kysely';
import { withIdColumn } from './portable.js';

/**
 * Matcher tags (one row per clause version, replaced when the rules change) and human reviews, which
 * are kept apart so that re-tagging can never erase a reviewer's decision.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('tags')
    .addColumn('clause_version_id', 'integer', (c) => c.primaryKey().references('clause_versions.id'))
    .addColumn('matcher_version', 'text', (c) => c.notNull())
    .addColumn('coproduction', 'integer', (c) => c.notNull())
    .addColumn('ambiguous', 'integer', (c) => c.notNull())
    .addColumn('principles', 'text', (c) => c.notNull())
    .addColumn('strength', 'text', (c) => c.notNull())
    .addColumn('funding', 'integer', (c) => c.notNull())
    .addColumn('funding_tier', 'integer', (c) => c.notNull())
    .addColumn('amounts', 'text', (c) => c.notNull())
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('score', 'real', (c) => c.notNull())
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('tagged_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tags_matcher_version').on('tags').column('matcher_version').execute();
  await db.schema.createIndex('tags_coproduction').on('tags').columns(['coproduction', 'strength']).execute();

  await withIdColumn(db, db.schema.createTable('tag_reviews'))
    .addColumn('clause_version_id', 'integer', (c) => c.notNull().references('clause_versions.id'))
    /** confirm | reject | correct */
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('coproduction', 'integer')
    .addColumn('strength', 'text')
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('reviewer', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tag_reviews_clause_version').on('tag_reviews').columns(['clause_version_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('tag_reviews').execute();
  await db.schema.dropTable('tags').execute();
}
