import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * A lease row per job name, so that several processes sharing one database (instances behind a load
 * balancer on PostgreSQL, or `npm start` beside a manual `npm run scrape` on SQLite) never scrape the same
 * source at once. Taking it is one atomic upsert that only overwrites an expired lease or our own, so
 * two processes racing for it cannot both win on either database.
 */
export async function acquireLease(db: Kysely<Database>, name: string, holder: string, ttlMs: number, now = new Date()): Promise<boolean> {
  const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
  await db
    .insertInto('leases')
    .values({ name, holder, expires_at: expiresAt })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({ holder, expires_at: expiresAt })
        .where((eb) => eb.or([eb('leases.expires_at', '<', now.toISOString()), eb('leases.holder', '=', holder)])),
    )
    .execute();
  const row = await db.selectFrom('leases').select(['holder', 'expires_at']).where('name', '=', name).executeTakeFirst();
  return row?.holder === holder && row.expires_at === expiresAt;
}

/** Extends a lease we hold; false if it was lost (expired and taken by another process). */
export async function renewLease(db: Kysely<Database>, name: string, holder: string, ttlMs: number, now = new Date()): Promise<boolean> {
  const result = await db
    .updateTable('leases')
    .set({ expires_at: new Date(now.getTime() + ttlMs).toISOString() })
    .where('name', '=', name)
    .where('holder', '=', holder)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function releaseLease(db: Kysely<Database>, name: string, holder: string): Promise<void> {
  await db.deleteFrom('leases').where('name', '=', name).where('holder', '=', holder).execute();
}

/**
 * Runs `task` only if the lease can be taken, renewing it every third of its lifetime while the task
 * runs, and releasing it after. Returns `{ ran: false }` when another holder has it.
 */
export async function withLease<T>(
  db: Kysely<Database>,
  name: string,
  holder: string,
  ttlMs: number,
  task: () => Promise<T>,
): Promise<{ ran: true; result: T } | { ran: false }> {
  if (!(await acquireLease(db, name, holder, ttlMs))) return { ran: false };
  const heartbeat = setInterval(() => void renewLease(db, name, holder, ttlMs).catch(() => undefined), Math.max(1000, ttlMs / 3));
  try {
    return { ran: true, result: await task() };
  } finally {
    clearInterval(heartbeat);
    await releaseLease(db, name, holder);
  }
}
