import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * The only way a document leaves the tracker's "in force" set. Scrapes never do this on their own:
 * a page that stops listing a document is far more often a site change than a repeal.
 */
export async function withdrawDocument(db: Kysely<Database>, documentId: string, reason: string, now = new Date()): Promise<void> {
  if (!reason.trim()) throw new Error('a withdrawal needs a reason (it is shown on the document page)');
  await db.transaction().execute(async (trx) => {
    const doc = await trx.selectFrom('documents').select(['id', 'status']).where('id', '=', documentId).executeTakeFirst();
    if (!doc) throw new Error(`no document ${documentId}`);
    if (doc.status === 'withdrawn') throw new Error(`document ${documentId} is already withdrawn`);
    const at = now.toISOString();
    await trx.updateTable('documents').set({ status: 'withdrawn', withdrawn_at: at, withdrawn_reason: reason, updated_at: at }).where('id', '=', documentId).execute();
    await trx
      .insertInto('change_events')
      .values({
        document_id: documentId,
        document_version_id: null,
        previous_version_id: null,
        clause_id: null,
        language: null,
        kind: 'withdrawn',
        important: 1,
        detail: JSON.stringify({ reason }),
        run_id: null,
        created_at: at,
      })
      .execute();
  });
}
