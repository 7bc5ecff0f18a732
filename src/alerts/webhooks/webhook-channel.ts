import type { Kysely } from 'kysely';
import { Agent, buildConnector, request } from 'undici';
import type { Database } from '../../db/schema.js';
import type { Channel, OutgoingDelivery, SendOutcome } from '../channel.js';
import { addressPolicyFromEnv, checkWebhookUrl, guardedLookup, refusedAddressReason, UnsafeWebhookAddressError, type AddressPolicy, type Resolver } from './address-guard.js';
import { webhookPayload } from './payload.js';
import { webhookHeaders } from './sign.js';

export interface WebhookChannelOptions {
  db: Kysely<Database>;
  /** Default from the environment: loopback refused unless `WEBHOOK_ALLOW_LOOPBACK=1` (tests only). */
  policy?: AddressPolicy;
  /** Whole attempt, connect to last body byte. Default 10 000 ms; a slower receiver is retried later. */
  timeoutMs?: number;
  /** Origin for absolute links in payloads. Default PUBLIC_BASE_URL; without it, payloads carry paths only. */
  baseUrl?: string | null;
  /** DNS resolver (tests); default the system's. */
  resolve?: Resolver;
  /** Default `coproduction-tracker-webhooks/1`. */
  userAgent?: string;
}

export interface WebhookChannel extends Channel {
  /** Closes the connection pool. */
  close(): Promise<void>;
}

/** Body bytes of a receiver's answer read (then dropped) so the connection can be reused. */
const RESPONSE_LIMIT = 64 * 1024;

/**
 * Sends a delivery as one signed POST (Standard Webhooks, see sign.ts) to its subscription's endpoint.
 *
 * | receiver answers                         | outcome                                  |
 * |------------------------------------------|------------------------------------------|
 * | 2xx                                      | sent                                     |
 * | 410 Gone                                 | gone (the dispatcher disables endpoint)  |
 * | 408, 429, 5xx (Retry-After honoured)     | temporary                                |
 * | timeout, refused, reset, DNS failure     | temporary                                |
 * | 3xx (redirects are not followed), 4xx    | permanent                                |
 * | URL resolves to a refused address        | permanent (the admin must change it)     |
 * | endpoint disabled or missing             | permanent                                |
 */
export function webhookChannel(options: WebhookChannelOptions): WebhookChannel {
  const policy = options.policy ?? addressPolicyFromEnv();
  const timeoutMs = options.timeoutMs ?? 10_000;
  const baseUrl = options.baseUrl !== undefined ? options.baseUrl : (process.env.PUBLIC_BASE_URL?.replace(/\/+$/, '') ?? null);
  const userAgent = options.userAgent ?? 'coproduction-tracker-webhooks/1';
  const agent = new Agent({ connect: guardedConnector(policy, timeoutMs, options.resolve), headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connections: 4 });

  async function send(delivery: OutgoingDelivery): Promise<SendOutcome> {
    const webhookId = delivery.subscription.webhook_id;
    const endpoint = webhookId === null ? undefined : await options.db.selectFrom('webhook_endpoints').select(['id', 'url', 'secret', 'status', 'disabled_reason']).where('id', '=', webhookId).executeTakeFirst();
    if (!endpoint) return { status: 'permanent', error: `subscription ${delivery.subscription.id} has no webhook endpoint` };
    if (endpoint.status !== 'active') return { status: 'permanent', error: `webhook endpoint ${endpoint.id} is disabled${endpoint.disabled_reason ? `: ${endpoint.disabled_reason}` : ''}` };

    const body = JSON.stringify(webhookPayload(delivery, baseUrl));
    try {
      // Checked again at send time (the URL was checked when saved): the answer may have changed since,
      // and the connector checks the addresses it actually connects to as well.
      const url = await checkWebhookUrl(endpoint.url, policy, options.resolve);
      const response = await request(url, {
        method: 'POST',
        dispatcher: agent,
        headers: {
          'content-type': 'application/json',
          'user-agent': userAgent,
          ...webhookHeaders(endpoint.secret, delivery.messageId, body),
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.body.dump({ limit: RESPONSE_LIMIT }).catch(() => undefined);
      return outcomeOf(response.statusCode, response.headers);
    } catch (error) {
      return outcomeOfError(error);
    }
  }

  return { name: 'webhook', send, close: () => agent.close() };
}

function outcomeOf(status: number, headers: Record<string, string | string[] | undefined>): SendOutcome {
  if (status >= 200 && status < 300) return { status: 'sent' };
  if (status === 410) return { status: 'gone', error: 'the receiver answered 410 Gone' };
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfterMs = retryAfterOf(headers['retry-after']);
    return { status: 'temporary', error: `the receiver answered ${status}`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  if (status >= 300 && status < 400) return { status: 'permanent', error: `the receiver answered ${status} (redirects are not followed: register the final URL)` };
  return { status: 'permanent', error: `the receiver answered ${status}` };
}

function outcomeOfError(error: unknown): SendOutcome {
  const cause = (error as { cause?: unknown })?.cause;
  if (error instanceof UnsafeWebhookAddressError || cause instanceof UnsafeWebhookAddressError) {
    return { status: 'permanent', error: (error instanceof UnsafeWebhookAddressError ? error : (cause as Error)).message };
  }
  const code = String((error as { code?: unknown })?.code ?? (cause as { code?: unknown })?.code ?? '');
  const name = (error as { name?: unknown })?.name;
  const what = name === 'TimeoutError' || name === 'AbortError' || code.includes('TIMEOUT') ? 'timed out' : code || (error instanceof Error ? error.message : String(error));
  // Everything else is the network or the receiver being unwell: try again later.
  return { status: 'temporary', error: `the request failed: ${what}` };
}

/** `Retry-After` as seconds or an HTTP date, in milliseconds from now; undefined when absent or unreadable. */
export function retryAfterOf(value: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === '') return undefined;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * undici's connector with the guarded lookup, and a last look at the peer address once connected:
 * IP-literal hosts skip lookup, and nothing is written to a socket whose peer is refused.
 */
function guardedConnector(policy: AddressPolicy, timeoutMs: number, resolve?: Resolver): buildConnector.connector {
  const base = buildConnector({ lookup: guardedLookup(policy, resolve), timeout: timeoutMs });
  return (connectOptions, callback) => {
    base(connectOptions, (...args) => {
      const [error, socket] = args;
      if (error) return callback(error, null);
      const reason = refusedAddressReason(socket.remoteAddress ?? '', policy);
      if (reason) {
        socket.destroy();
        return callback(new UnsafeWebhookAddressError(`Refused: connected to ${reason}`), null);
      }
      callback(null, socket);
    });
  };
}
