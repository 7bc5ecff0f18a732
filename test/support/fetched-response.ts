import type { FetchedResponse, FetchRequest, Transport } from '../../src/scraping/transport.js';

/** A 200 response as the transports produce it, for parser and discovery tests that need no server. */
export function fetchedResponse(url: string, body: string | Buffer, overrides: Partial<FetchedResponse> = {}): FetchedResponse {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  return {
    status: 'ok',
    requestedUrl: url,
    url,
    httpStatus: 200,
    contentType: 'application/xml',
    charset: 'utf-8',
    charsetSource: 'header',
    body: bytes,
    text: typeof body === 'string' ? body : bytes.toString('utf8'),
    etag: null,
    lastModified: null,
    fetchedAt: new Date('2026-11-25T06:00:00Z'),
    ...overrides,
  };
}

/** A transport answering from an in-memory map of URL → JSON (or text), recording what was asked. */
export function jsonTransport(bodies: Record<string, unknown>, fetchedAt: Date): Transport & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    fetch(request: FetchRequest) {
      asked.push(request.url);
      if (!(request.url in bodies)) return Promise.reject(new Error(`unexpected fetch ${request.url}`));
      const value = bodies[request.url];
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      return Promise.resolve(fetchedResponse(request.url, text, { contentType: 'application/json', fetchedAt }));
    },
  };
}
