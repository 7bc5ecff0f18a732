import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';

/**
 * A real HTTP server on 127.0.0.1 with fault routes, for transport and pipeline tests. Every request
 * is recorded (with its arrival time) so tests can count retries and measure gaps.
 *
 * Built-in routes (a route set with setRoute() takes precedence over all of them):
 * - `/robots.txt`: 404 (allow all) unless set with setRoute('/robots.txt', …).
 * - `/status/:code`: answers with that status and a one-line body.
 * - `/retry-after/seconds/:n`: 503 with `Retry-After: n` the first time per path+query, 200 after.
 * - `/retry-after/date`: 429 with an HTTP-date `Retry-After` 1–2 s ahead the first time, 200 after.
 *   The date sent is exposed as the `x-retry-at` header (epoch ms) so a test can check we waited.
 * - `/retry-after/too-long`: 503 with `Retry-After: 3600`, always.
 * - `/hang`: reads the request and never answers.
 * - `/drip?ms=N`: 200, then one byte every N ms (default 50) forever.
 * - `/truncated`: `Content-Length: 100`, sends 10 bytes, closes cleanly.
 * - `/broken-chunked`: chunked encoding whose second chunk size is not hex.
 * - `/reset`: chunked 200, one chunk, then a TCP reset mid-body.
 * - `/redirect/chain/:n`: 302 to `/redirect/chain/n-1`; `/redirect/chain/0` is 200.
 * - `/redirect/loop`: 302 to `/redirect/loop-b`, which 302s back.
 * - `/redirect/relative`: 302 with the relative `Location: ../status/200`.
 * - `/redirect/to?location=X`: 302 to X.
 * - `/gzip-bomb`: a small gzip body that inflates to `bombBytes` zeros (default 16 MiB).
 * - `/charset/latin1-no-header`: windows-1252 bytes, `Content-Type: text/plain`, no charset anywhere.
 * - `/charset/header-lies`: header says utf-8, bytes are windows-1252, `<meta charset="iso-8859-1">`.
 * - `/charset/header-lies-no-meta`: header says utf-8, bytes are windows-1252, nothing else declared.
 * - `/charset/utf16-bom`: UTF-16LE with BOM while the header claims utf-8 (the BOM wins).
 * - `/charset/meta`: HTML with `<meta http-equiv content="text/html; charset=windows-1252">`, no header charset.
 * - `/charset/xml-declaration`: `<?xml … encoding="windows-1252"?>`, `Content-Type: application/xml`.
 * - `/charset/utf8-no-header`: valid UTF-8, no charset declared.
 * - `/etag`: ETag `"v1"` and a fixed Last-Modified; 304 when If-None-Match or If-Modified-Since match.
 * - `/flaky/:n`: 503 for the first n requests to that path, then 200.
 * - `/gzip`: a gzip-encoded text body; `/deflate` and `/br` likewise.
 * - `/doc/:name`: content given at start or by setDoc(), with a content-hash ETag and 304 support,
 *   so pipeline tests can serve v1 of a document, then v2.
 */
export interface RouteSpec {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Accept the request and never answer (a hanging robots.txt, say). */
  hang?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Date.now() when the request arrived. */
  at: number;
  /** Date.now() when the response finished (or the socket closed). */
  endedAt: number | null;
  /** The client's port: requests with the same port came over the same connection. */
  clientPort: number;
}

export interface FixtureServerOptions {
  /** Documents for `/doc/:name`, keyed by name. */
  docs?: Record<string, { body: string | Buffer; contentType?: string }>;
  /** Size the gzip bomb inflates to. Default 16 MiB. */
  bombBytes?: number;
}

export interface FixtureServer {
  origin: string;
  url(path: string): string;
  requests: RecordedRequest[];
  /** Requests whose path (query included) equals `path`. */
  requestsTo(path: string): RecordedRequest[];
  setRoute(path: string, spec: RouteSpec): void;
  setDoc(name: string, body: string | Buffer, contentType?: string): void;
  close(): Promise<void>;
}

