import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BodyTooLargeError,
  HttpStatusError,
  NetworkError,
  RedirectLoopError,
  RetryAfterTooLongError,
  RobotsDisallowedError,
  TimeoutError,
  TooManyRedirectsError,
  TruncatedBodyError,
} from '../../src/scraping/errors.js';
import { DEFAULT_USER_AGENT, HttpClient } from '../../src/scraping/http-client.js';
import type { HttpClientOptions } from '../../src/scraping/http-client.js';
import type { FetchedResponse, FetchResult } from '../../src/scraping/transport.js';
import { startFixtureServer } from '../support/fixture-server.js';
import type { FixtureServer } from '../support/fixture-server.js';

/** Timers may fire a hair early against Date.now(); lower bounds allow this much. */
const SLACK_MS = 25;
const SAMPLE = 'Café – “quoted” £5';

/** Fast settings: no politeness delay, tiny backoff, short timeouts. */
const FAST: HttpClientOptions = {
  perHostDelayMs: 0,
  backoffBaseMs: 10,
  headersTimeoutMs: 400,
  totalTimeoutMs: 1500,
  robotsTimeoutMs: 400,
};

const clients: HttpClient[] = [];
function client(options: HttpClientOptions = {}): HttpClient {
  const c = new HttpClient({ ...FAST, ...options });
  clients.push(c);
  return c;
}
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

function ok(result: FetchResult): FetchedResponse {
  expect(result.status).toBe('ok');
  return result as FetchedResponse;
}

