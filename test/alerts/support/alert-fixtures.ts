import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, SubscriptionsTable } from '../../../src/db/schema.js';
import type { ScrapedDocument } from '../../../src/domain/scraped-document.js';
import type { MatchInput, MatchResult } from '../../../src/matcher/types.js';
import type { Matcher } from '../../../src/pipeline/tag-clauses.js';
import type { AlertEventType } from '../../../src/alerts/channel.js';
import { targetJson, type SubscriptionTarget } from '../../../src/alerts/subscription-targets.js';

/**
 * A matcher with obvious rules, so alert tests pin the pipeline rather than the real matcher's judgement:
 * "co-produc…" is co-production (principle explicit_coproduction), "must" a duty, "may" a power (or a duty,
 * for a "newer" matcher), and
 * "£N million" money attached.
 */
export function tinyMatcher(version = 'alerts-test-1', options: { mayIsDuty?: boolean } = {}): Matcher {
  const matchOne = (input: MatchInput): MatchResult => {
    const coproduction = /co-produc/i.test(input.text);
    const modal = /\bmust\b/.test(input.text) ? 'duty' : /\bmay\b/.test(input.text) ? (options.mayIsDuty ? 'duty' : 'power') : 'none';
    const at = input.text.search(/co-produc/i);
    const evidence = at >= 0 ? [{ start: at, end: at + 10, text: input.text.slice(at, at + 10), rule: 'principle:explicit_coproduction' }] : [];
    const money = /£(\d+) million/.exec(input.text);
    const amounts = money
      ? [{ amount: Number(money[1]) * 1_000_000, currency: 'GBP' as const, period: null, recipient: null, additional: false, span: { start: money.index, end: money.index + money[0].length, text: money[0], rule: 'funding:amount' } }]
      : [];
    return {
      coproduction,
      ambiguous: false,
      principles: coproduction ? [{ id: 'explicit_coproduction', kind: 'core', score: 3, evidence }] : [],
      strength: coproduction ? modal : 'none',
      funding: amounts.length > 0,
      fundingTier: amounts.length > 0 ? 1 : 0,
      amounts,
      evidence,
      score: coproduction ? 3 : 0,
      reasons: [],
      matcherVersion: version,
    };
  };
  return { version, matchDocument: (inputs) => inputs.map(matchOne) };
}

export function actDocument(nativeId: string, clauses: ScrapedDocument['clauses'], version: Partial<ScrapedDocument['version']> = {}, extra: Partial<ScrapedDocument> = {}): ScrapedDocument {
  return {
    source: 'alerts-test',
    nativeId,
    kind: 'act',
    jurisdiction: 'wales',
    title: `Social Services (Wales) Act ${nativeId}`,
    version: { language: 'en', label: 'enacted', validFrom: '2026-01-01', sourceUrl: `https://example.test/${nativeId}`, fetchedAt: '2026-01-02T00:00:00Z', ...version },
    clauses,
    ...extra,
  };
}

export interface NewSubscription {
  email?: string;
  channel?: 'email' | 'webhook';
  webhookId?: number;
  target: SubscriptionTarget;
  eventTypes: AlertEventType[];
  frequency?: SubscriptionsTable['frequency'];
  status?: SubscriptionsTable['status'];
  language?: string;
}

/** Inserts a confirmed subscription (and its subscriber, reused by address); returns the subscription id. */
export async function addSubscription(db: Kysely<Database>, s: NewSubscription, now = '2026-01-01T00:00:00.000Z'): Promise<number> {
  let subscriberId: number | null = null;
  if ((s.channel ?? 'email') === 'email') {
    const email = s.email ?? `reader-${randomBytes(4).toString('hex')}@example.test`;
    const existing = await db.selectFrom('subscribers').select('id').where('email', '=', email).executeTakeFirst();
    subscriberId = existing?.id ?? (await db.insertInto('subscribers').values({ email, created_at: now }).returning('id').executeTakeFirstOrThrow()).id;
  }
  const { id } = await db
    .insertInto('subscriptions')
    .values({
      channel: s.channel ?? 'email',
      subscriber_id: subscriberId,
      webhook_id: s.webhookId ?? null,
      target_type: s.target.type,
      target: targetJson(s.target),
      event_types: JSON.stringify(s.eventTypes),
      frequency: s.frequency ?? 'immediate',
      language: s.language ?? 'en',
      status: s.status ?? 'active',
      suspended_reason: null,
      confirm_token_hash: null,
      confirm_expires_at: null,
      manage_token_hash: randomBytes(32).toString('hex'),
      created_at: now,
      confirmed_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function outboxRows(db: Kysely<Database>) {
  return db.selectFrom('alert_outbox').selectAll().orderBy('subscription_id').orderBy('change_event_id').execute();
}
