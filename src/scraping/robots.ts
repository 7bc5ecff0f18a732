/**
 * robots.txt per RFC 9309: parsing, group selection and longest-match rules, plus a per-origin cache.
 * Fetching is injected (the HttpClient supplies it) so this module stays free of network code.
 */

export interface RobotsRule {
  allow: boolean;
  /** The path pattern as written, percent-encoding normalised; may contain `*` and a trailing `$`. */
  pattern: string;
  regex: RegExp;
}

export interface RobotsPolicy {
  /** Why this policy applies: parsed from a 2xx, allow-all after 4xx, disallow-all after 5xx/unreachable. */
  reason: 'parsed' | 'allow-all' | 'disallow-all';
  rules: RobotsRule[];
  detail?: string;
}

interface Group {
  agents: string[];
  rules: RobotsRule[];
}

export const ALLOW_ALL: RobotsPolicy = { reason: 'allow-all', rules: [] };

/** Upper-cases percent escapes and percent-encodes raw non-ASCII, so patterns compare with URL paths octet for octet. */
function normalisePercent(value: string): string {
  return value
    .replace(/%[0-9a-f]{2}/gi, (escape) => escape.toUpperCase())
    .replace(/[^\x21-\x7e]/g, (ch) => encodeURIComponent(ch));
}

function toRegex(pattern: string): RegExp {
  const anchored = pattern.endsWith('$');
  const body = anchored ? pattern.slice(0, -1) : pattern;
  const source = body
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}${anchored ? '$' : ''}`);
}

/**
 * Picks the group(s) for `productToken` from a robots.txt body. Groups whose user-agent equals our
 * token (case-insensitive) win and are merged, as RFC 9309 §2.2.1 says; otherwise the `*` groups are
 * merged; otherwise there are no rules. Lines we do not know (Crawl-delay, Sitemap…) are ignored.
 */
export function parseRobots(text: string, productToken: string): RobotsPolicy {
  const token = productToken.toLowerCase();
  const groups: Group[] = [];
  let current: Group | null = null;
  let lastWasAgent = false;
  for (const rawLine of text.split(/\r\n|\r|\n/)) {
    const line = rawLine.replace(/#.*$/, '').trim();
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'user-agent') {
      // Consecutive user-agent lines share one group; a user-agent after rules starts a new one.
      if (!current || !lastWasAgent) {
        current = { agents: [], rules: [] };
        groups.push(current);
      }
      current.agents.push(value.toLowerCase().split('/')[0]!.trim());
      lastWasAgent = true;
    } else if ((key === 'allow' || key === 'disallow') && current) {
      lastWasAgent = false;
      // "Disallow:" with no path means allow everything; it adds no rule.
      if (value === '') continue;
      const pattern = normalisePercent(value);
      current.rules.push({ allow: key === 'allow', pattern, regex: toRegex(pattern) });
    } else {
      lastWasAgent = false;
    }
  }
  const mine = groups.filter((g) => g.agents.includes(token));
  const chosen = mine.length > 0 ? mine : groups.filter((g) => g.agents.includes('*'));
  return { reason: 'parsed', rules: chosen.flatMap((g) => g.rules) };
}

/**
 * Longest matching pattern wins; on a tie Allow wins (RFC 9309 §2.2.2). `/robots.txt` itself is
 * always allowed. `pathAndQuery` is the URL's pathname plus search, already percent-encoded.
 */
export function isAllowedByRobots(policy: RobotsPolicy, pathAndQuery: string): boolean {
  if (pathAndQuery === '/robots.txt') return true;
  if (policy.reason === 'allow-all') return true;
  if (policy.reason === 'disallow-all') return false;
  const target = normalisePercent(pathAndQuery);
  let best: RobotsRule | null = null;
  for (const rule of policy.rules) {
    if (!rule.regex.test(target)) continue;
    const longer = !best || rule.pattern.length > best.pattern.length;
    const tieAllow = best && rule.pattern.length === best.pattern.length && rule.allow && !best.allow;
    if (longer || tieAllow) best = rule;
  }
  return best ? best.allow : true;
}

export interface RobotsCacheOptions {
  /** Loads the policy for an origin (fetch, status mapping); supplied by the HttpClient. */
  load: (origin: string) => Promise<{ policy: RobotsPolicy; ok: boolean }>;
  /** How long a fetched policy is reused. Default 24 h (RFC 9309 asks for no more than 24 h). */
  ttlMs?: number;
  /** How long a failure (5xx, unreachable → disallow all) is reused before asking again. Default 10 min. */
  failureTtlMs?: number;
}

/** Caches one policy per origin; concurrent callers for the same origin share one in-flight load. */
export class RobotsCache {
  private readonly entries = new Map<string, { expires: number; policy: Promise<RobotsPolicy> }>();
  private readonly ttlMs: number;
  private readonly failureTtlMs: number;

  constructor(private readonly options: RobotsCacheOptions) {
    this.ttlMs = options.ttlMs ?? 24 * 60 * 60 * 1000;
    this.failureTtlMs = options.failureTtlMs ?? 10 * 60 * 1000;
  }

  async policyFor(origin: string): Promise<RobotsPolicy> {
    const cached = this.entries.get(origin);
    if (cached && cached.expires > Date.now()) return cached.policy;
    const entry = { expires: Number.POSITIVE_INFINITY, policy: Promise.resolve(ALLOW_ALL) };
    entry.policy = this.options.load(origin).then(
      ({ policy, ok }) => {
        entry.expires = Date.now() + (ok ? this.ttlMs : this.failureTtlMs);
        return policy;
      },
      (error: unknown) => {
        // RFC 9309 §2.3.1.4: an unreachable robots.txt means "assume complete disallow".
        entry.expires = Date.now() + this.failureTtlMs;
        return { reason: 'disallow-all', rules: [], detail: String(error) } satisfies RobotsPolicy;
      },
    );
    this.entries.set(origin, entry);
    return entry.policy;
  }

  async isAllowed(url: URL): Promise<{ allowed: boolean; policy: RobotsPolicy }> {
    const policy = await this.policyFor(url.origin);
    return { allowed: isAllowedByRobots(policy, url.pathname + url.search), policy };
  }
}
