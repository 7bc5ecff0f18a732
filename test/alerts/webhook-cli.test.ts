import { beforeEach, describe, expect, it } from 'vitest';
import { addWebhook } from '../../src/cli/alerts-webhook-command.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { testDatabases, useTestDatabase } from '../support/databases.js';
import { count } from '../web/auth-support.js';
import { importIntroduced } from './webhook-support.js';

describe.each(testDatabases)('alerts add-webhook on %s', (target) => {
  const t = useTestDatabase<Database>(target, { prepare: migrateToLatest });
  beforeEach(async () => {
    await importIntroduced(t.db);
  });

  it('registers an endpoint, prints its secret once, and subscribes it to what --follow names', async () => {
    const lines = await addWebhook(t.db, { url: 'http://127.0.0.1:9/hooks', label: 'Newsroom', follow: 'document=test-docs:anaw/2099/7&types=duty_weakened&types=new_document', frequency: 'daily' }, { allowLoopback: true });
    const endpoint = await t.db.selectFrom('webhook_endpoints').selectAll().executeTakeFirstOrThrow();
    expect(lines).toEqual([
      `webhook endpoint ${endpoint.id} (Newsroom) posts to http://127.0.0.1:9/hooks`,
      `signing secret (shown once; give it to the receiver): ${endpoint.secret}`,
      expect.stringMatching(/^subscription \d+: document Well-being Services \(Wales\) Act 2099, daily, changes: new_document, duty_weakened$/),
    ]);
    const subscription = await t.db.selectFrom('subscriptions').selectAll().executeTakeFirstOrThrow();
    expect(subscription).toMatchObject({ channel: 'webhook', webhook_id: endpoint.id, status: 'active', frequency: 'daily', target_type: 'document' });
    expect(JSON.parse(subscription.event_types)).toEqual(['new_document', 'duty_weakened']);
  });

  it.each([
    [{}, /needs the URL/],
    [{ url: 'http://127.0.0.1:9/hooks' }, /loopback/],
    [{ url: 'http://10.0.0.1/hooks' }, /private/],
    [{ url: 'https://example.org/hooks', frequency: 'hourly' }, /--frequency must be one of/],
    [{ url: 'https://example.org/hooks', follow: 'clause=999999' }, /--follow: there is no clause/],
    [{ url: 'https://example.org/hooks', follow: 'colour=blue' }, /--follow: Say what to follow/],
  ])('refuses %j and writes nothing', async (args, message) => {
    await expect(addWebhook(t.db, args, {})).rejects.toThrow(message);
    expect(await count(t.db, 'webhook_endpoints')).toBe(0);
    expect(await count(t.db, 'subscriptions')).toBe(0);
  });
});