const LAST_MODIFIED = 'Wed, 21 Oct 2015 07:28:00 GMT';
const CAFE_1252 = iconv.encode('Café – “quoted” £5', 'windows-1252');

export async function startFixtureServer(options: FixtureServerOptions = {}): Promise<FixtureServer> {
  const requests: RecordedRequest[] = [];
  const routes = new Map<string, RouteSpec>();
  const docs = new Map(Object.entries(options.docs ?? {}));
  const counters = new Map<string, number>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const bomb = gzipSync(Buffer.alloc(options.bombBytes ?? 16 * 1024 * 1024));

  const count = (key: string) => {
    const n = (counters.get(key) ?? 0) + 1;
    counters.set(key, n);
    return n;
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    const record: RecordedRequest = { method: req.method ?? 'GET', path, headers: req.headers, at: Date.now(), endedAt: null, clientPort: req.socket.remotePort ?? 0 };
    requests.push(record);
    res.on('close', () => (record.endedAt = Date.now()));
    handle(req, res, new URL(path, 'http://fixture.invalid'));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  function send(res: ServerResponse, status: number, body: string | Buffer = '', headers: Record<string, string> = {}) {
    // An explicit Content-Length (Node would otherwise send chunked after writeHead) lets tests hit the up-front size check.
    const length = status === 304 || status === 204 ? {} : { 'content-length': String(Buffer.byteLength(body)) };
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...length, ...headers });
    res.end(body);
  }

  /** Writes a hand-made response straight to the socket, for framing Node's server would not let us get wrong. */
  function raw(req: IncomingMessage, text: string | Buffer) {
    req.socket.write(text);
  }

  function handle(req: IncomingMessage, res: ServerResponse, url: URL) {
    const path = url.pathname;
    const key = path + url.search;
    const route = routes.get(path) ?? routes.get(key);
    if (route) {
      if (route.hang) return;
      return send(res, route.status ?? 200, route.body ?? '', route.headers ?? {});
    }
    let m: RegExpExecArray | null;
    if (path === '/robots.txt') return send(res, 404, 'no robots here');
    if ((m = /^\/status\/(\d{3})$/.exec(path))) return send(res, Number(m[1]), `status ${m[1]}`);
    if ((m = /^\/retry-after\/seconds\/(\d+)$/.exec(path))) {
      return count(key) === 1 ? send(res, 503, 'busy', { 'retry-after': m[1]! }) : send(res, 200, 'ok after retry-after');
    }
    if (path === '/retry-after/date') {
      if (count(key) > 1) return send(res, 200, 'ok after retry-after date');
      const at = Math.ceil((Date.now() + 1000) / 1000) * 1000;
      return send(res, 429, 'slow down', { 'retry-after': new Date(at).toUTCString(), 'x-retry-at': String(at) });
    }
    if (path === '/retry-after/too-long') return send(res, 503, 'come back in an hour', { 'retry-after': '3600' });
    if (path === '/hang') return;
    if (path === '/drip') {
      const every = Number(url.searchParams.get('ms') ?? 50);
      res.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => res.write('.'), every);
      timers.add(timer);
      res.on('close', () => clearInterval(timer));
      return;
    }
    if (path === '/truncated') {
      raw(req, 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n0123456789');
      return req.socket.end();
    }
    if (path === '/broken-chunked') {
      raw(req, 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nZZ\r\nnot a chunk\r\n');
      return req.socket.end();
    }
    if (path === '/reset') {
      raw(req, 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n');
      const timer = setTimeout(() => req.socket.resetAndDestroy(), 20);
      timers.add(timer);
      return;
    }
    if ((m = /^\/redirect\/chain\/(\d+)$/.exec(path))) {
      const n = Number(m[1]);
      return n === 0 ? send(res, 200, 'end of chain') : send(res, 302, '', { location: `/redirect/chain/${n - 1}` });
    }
    if (path === '/redirect/loop') return send(res, 302, '', { location: '/redirect/loop-b' });
    if (path === '/redirect/loop-b') return send(res, 302, '', { location: '/redirect/loop' });
    if (path === '/redirect/relative') return send(res, 302, '', { location: '../status/200' });
    if (path === '/redirect/to') return send(res, 302, '', { location: url.searchParams.get('location') ?? '/' });
    if (path === '/gzip-bomb') return send(res, 200, bomb, { 'content-encoding': 'gzip', 'content-type': 'text/plain' });
    if (path === '/gzip' || path === '/deflate' || path === '/br') return sendCompressed(res, path.slice(1));
    if (path.startsWith('/charset/')) return sendCharset(res, path.slice('/charset/'.length));
    if (path === '/etag') {
      const fresh = req.headers['if-none-match'] === '"v1"' || req.headers['if-modified-since'] === LAST_MODIFIED;
      return fresh ? send(res, 304) : send(res, 200, 'etag body', { etag: '"v1"', 'last-modified': LAST_MODIFIED });
    }
    if ((m = /^\/flaky\/(\d+)$/.exec(path))) {
      return count(key) <= Number(m[1]) ? send(res, 503, 'flaky') : send(res, 200, `ok after ${m[1]} failures`);
    }
    if ((m = /^\/doc\/(.+)$/.exec(path))) {
      const doc = docs.get(decodeURIComponent(m[1]!));
      if (!doc) return send(res, 404, 'no such doc');
      const etag = `"${createHash('sha256').update(doc.body).digest('hex').slice(0, 16)}"`;
      if (req.headers['if-none-match'] === etag) return send(res, 304);
      return send(res, 200, doc.body, { 'content-type': doc.contentType ?? 'application/xml', etag });
    }
    return send(res, 404, 'not found');
  }

  function sendCompressed(res: ServerResponse, encoding: string) {
    const text = Buffer.from('compressed hello '.repeat(100));
    const body = encoding === 'gzip' ? gzipSync(text) : encoding === 'deflate' ? deflateSync(text) : brotliCompressSync(text);
    send(res, 200, body, { 'content-encoding': encoding });
  }

  function sendCharset(res: ServerResponse, variant: string) {
    const html1252 = (head: string) => Buffer.concat([Buffer.from(`<html><head>${head}</head><body>`), CAFE_1252, Buffer.from('</body></html>')]);
    switch (variant) {
      case 'latin1-no-header':
        return send(res, 200, CAFE_1252, { 'content-type': 'text/plain' });
      case 'header-lies':
        return send(res, 200, html1252('<meta charset="iso-8859-1">'), { 'content-type': 'text/html; charset=utf-8' });
      case 'header-lies-no-meta':
        return send(res, 200, html1252(''), { 'content-type': 'text/html; charset=utf-8' });
      case 'utf16-bom':
        return send(res, 200, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Café – “quoted” £5', 'utf16le')]), {
          'content-type': 'text/plain; charset=utf-8',
        });
      case 'meta':
        return send(res, 200, html1252('<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'), { 'content-type': 'text/html' });
      case 'xml-declaration':
        return send(
          res,
          200,
          Buffer.concat([Buffer.from('<?xml version="1.0" encoding="windows-1252"?><p>'), CAFE_1252, Buffer.from('</p>')]),
          { 'content-type': 'application/xml' },
        );
      case 'utf8-no-header':
        return send(res, 200, Buffer.from('Café – “quoted” £5', 'utf8'), { 'content-type': 'text/plain' });
      default:
        return send(res, 404, 'unknown charset variant');
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: (path) => origin + path,
    requests,
    requestsTo: (path) => requests.filter((r) => r.path === path),
    setRoute: (path, spec) => void routes.set(path, spec),
    setDoc: (name, body, contentType) => void docs.set(name, { body, ...(contentType ? { contentType } : {}) }),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
