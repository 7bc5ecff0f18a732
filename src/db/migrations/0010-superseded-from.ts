import type { Kysely } from 'kysely';
import { refreshSupersededFrom } from '../../pipeline/in-force-dates.js';

/** document_versions.superseded_from: see src/pipeline/in-force-dates.ts. Filled for what exists. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('document_versions').addColumn('superseded_from', 'text').execute();
  await refreshSupersededFrom(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('document_versions').dropColumn('superseded_from').execute();
}
