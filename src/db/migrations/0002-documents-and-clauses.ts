import type { Kysely } from 'kysely';
import { withIdColumn } from './portable.js';

/**
 * The versioned clause store. A document has versions (one per language × stage/date snapshot); a clause
 * is a provision with an identity that survives renumbering; a clause version is immutable text written
 * only when it changes; version_clauses says which clause versions make up each document version.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('documents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source_id', 'text', (c) => c.notNull().references('sources.id'))
    .addColumn('native_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('jurisdiction', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('withdrawn_at', 'text')
    .addColumn('withdrawn_reason', 'text')
    .addColumn('metadata', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('documents_source_native', ['source_id', 'native_id'])
    .execute();

  await withIdColumn(db, db.schema.createTable('document_versions'))
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id'))
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('source_url', 'text', (c) => c.notNull())
    .addColumn('fetched_at', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('clause_count', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('quarantine_reason', 'text')
    .addColumn('previous_version_id', 'integer', (c) => c.references('document_versions.id'))
    .addColumn('run_id', 'integer', (c) => c.references('runs.id'))
    .addColumn('raw_hash', 'text', (c) => c.references('raw_responses.hash'))
    .addColumn('metadata', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('document_versions_stream')
    .on('document_versions')
    .columns(['document_id', 'language', 'status', 'valid_from'])
    .execute();
  await db.schema.createIndex('document_versions_hash').on('document_versions').columns(['document_id', 'content_hash']).execute();

  await withIdColumn(db, db.schema.createTable('clauses'))
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id'))
    .addColumn('current_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('clauses_document_key').on('clauses').columns(['document_id', 'current_key']).execute();

  await withIdColumn(db, db.schema.createTable('clause_versions'))
    .addColumn('clause_id', 'integer', (c) => c.notNull().references('clauses.id'))
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('number', 'text')
    .addColumn('heading', 'text')
    .addColumn('parent_key', 'text')
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('text_hash', 'text', (c) => c.notNull())
    .addColumn('marks', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('document_version_id', 'integer', (c) => c.notNull().references('document_versions.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('clause_versions_clause').on('clause_versions').columns(['clause_id', 'language']).execute();
  await db.schema.createIndex('clause_versions_text_hash').on('clause_versions').column('text_hash').execute();

  await db.schema
    .createTable('version_clauses')
    .addColumn('document_version_id', 'integer', (c) => c.notNull().references('document_versions.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('clause_id', 'integer', (c) => c.notNull().references('clauses.id'))
    .addColumn('clause_version_id', 'integer', (c) => c.notNull().references('clause_versions.id'))
    .addPrimaryKeyConstraint('version_clauses_pk', ['document_version_id', 'position'])
    .execute();
  await db.schema.createIndex('version_clauses_clause_version').on('version_clauses').column('clause_version_id').execute();
  await db.schema.createIndex('version_clauses_clause').on('version_clauses').column('clause_id').execute();

  await withIdColumn(db, db.schema.createTable('change_events'))
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id'))
    .addColumn('document_version_id', 'integer', (c) => c.references('document_versions.id'))
    .addColumn('previous_version_id', 'integer', (c) => c.references('document_versions.id'))
    .addColumn('clause_id', 'integer', (c) => c.references('clauses.id'))
    .addColumn('language', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('important', 'integer', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('run_id', 'integer', (c) => c.references('runs.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('change_events_created').on('change_events').column('created_at').execute();
  await db.schema.createIndex('change_events_document').on('change_events').columns(['document_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['change_events', 'version_clauses', 'clause_versions', 'clauses', 'document_versions', 'documents']) {
    await db.schema.dropTable(table).execute();
  }
}
