import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import { openServices } from '../services.js';
import { addressPolicyFromEnv, UnsafeWebhookAddressError, type AddressPolicy } from '../alerts/webhooks/address-guard.js';
import { createWebhookEndpoint, createWebhookSubscription } from '../alerts/webhooks/webhook-endpoints.js';
import { queryParams, readTargetQuery } from '../web/alert-target-query.js';
import { feedSubject } from '../web/alert-feed.js';

export interface AddWebhookArgs {
  url?: string;
  label?: string;
  /** Target parameters as on /alerts/feed.atom, e.g. `principle=shared_power&jurisdiction=wales&types=duty_weakened`. */
  follow?: string;
  /** immediate (default) | daily | weekly */
  frequency?: string;
}

export class AddWebhookProblem extends Error {}

const frequencies = ['immediate', 'daily', 'weekly'] as const;

/**
 * Registers an endpoint (URL checked as on /admin/webhooks) and, with `follow`, one active subscription
 * for it. Everything is checked before anything is written. Returns the lines to print, the secret
 * among them (shown this once).
 */
export async function addWebhook(db: Kysely<Database>, args: AddWebhookArgs, policy: AddressPolicy = addressPolicyFromEnv()): Promise<string[]> {
  if (!args.url) throw new AddWebhookProblem('alerts add-webhook needs the URL to post to, e.g. alerts add-webhook https://example.org/hooks --label Newsroom');
  const frequency = args.frequency ?? 'immediate';
  if (!(frequencies as readonly string[]).includes(frequency)) throw new AddWebhookProblem(`--frequency must be one of ${frequencies.join(', ')}`);
  let follow = null;
  if (args.follow !== undefined) {
    const read = readTargetQuery(queryParams(args.follow));
    if (!read.ok) throw new AddWebhookProblem(`--follow: ${read.message}`);
    const subject = await feedSubject(db, read.value.target);
    if (subject === null) throw new AddWebhookProblem(`--follow: there is no ${read.value.target.type} with this id`);
    follow = { ...read.value, subject };
  }
  let endpoint;
  try {
    endpoint = await createWebhookEndpoint(db, { url: args.url, label: args.label ?? '' }, policy);
  } catch (error) {
    if (error instanceof UnsafeWebhookAddressError) throw new AddWebhookProblem(error.message);
    const code = (error as { code?: unknown })?.code;
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') throw new AddWebhookProblem(`the host of ${args.url} could not be found (${String(code)})`);
    throw error;
  }
  const lines = [`webhook endpoint ${endpoint.id} (${endpoint.label}) posts to ${endpoint.url}`, `signing secret (shown once; give it to the receiver): ${endpoint.secret}`];
  if (follow) {
    const { type: targetType, ...target } = follow.target;
    const subscription = await createWebhookSubscription(db, { webhookId: endpoint.id, targetType, target, eventTypes: follow.eventTypes, frequency: frequency as (typeof frequencies)[number] });
    lines.push(`subscription ${subscription.id}: ${follow.target.type} ${follow.subject}, ${frequency}, changes: ${follow.eventTypes.join(', ')}`);
  } else {
    lines.push('it follows nothing yet: add subscriptions at /admin/webhooks, or run this again with --follow');
  }
  return lines;
}

/** `alerts add-webhook <url> [--label TEXT] [--follow QUERY] [--frequency immediate|daily|weekly]`. */
export async function addWebhookCommand(config: Config, args: AddWebhookArgs): Promise<number> {
  const services = await openServices(config);
  try {
    for (const line of await addWebhook(services.db, args)) console.log(line);
    return 0;
  } catch (error) {
    if (error instanceof AddWebhookProblem) {
      console.error(`alerts add-webhook: ${error.message}`);
      return 2;
    }
    throw error;
  } finally {
    await services.close();
  }
}
