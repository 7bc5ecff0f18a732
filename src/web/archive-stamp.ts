import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * One cheap query (index look-ups) whose answer changes whenever anything a summary page shows can
 * change: a new document version, a withdrawal (documents.updated_at), a review, or a change event
 * (imports and re-tags that change a reading write one).
 */
export async function archiveStamp(db: Kysely<Database>): Promise<string> {
  const row = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('document_versions').select((e) => e.fn.max('id').as('v')).as('v'),
      eb.selectFrom('documents').select((e) => e.fn.max('updated_at').as('d')).as('d'),
      eb.selectFrom('tag_reviews').select((e) => e.fn.max('id').as('r')).as('r'),
      eb.selectFrom('change_events').select((e) => e.fn.max('id').as('e')).as('e'),
    ])
    .executeTakeFirst();
  return JSON.stringify(row ?? null);
}

/**
 * Memoises a whole-archive computation per database while the archive stamp is unchanged (and for at
 * most `ttlMs`, for what no stamp sees: a re-tag that moves only evidence offsets).
 */
export function stampedCache<T>(compute: (db: Kysely<Database>) => Promise<T>, ttlMs = 60_000): (db: Kysely<Database>, key?: string) => Promise<T> {
  const entries = new WeakMap<Kysely<Database>, Map<string, { stamp: string; at: number; value: Promise<T> }>>();
  return async (db, key = '') => {
    const stamp = await archiveStamp(db);
    let cache = entries.get(db);
    if (!cache) entries.set(db, (cache = new Map()));
    const hit = cache.get(key);
    if (hit && hit.stamp === stamp && Date.now() - hit.at < ttlMs) return hit.value;
    const value = compute(db);
    cache.set(key, { stamp, at: Date.now(), value });
    // A failed computation is not remembered.
    value.catch(() => cache.delete(key));
    return value;
  };
}
