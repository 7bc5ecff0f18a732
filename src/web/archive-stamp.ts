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

export interface StampedCacheOptions<A> {
  /** What the cached value depends on, read cheaply each time; default `archiveStamp`. */
  stamp?: (db: Kysely<Database>, arg: A) => Promise<string>;
  /** Entries expire after this long too, for what no stamp sees (a re-tag moving only evidence offsets). */
  ttlMs?: number;
  /** At most this many entries per database, least recently used dropped first. */
  limit?: number;
}

/**
 * Memoises a computation per database and argument (its string form is the key) while its stamp is
 * unchanged, for at most `ttlMs`. A failed computation is not remembered.
 */
export function stampedCache<T, A = string>(
  compute: (db: Kysely<Database>, arg: A) => Promise<T>,
  options: StampedCacheOptions<A> = {},
): (db: Kysely<Database>, arg: A) => Promise<T> {
  const { stamp = (db: Kysely<Database>) => archiveStamp(db), ttlMs = 60_000, limit = 200 } = options;
  const entries = new WeakMap<Kysely<Database>, Map<string, { stamp: string; at: number; value: Promise<T> }>>();
  return async (db, arg) => {
    const current = await stamp(db, arg);
    let cache = entries.get(db);
    if (!cache) entries.set(db, (cache = new Map()));
    const key = typeof arg === 'string' ? arg : JSON.stringify(arg);
    const hit = cache.get(key);
    if (hit && hit.stamp === current && Date.now() - hit.at < ttlMs) {
      cache.delete(key);
      cache.set(key, hit);
      return hit.value;
    }
    const value = compute(db, arg);
    cache.set(key, { stamp: current, at: Date.now(), value });
    if (cache.size > limit) cache.delete(cache.keys().next().value as string);
    value.catch(() => cache.delete(key));
    return value;
  };
}
