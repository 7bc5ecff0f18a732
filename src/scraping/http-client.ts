import { setTimeout as sleep } from 'node:timers/promises';
import { Agent } from 'undici';
import type { Logger } from 'pino';
import { logger as defaultLogger } from '../logger.js';
import { decodeBody } from './charset.js';
import {
  FetchError,
  HttpStatusError,
  RedirectLoopError,
  RetryAfterTooLongError,
  RobotsDisallowedError,
  TooManyRedirectsError,
  isRetryable,
} from './errors.js';
import { HostQueue } from './host-queue.js';
import { exchange, headerValue } from './http-exchange.js';
import type { ExchangeResult } from './http-exchange.js';
import { ALLOW_ALL, RobotsCache, parseRobots } from './robots.js';
import type { RobotsPolicy } from './robots.js';
import type { FetchRequest, FetchResult, Transport } from './transport.js';

export const DEFAULT_USER_AGENT = 'coproduction-tracker/0.1 (+https://github.com/coproduction-tracker; open data research)';

/** One politeness and safety configuration for every live fetch. All fields optional. */
export interface HttpClientOptions {
  /** Sent on every request; its product token (before the `/`) selects our robots.txt group. Default DEFAULT_USER_AGENT. */
  userAgent?: string;
  /** Accept header when the request gives none. Default `application/xml, text/xml;q=0.9, text/html;q=0.8, *\/*;q=0.5`. */
  accept?: string;
  /** Minimum gap between one request to a host finishing and the next starting. Default 1000 ms. */
  perHostDelayMs?: number;
  /** TCP/TLS connect timeout. Default 10 000 ms. */
  connectTimeoutMs?: number;
  /** Time allowed for response headers once connected. Default 30 000 ms. */
  headersTimeoutMs?: number;
  /** Longest silence allowed between body chunks. Default 30 000 ms. */
  bodyIdleTimeoutMs?: number;
  /** Deadline for one whole attempt, headers and body, so a server dripping bytes still ends. Default 120 000 ms. */
  totalTimeoutMs?: number;
  /** Redirect hops followed before TooManyRedirectsError. Default 5. */
  maxRedirects?: number;
  /** Attempts per URL, first try included, for errors whose type is retryable. Default 3. */
  maxAttempts?: number;
  /** Backoff before retry n is about base × 2^(n-1), with jitter between half and all of it. Default 500 ms. */
  backoffBaseMs?: number;
  /** Ceiling on the computed backoff. Default 30 000 ms. */
  maxBackoffMs?: number;
  /** Longest Retry-After we honour; a longer ask fails at once with RetryAfterTooLongError. Default 120 000 ms. */
  maxRetryAfterMs?: number;
  /** Cap on bytes received (compressed), checked against Content-Length and while streaming. Default 50 MB. */
  maxBodyBytes?: number;
  /** Cap on bytes after gzip/deflate/br are undone (gzip bombs). Default 200 MB. */
  maxDecodedBytes?: number;
  /** Obey robots.txt. Default true; only tests should turn it off. */
  obeyRobots?: boolean;
  /** How long a fetched robots.txt is reused. Default 24 h. */
  robotsTtlMs?: number;
  /** How long a robots.txt failure (5xx, unreachable: disallow all) is reused. Default 10 min. */
  robotsFailureTtlMs?: number;
  /** Deadline for fetching robots.txt; a hanging robots.txt counts as unreachable. Default 15 000 ms. */
  robotsTimeoutMs?: number;
  /** Where retries and robots decisions are logged. Default the app logger. */
  log?: Logger;
}

const MAX_ROBOTS_REDIRECTS = 5;
const MAX_ROBOTS_BYTES = 512 * 1024;

/** The live Transport: robots.txt, per-host politeness, timeouts, conditional GET, redirects, retries, caps, charset. */
export class HttpClient implements Transport {
  private readonly options: Required<Omit<HttpClientOptions, 'log'>>;
  private readonly log: Logger;
  private readonly agent: Agent;
  private readonly queue: HostQueue;
  private readonly robots: RobotsCache;
  private readonly productToken: string;

