import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/schema.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createPendingSubscription, deleteSubscription, purgeAbandoned } from '../../src/alerts/email/subscriber-subscriptions.js';
import { testDatabases, useTestDatabase } from '../support/databases.js';
import { addSubscription } from './support/alert-fixtures.js';

const day = 24 * 60 * 60 * 1000;
const start = new Date('2026-11-01T09:00:00Z');

describe.each(testDatabases)('addresses kept no longer than needed, on %s', (target) => {
  const t = useTestDatabase<Database>(target, { prepare: migrateToLatest });
  const emails = async () => (await t.db.selectFrom('subscribers').select('email').orderBy('id').execute()).map((r) => r.email);

  it('drops unconfirmed subscriptions a week after their link expired, and erases addresses with nothing live', async () => {
    const target = { type: 'principle' as const, principle: 'shared_power' };
    await createPendingSubscription(t.db, { email: 'never@example.test', target, eventTypes: ['duty_weakened'], frequency: 'daily', language: 'en' }, 'secret', start);
    const kept = await addSubscription(t.db, { email: 'reader@example.test', target, eventTypes: ['duty_weakened'] });
    const gone = await addSubscription(t.db, { email: 'leaver@example.test', target, eventTypes: ['duty_weakened'] });
    await deleteSubscription(t.db, gone, start);

    // Within the link's life and the week after: the pending address stays; the leaver's is erased at once.
    expect(await purgeAbandoned(t.db, new Date(start.getTime() + 8 * day))).toEqual({ pendingDeleted: 0, addressesErased: 1 });
    expect(await emails()).toEqual(['never@example.test', 'reader@example.test', expect.stringMatching(/^erased-\d+@erased\.invalid$/)]);

    // Past the week: the unconfirmed subscription goes and its address is erased; the live one stays.
    expect(await purgeAbandoned(t.db, new Date(start.getTime() + 10 * day))).toEqual({ pendingDeleted: 1, addressesErased: 1 });
    const after = await emails();
    expect(after.filter((e) => e.endsWith('@example.test'))).toEqual(['reader@example.test']);
    expect(await t.db.selectFrom('subscriptions').select('id').where('status', '=', 'pending').execute()).toEqual([]);
    expect((await t.db.selectFrom('subscriptions').select('status').where('id', '=', kept).executeTakeFirstOrThrow()).status).toBe('active');

    // Idempotent: nothing more to do.
    expect(await purgeAbandoned(t.db, new Date(start.getTime() + 11 * day))).toEqual({ pendingDeleted: 0, addressesErased: 0 });
  });
});