describe('HttpClient against the fault routes', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer({ bombBytes: 4 * 1024 * 1024 });
  });
  afterAll(async () => server.close());

  it('fetches, sends our User-Agent and Accept-Encoding, and reads robots.txt once per origin', async () => {
    const http = client();
    const robotsBefore = server.requestsTo('/robots.txt').length;
    const first = ok(await http.fetch({ url: server.url('/status/200?ua=1') }));
    ok(await http.fetch({ url: server.url('/status/200?ua=2') }));
    expect(first).toMatchObject({ httpStatus: 200, text: 'status 200', charset: 'utf-8', charsetSource: 'header' });
    const [request] = server.requestsTo('/status/200?ua=1');
    expect(request?.headers['user-agent']).toBe(DEFAULT_USER_AGENT);
    expect(request?.headers['accept-encoding']).toBe('gzip, deflate, br');
    expect(server.requestsTo('/robots.txt').length - robotsBefore).toBe(1);
  });

  it('does not retry a 404', async () => {
    await expect(client().fetch({ url: server.url('/status/404?once') })).rejects.toMatchObject({ name: 'HttpStatusError', status: 404 });
    expect(server.requestsTo('/status/404?once')).toHaveLength(1);
  });

  it('retries a 500 up to maxAttempts, then throws HttpStatusError', async () => {
    const error = await client().fetch({ url: server.url('/status/500?thrice') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpStatusError);
    expect(server.requestsTo('/status/500?thrice')).toHaveLength(3);
  });

  it('recovers from a flaky server within the attempts', async () => {
    const response = ok(await client().fetch({ url: server.url('/flaky/2?a') }));
    expect(response.text).toBe('ok after 2 failures');
    expect(server.requestsTo('/flaky/2?a')).toHaveLength(3);
  });

  it('gives up on a server still failing after maxAttempts', async () => {
    await expect(client({ maxAttempts: 2 }).fetch({ url: server.url('/flaky/5?b') })).rejects.toBeInstanceOf(HttpStatusError);
    expect(server.requestsTo('/flaky/5?b')).toHaveLength(2);
  });

  it('honours Retry-After in seconds', async () => {
    const response = ok(await client().fetch({ url: server.url('/retry-after/seconds/1') }));
    expect(response.text).toBe('ok after retry-after');
    const [first, second] = server.requestsTo('/retry-after/seconds/1');
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1000 - SLACK_MS);
  });

  it('honours Retry-After as an HTTP-date', async () => {
    ok(await client().fetch({ url: server.url('/retry-after/date') }));
    const [first, second] = server.requestsTo('/retry-after/date');
    const retryAt = Math.ceil((first!.at + 1000) / 1000) * 1000;
    expect(second!.at).toBeGreaterThanOrEqual(retryAt - SLACK_MS);
  });

  it('fails at once when Retry-After exceeds the cap', async () => {
    const error = await client({ maxRetryAfterMs: 5000 }).fetch({ url: server.url('/retry-after/too-long') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryAfterTooLongError);
    expect((error as Error).message).toMatch(/retry after 3600 s, longer than our cap of 5 s/);
    expect((error as RetryAfterTooLongError).retryable).toBe(false);
    expect(server.requestsTo('/retry-after/too-long')).toHaveLength(1);
  });

  it('times out a server that never answers, and retries the timeout', async () => {
    await expect(client({ maxAttempts: 2, headersTimeoutMs: 200 }).fetch({ url: server.url('/hang?x') })).rejects.toBeInstanceOf(TimeoutError);
    expect(server.requestsTo('/hang?x')).toHaveLength(2);
  });

  it('ends a slow drip at the total deadline', async () => {
    const error = await client({ maxAttempts: 1, totalTimeoutMs: 600 }).fetch({ url: server.url('/drip?ms=20') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toMatch(/no complete response within 600 ms/);
  });

  it.each([
    ['/truncated', TruncatedBodyError],
    ['/broken-chunked', TruncatedBodyError],
    ['/reset', NetworkError],
  ])('%s never yields a short body', async (path, errorClass) => {
    await expect(client().fetch({ url: server.url(path) })).rejects.toBeInstanceOf(errorClass);
    expect(server.requestsTo(path)).toHaveLength(3);
  });

  it('follows redirects, resolving a relative Location', async () => {
    expect(ok(await client().fetch({ url: server.url('/redirect/chain/5') })).url).toBe(server.url('/redirect/chain/0'));
    const relative = ok(await client().fetch({ url: server.url('/redirect/relative') }));
    expect(relative).toMatchObject({ url: server.url('/status/200'), requestedUrl: server.url('/redirect/relative') });
  });

  it('stops after maxRedirects and on loops', async () => {
    await expect(client().fetch({ url: server.url('/redirect/chain/6') })).rejects.toBeInstanceOf(TooManyRedirectsError);
    expect(server.requestsTo('/redirect/chain/0')).toHaveLength(1); // only from the successful chain above
    await expect(client().fetch({ url: server.url('/redirect/loop') })).rejects.toBeInstanceOf(RedirectLoopError);
  });

  it('aborts a gzip bomb on the decoded-size cap, without retrying', async () => {
    const error = await client({ maxDecodedBytes: 1024 * 1024 }).fetch({ url: server.url('/gzip-bomb') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BodyTooLargeError);
    expect((error as Error).message).toMatch(/decoded body exceeds 1048576 bytes/);
    expect(server.requestsTo('/gzip-bomb')).toHaveLength(1);
  });

  it('rejects bodies over the size cap, by Content-Length and while streaming', async () => {
    server.setRoute('/big', { body: 'x'.repeat(2000) });
    await expect(client({ maxBodyBytes: 1000 }).fetch({ url: server.url('/big') })).rejects.toThrow(/Content-Length 2000 exceeds 1000/);
    await expect(client({ maxBodyBytes: 10 }).fetch({ url: server.url('/drip?ms=5') })).rejects.toThrow(/body exceeds 10 bytes/);
  });

  it.each(['/gzip', '/deflate', '/br'])('undoes Content-Encoding for %s', async (path) => {
    const response = ok(await client().fetch({ url: server.url(path) }));
    expect(response.text).toBe('compressed hello '.repeat(100));
  });

  it.each([
    ['latin1-no-header', 'windows-1252', 'default'],
    ['header-lies', 'windows-1252', 'meta'],
    ['header-lies-no-meta', 'windows-1252', 'sniffed-header-wrong'],
    ['utf16-bom', 'utf-16le', 'bom'],
    ['meta', 'windows-1252', 'meta'],
    ['xml-declaration', 'windows-1252', 'xml-declaration'],
    ['utf8-no-header', 'utf-8', 'sniffed'],
  ])('decodes /charset/%s as %s (%s)', async (variant, charset, source) => {
    const response = ok(await client().fetch({ url: server.url(`/charset/${variant}`) }));
    expect(response).toMatchObject({ charset, charsetSource: source });
    expect(response.text).toContain(SAMPLE);
  });

  it('sends validators and turns 304 into not-modified', async () => {
    const http = client();
    const first = ok(await http.fetch({ url: server.url('/etag') }));
    expect(first).toMatchObject({ etag: '"v1"', lastModified: 'Wed, 21 Oct 2015 07:28:00 GMT' });
    expect((await http.fetch({ url: server.url('/etag'), etag: first.etag })).status).toBe('not-modified');
    expect((await http.fetch({ url: server.url('/etag'), lastModified: first.lastModified })).status).toBe('not-modified');
    const [, second, third] = server.requestsTo('/etag');
    expect(second?.headers['if-none-match']).toBe('"v1"');
    expect(third?.headers['if-modified-since']).toBe(first.lastModified);
  });

  it('serves /doc content that can change between fetches', async () => {
    const http = client();
    server.setDoc('act', '<Legislation>v1</Legislation>');
    const v1 = ok(await http.fetch({ url: server.url('/doc/act') }));
    expect((await http.fetch({ url: server.url('/doc/act'), etag: v1.etag })).status).toBe('not-modified');
    server.setDoc('act', '<Legislation>v2</Legislation>');
    expect(ok(await http.fetch({ url: server.url('/doc/act'), etag: v1.etag })).text).toBe('<Legislation>v2</Legislation>');
  });
});

describe('HttpClient politeness and robots.txt', () => {
  const servers: FixtureServer[] = [];
  async function serverWithRobots(robots?: Parameters<FixtureServer['setRoute']>[1]): Promise<FixtureServer> {
    const server = await startFixtureServer({ bombBytes: 1024 });
    servers.push(server);
    if (robots) server.setRoute('/robots.txt', robots);
    return server;
  }
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('keeps one request at a time per host with the minimum delay between them', async () => {
    const server = await serverWithRobots();
    const http = client({ perHostDelayMs: 300 });
    await Promise.all([1, 2, 3].map((n) => http.fetch({ url: server.url(`/status/200?n=${n}`) })));
    const times = server.requests.map((r) => r.at);
    expect(server.requests.map((r) => r.path)[0]).toBe('/robots.txt');
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(300 - SLACK_MS);
  });

  it('does not make one host wait for another', async () => {
    const [a, b] = [await serverWithRobots(), await serverWithRobots()];
    const http = client({ perHostDelayMs: 800 });
    await Promise.all([
      http.fetch({ url: a.url('/status/200?first') }).then(() => http.fetch({ url: a.url('/status/200?second') })),
      http.fetch({ url: b.url('/status/200?only') }),
    ]);
    // b's page need not wait out a's delay: it arrives before a's second request is allowed to start.
    expect(b.requestsTo('/status/200?only')[0]!.at).toBeLessThan(a.requestsTo('/status/200?second')[0]!.at);
  });

  it('never sends a request robots.txt disallows, including on a redirect hop', async () => {
    const server = await serverWithRobots({ body: 'User-agent: *\nDisallow: /private\n' });
    const http = client();
    await expect(http.fetch({ url: server.url('/private/x') })).rejects.toBeInstanceOf(RobotsDisallowedError);
    await expect(http.fetch({ url: server.url('/redirect/to?location=/private/y') })).rejects.toBeInstanceOf(RobotsDisallowedError);
    ok(await http.fetch({ url: server.url('/status/200') }));
    expect(server.requests.map((r) => r.path)).toEqual(['/robots.txt', '/redirect/to?location=/private/y', '/status/200']);
  });

  it('uses the group for our product token over *', async () => {
    const server = await serverWithRobots({ body: 'User-agent: *\nDisallow: /\n\nUser-agent: coproduction-tracker\nDisallow: /mine\n' });
    const http = client();
    ok(await http.fetch({ url: server.url('/status/200') }));
    await expect(http.fetch({ url: server.url('/mine') })).rejects.toBeInstanceOf(RobotsDisallowedError);
  });

  it('follows a redirected robots.txt', async () => {
    const server = await serverWithRobots({ status: 301, headers: { location: '/robots-real.txt' } });
    server.setRoute('/robots-real.txt', { body: 'User-agent: *\nDisallow: /x' });
    await expect(client().fetch({ url: server.url('/x') })).rejects.toBeInstanceOf(RobotsDisallowedError);
    expect(server.requestsTo('/x')).toHaveLength(0);
  });

  it.each([
    ['404 allows all', { status: 404 }, true],
    ['410 allows all', { status: 410 }, true],
    ['500 disallows all', { status: 500 }, false],
    ['503 disallows all', { status: 503 }, false],
    ['429 disallows all', { status: 429 }, false],
    ['hanging disallows all', { hang: true }, false],
  ])('robots.txt %s', async (_name, robots, allowed) => {
    const server = await serverWithRobots(robots);
    const attempt = client().fetch({ url: server.url('/page') });
    if (allowed) {
      await expect(attempt).rejects.toMatchObject({ status: 404 }); // reached the server: /page is a 404 route
      expect(server.requestsTo('/page')).toHaveLength(1);
    } else {
      await expect(attempt).rejects.toBeInstanceOf(RobotsDisallowedError);
      expect(server.requestsTo('/page')).toHaveLength(0);
    }
  });
});