  constructor(options: HttpClientOptions = {}) {
    this.options = {
      userAgent: DEFAULT_USER_AGENT,
      accept: 'application/xml, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5',
      perHostDelayMs: 1000,
      connectTimeoutMs: 10_000,
      headersTimeoutMs: 30_000,
      bodyIdleTimeoutMs: 30_000,
      totalTimeoutMs: 120_000,
      maxRedirects: 5,
      maxAttempts: 3,
      backoffBaseMs: 500,
      maxBackoffMs: 30_000,
      maxRetryAfterMs: 120_000,
      maxBodyBytes: 50 * 1024 * 1024,
      maxDecodedBytes: 200 * 1024 * 1024,
      obeyRobots: true,
      robotsTtlMs: 24 * 60 * 60 * 1000,
      robotsFailureTtlMs: 10 * 60 * 1000,
      robotsTimeoutMs: 15_000,
      ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
    };
    this.log = options.log ?? defaultLogger;
    this.productToken = this.options.userAgent.split(/[/\s]/)[0]!;
    this.agent = new Agent({
      // One connection per origin: with the per-host queue this is one request at a time over one socket.
      connections: 1,
      connect: { timeout: this.options.connectTimeoutMs },
      headersTimeout: this.options.headersTimeoutMs,
      bodyTimeout: this.options.bodyIdleTimeoutMs,
    });
    this.queue = new HostQueue(this.options.perHostDelayMs);
    this.robots = new RobotsCache({
      load: (origin) => this.loadRobots(origin),
      ttlMs: this.options.robotsTtlMs,
      failureTtlMs: this.options.robotsFailureTtlMs,
    });
  }

