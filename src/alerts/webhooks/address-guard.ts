import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Webhook URLs are typed in by an admin but fetched by the server, so they must never reach the server's
 * own network (SSRF): only plain global unicast addresses are allowed. ipaddr.js names every special
 * range; anything it does not call `unicast` is refused — loopback, RFC 1918 private, link-local, unique
 * local (fc00::/7), CGNAT (100.64/10), multicast, unspecified, broadcast, reserved and documentation
 * ranges, and every IPv6 form that embeds an IPv4 address (::ffff:0:0/96 mapped, 64:ff9b::/96 NAT64,
 * 6to4, Teredo), because the embedded address could be any of the above.
 *
 * The check runs when a URL is saved and again when a message is sent, and the connection itself goes
 * through {@link guardedLookup} (undici `connect.lookup`): the addresses that were checked are the ones
 * connected to, so a DNS answer that changes between check and connect (rebinding) cannot slip through.
 */
export interface AddressPolicy {
  /**
   * UNSAFE outside tests: also allow loopback (127.0.0.0/8, ::1) so a test receiver on 127.0.0.1 works.
   * Private and link-local ranges stay refused. Default false; `WEBHOOK_ALLOW_LOOPBACK=1` sets it.
   */
  allowLoopback?: boolean;
}

/** A URL or address that must not be fetched; never retried (the admin has to change the URL). */
export class UnsafeWebhookAddressError extends Error {
  override readonly name = 'UnsafeWebhookAddressError';
  readonly code = 'EUNSAFEADDRESS';
}

/** `WEBHOOK_ALLOW_LOOPBACK=1` turns on the (unsafe, test-only) loopback exception. */
export function addressPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): AddressPolicy {
  return { allowLoopback: env.WEBHOOK_ALLOW_LOOPBACK === '1' };
}

/** Why an address is refused, or null when it may be connected to. */
export function refusedAddressReason(address: string, policy: AddressPolicy = {}): string | null {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!ipaddr.isValid(bare)) return `${address} is not an IP address`;
  const parsed = ipaddr.parse(bare);
  const range = parsed.range();
  if (range === 'unicast') return null;
  if (range === 'loopback' && policy.allowLoopback) return null;
  const name = rangeName(range);
  return `${bare} is ${/^[aeiouI]/.test(name) ? 'an' : 'a'} ${name} address`;
}

const rangeNames: Record<string, string> = {
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local',
  loopback: 'loopback',
  carrierGradeNat: 'carrier-grade NAT (shared)',
  private: 'private',
  uniqueLocal: 'unique-local (private)',
  ipv4Mapped: 'IPv4-mapped',
  rfc6145: 'IPv4-translated',
  rfc6052: 'NAT64 (embedded IPv4)',
  '6to4': '6to4 (embedded IPv4)',
  teredo: 'Teredo (embedded IPv4)',
};
const rangeName = (range: string) => rangeNames[range] ?? `reserved (${range})`;

/**
 * Parses and checks the form of a webhook URL (no DNS): http or https, a host, no user name or password
 * (they would be shown on the admin page and in logs). Throws UnsafeWebhookAddressError.
 */
export function parseWebhookUrl(text: string, policy: AddressPolicy = {}): URL {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new UnsafeWebhookAddressError('The webhook address is not a valid URL (it should look like https://example.org/hooks/tracker).');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UnsafeWebhookAddressError(`Webhook URLs must use https or http, not ${url.protocol.replace(/:$/, '')}.`);
  if (url.username || url.password) throw new UnsafeWebhookAddressError('Webhook URLs must not contain a user name or password; authenticate with the signing secret instead.');
  if (url.hash) url.hash = '';
  const host = hostOf(url);
  if (host === '') throw new UnsafeWebhookAddressError('The webhook URL has no host.');
  if (isIP(host)) {
    const reason = refusedAddressReason(host, policy);
    if (reason) throw new UnsafeWebhookAddressError(`Refused: ${reason}; webhooks may only go to public internet addresses.`);
  }
  return url;
}

/** The URL's host without IPv6 brackets (the WHATWG parser already turned 0x7f.1 and the like into dotted quads). */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;

const systemResolver: Resolver = (host) => dnsLookup(host, { all: true, verbatim: true });

/**
 * Resolves every address of a host and refuses the whole host if any of them is refused (a name that
 * answers with one public and one private address must not be usable to reach the private one).
 * DNS failures are thrown as they come (ENOTFOUND, EAI_AGAIN: a sender treats them as temporary).
 */
export async function resolveAllowed(host: string, policy: AddressPolicy = {}, resolve: Resolver = systemResolver): Promise<{ address: string; family: number }[]> {
  if (isIP(host)) {
    const reason = refusedAddressReason(host, policy);
    if (reason) throw new UnsafeWebhookAddressError(`Refused: ${reason}; webhooks may only go to public internet addresses.`);
    return [{ address: host, family: isIP(host) }];
  }
  const addresses = await resolve(host);
  if (addresses.length === 0) throw Object.assign(new Error(`${host} has no addresses`), { code: 'ENOTFOUND' });
  for (const { address } of addresses) {
    const reason = refusedAddressReason(address, policy);
    if (reason) throw new UnsafeWebhookAddressError(`Refused: ${host} resolves to ${reason}; webhooks may only go to public internet addresses.`);
  }
  return addresses;
}

/** Form and DNS check together: what the admin page runs before saving, and the sender before sending. */
export async function checkWebhookUrl(text: string, policy: AddressPolicy = {}, resolve?: Resolver): Promise<URL> {
  const url = parseWebhookUrl(text, policy);
  await resolveAllowed(hostOf(url), policy, resolve);
  return url;
}

/**
 * A `net`/`tls` lookup function that resolves with the same check, for undici's `connect.lookup`, so the
 * socket connects only to addresses that passed. Node calls it with `all: true` when it races families
 * (autoSelectFamily) and expects an array then; a single address otherwise.
 */
export function guardedLookup(policy: AddressPolicy = {}, resolve?: Resolver): LookupFunction {
  return (hostname, options, callback) => {
    resolveAllowed(hostname, policy, resolve).then(
      (addresses) => {
        const family = typeof options.family === 'number' ? options.family : 0;
        const wanted = family === 4 || family === 6 ? addresses.filter((a) => a.family === family) : addresses;
        if (wanted.length === 0) {
          callback(Object.assign(new Error(`${hostname} has no IPv${family} address`), { code: 'ENOTFOUND' }), '', 0);
          return;
        }
        if (options.all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, wanted);
        else callback(null, wanted[0]!.address, wanted[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}
