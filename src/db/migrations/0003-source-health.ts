import type { Kysely } from 'kysely';
import { withIdColumn } from './portable.js';

/** Data-quality problems found in what a run parsed: the source-health page lists the latest run's. */
export async function up(db: Kysely<any>): Promise<void> {
  await withIdColumn(db, db.schema.createTable('data_quality_problems'))
    .addColumn('run_id', 'integer', (c) => c.notNull().references('runs.id'))
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('document_id', 'text')
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('data_quality_problems_run').on('data_quality_problems').columns(['run_id']).execute();
  await db.schema.alterTable('runs').addColumn('data_quality_problems', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('runs').dropColumn('data_quality_problems').execute();
  await db.schema.dropTable('data_quality_problems').execute();
}