  async fetch(request: FetchRequest): Promise<FetchResult> {
    let url = parseHttpUrl(request.url, request.url);
    const seen = new Set([url]);
    for (let hops = 0; ; hops++) {
      const result = await this.fetchWithRetries(url, request);
      if (result.kind === 'redirect') {
        const next = parseHttpUrl(result.location, url);
        if (seen.has(next)) throw new RedirectLoopError(`redirect loop: ${[...seen, next].join(' → ')}`, { url: request.url });
        if (hops + 1 > this.options.maxRedirects) {
          throw new TooManyRedirectsError(`more than ${this.options.maxRedirects} redirects from ${request.url}`, { url: request.url });
        }
        seen.add(next);
        url = next;
        continue;
      }
      const fetchedAt = new Date();
      if (result.kind === 'not-modified') return { status: 'not-modified', requestedUrl: request.url, url, fetchedAt };
      const contentType = headerValue(result.headers, 'content-type') ?? 'application/octet-stream';
      const decoded = decodeBody(result.body, contentType);
      return {
        status: 'ok',
        requestedUrl: request.url,
        url,
        httpStatus: result.status,
        contentType,
        charset: decoded.charset,
        charsetSource: decoded.source,
        body: result.body,
        text: decoded.text,
        etag: headerValue(result.headers, 'etag'),
        lastModified: headerValue(result.headers, 'last-modified'),
        fetchedAt,
      };
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  /** One hop: robots check, then the exchange under the host's politeness slot, retried by error type. */
  private async fetchWithRetries(url: string, request: FetchRequest): Promise<ExchangeResult> {
    const headers: Record<string, string> = {
      'user-agent': this.options.userAgent,
      accept: request.accept ?? this.options.accept,
      'accept-encoding': 'gzip, deflate, br',
    };
    if (request.etag) headers['if-none-match'] = request.etag;
    if (request.lastModified) headers['if-modified-since'] = request.lastModified;
    const host = new URL(url).host;
    for (let attempt = 1; ; attempt++) {
      await this.checkRobots(url);
      try {
        return await this.queue.run(host, () => exchange(url, this.exchangeOptions(headers)));
      } catch (error) {
        const retryAfterMs = error instanceof HttpStatusError ? error.retryAfterMs : null;
        if (error instanceof HttpStatusError && error.retryable && retryAfterMs !== null && retryAfterMs > this.options.maxRetryAfterMs) {
          throw new RetryAfterTooLongError(error.status, url, retryAfterMs, this.options.maxRetryAfterMs);
        }
        if (!isRetryable(error) || attempt >= this.options.maxAttempts) throw error;
        const waitMs = retryAfterMs ?? this.backoffMs(attempt);
        this.log.warn({ url, attempt, waitMs, err: error }, 'fetch failed; retrying');
        await sleep(waitMs);
      }
    }
  }

  private backoffMs(attempt: number): number {
    const ceiling = Math.min(this.options.maxBackoffMs, this.options.backoffBaseMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }

  private exchangeOptions(headers: Record<string, string>, totalTimeoutMs = this.options.totalTimeoutMs) {
    return {
      dispatcher: this.agent,
      headers,
      totalTimeoutMs,
      maxBodyBytes: this.options.maxBodyBytes,
      maxDecodedBytes: this.options.maxDecodedBytes,
    };
  }

  private async checkRobots(url: string): Promise<void> {
    if (!this.options.obeyRobots) return;
    const { allowed, policy } = await this.robots.isAllowed(new URL(url));
    if (!allowed) {
      const why = policy.reason === 'disallow-all' ? `robots.txt unavailable (${policy.detail ?? 'error'})` : 'robots.txt disallows it';
      throw new RobotsDisallowedError(`not fetching ${url}: ${why}`, { url });
    }
  }

  /**
   * RFC 9309 §2.3.1: 2xx → parse; 4xx (but 429) → no rules; 5xx, 429, network error or timeout → disallow all.
   * A robots.txt over 512 KiB counts as unavailable (the RFC asks parsers to read at least 500 KiB).
   * Redirects are followed up to five hops; more counts as unavailable (4xx), as the RFC permits.
   */
  private async loadRobots(origin: string): Promise<{ policy: RobotsPolicy; ok: boolean }> {
    const headers = { 'user-agent': this.options.userAgent, accept: 'text/plain, */*;q=0.5', 'accept-encoding': 'gzip, deflate, br' };
    let url = `${origin}/robots.txt`;
    try {
      for (let hops = 0; hops <= MAX_ROBOTS_REDIRECTS; hops++) {
        const options = { ...this.exchangeOptions(headers, this.options.robotsTimeoutMs), maxBodyBytes: MAX_ROBOTS_BYTES };
        const result = await this.queue.run(new URL(url).host, () => exchange(url, options));
        if (result.kind === 'redirect') {
          url = parseHttpUrl(result.location, url);
          continue;
        }
        if (result.kind === 'not-modified') return { policy: ALLOW_ALL, ok: true };
        const text = decodeBody(result.body, headerValue(result.headers, 'content-type')).text;
        return { policy: parseRobots(text, this.productToken), ok: true };
      }
      return { policy: { ...ALLOW_ALL, detail: 'too many redirects' }, ok: true };
    } catch (error) {
      // 429 is a 4xx, but it means "you are too fast", not "there is no file": treat it like a 5xx.
      if (error instanceof HttpStatusError && error.status >= 400 && error.status < 500 && error.status !== 429) {
        return { policy: { ...ALLOW_ALL, detail: `HTTP ${error.status}` }, ok: true };
      }
      this.log.warn({ url, err: error }, 'robots.txt unavailable; treating the site as disallowed');
      const detail = error instanceof HttpStatusError ? `HTTP ${error.status}` : error instanceof Error ? error.message : String(error);
      return { policy: { reason: 'disallow-all', rules: [], detail }, ok: false };
    }
  }
}

/** Resolves `location` against `base`, drops the fragment, and refuses anything but http(s). */
function parseHttpUrl(location: string, base: string): string {
  let url: URL;
  try {
    url = new URL(location, base);
  } catch (error) {
    throw new FetchError(`invalid URL ${JSON.stringify(location)}`, { url: base, cause: error });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FetchError(`not an http(s) URL: ${url.href}`, { url: base });
  url.hash = '';
  return url.href;
}
