import { Transform, Writable } from 'node:stream';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { errors as undiciErrors, request } from 'undici';
import type { Dispatcher } from 'undici';
import {
  BodyTooLargeError,
  DecodeError,
  FetchError,
  HttpStatusError,
  NetworkError,
  TimeoutError,
  TruncatedBodyError,
} from './errors.js';

/**
 * One HTTP request/response, no redirects, no retries: the HttpClient composes those. Kept apart so
 * the client reads as policy (robots, politeness, retries) and this file as mechanics (bytes, caps,
 * error mapping).
 */
export interface ExchangeOptions {
  dispatcher: Dispatcher;
  headers: Record<string, string>;
  /** Deadline for the whole exchange, headers and body; it is what ends a server that drips bytes. */
  totalTimeoutMs: number;
  /** Cap on bytes as received (compressed). */
  maxBodyBytes: number;
  /** Cap on bytes after Content-Encoding is undone, so a small gzip bomb aborts early. */
  maxDecodedBytes: number;
}

export type ExchangeResult =
  | { kind: 'redirect'; status: number; location: string }
  | { kind: 'not-modified'; status: 304 }
  | { kind: 'body'; status: number; headers: Headers; body: Buffer };

type Headers = Record<string, string | string[] | undefined>;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export function headerValue(headers: Headers, name: string): string | null {
  const value = headers[name.toLowerCase()];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

/** Retry-After in either form (delta-seconds or HTTP-date) as milliseconds from `now`; null if absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function decoderFor(encoding: string, url: string): Transform | null {
  switch (encoding) {
    case 'identity':
    case '':
      return null;
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    // Servers disagree on whether "deflate" means zlib-wrapped or raw; unzip-style sniffing is not
    // available for deflate, so we take the RFC reading (zlib wrapper), which is what nearly all send.
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      throw new DecodeError(`unsupported Content-Encoding ${JSON.stringify(encoding)}`, { url });
  }
}

/** Passes bytes through until more than `max` have gone by, then fails with BodyTooLargeError. */
class ByteLimit extends Transform {
  seen = 0;
  constructor(max: number, what: string, url: string) {
    super({
      transform: (chunk: Buffer, _encoding, callback) => {
        this.seen += chunk.length;
        if (this.seen > max) callback(new BodyTooLargeError(`${what} exceeds ${max} bytes at ${url}`, { url }));
        else callback(null, chunk);
      },
    });
  }
}

/** Reads the body through the caps and decoders; a body that ends early is an error, never a short success. */
async function readBody(body: Readable, headers: Headers, url: string, options: ExchangeOptions): Promise<Buffer> {
  const declared = headerValue(headers, 'content-length');
  const declaredLength = declared !== null && /^\d+$/.test(declared) ? Number(declared) : null;
  if (declaredLength !== null && declaredLength > options.maxBodyBytes) {
    // Destroying the stream aborts the download; the abort error it emits is expected, not news.
    body.on('error', () => undefined);
    body.destroy();
    throw new BodyTooLargeError(`Content-Length ${declaredLength} exceeds ${options.maxBodyBytes} bytes at ${url}`, { url });
  }
  const encodings = (headerValue(headers, 'content-encoding') ?? '')
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e !== '' && e !== 'identity');
  // Encodings are listed in the order applied, so they are undone in reverse.
  const decoders = [...encodings].reverse().map((e) => decoderFor(e, url)).filter((d): d is Transform => d !== null);

  const raw = new ByteLimit(options.maxBodyBytes, 'body', url);
  const chunks: Buffer[] = [];
  try {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
    });
    await pipeline([body, raw, ...decoders, new ByteLimit(options.maxDecodedBytes, 'decoded body', url), sink]);
  } catch (error) {
    const received = raw.seen;
    if (error instanceof FetchError) throw error;
    const code = (error as { code?: string }).code ?? '';
    // A stalled or aborted body is a timeout, not a truncation: let mapError name it.
    if (code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_ABORTED') throw error;
    const shortOfDeclared = declaredLength !== null && received < declaredLength;
    // Broken chunk framing surfaces as a parser error: the body is incomplete, whatever the socket did.
    const badFraming = error instanceof undiciErrors.HTTPParserError || code.startsWith('HPE_');
    if (code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' || shortOfDeclared || badFraming) {
      throw new TruncatedBodyError(
        `body ended early at ${url}: ${received} of ${declaredLength ?? 'unknown'} bytes (${code || String(error)})`,
        { url, cause: error },
      );
    }
    if (code === 'Z_BUF_ERROR') throw new TruncatedBodyError(`compressed body ended early at ${url}`, { url, cause: error });
    if (code.startsWith('Z_') || code.startsWith('ERR_BROTLI')) {
      throw new DecodeError(`corrupt ${encodings.join(', ')} body at ${url}`, { url, cause: error });
    }
    throw error;
  }
  if (declaredLength !== null && raw.seen !== declaredLength) {
    throw new TruncatedBodyError(`body was ${raw.seen} bytes but Content-Length said ${declaredLength} at ${url}`, { url });
  }
  return Buffer.concat(chunks);
}

function mapError(error: unknown, url: string, deadlineHit: boolean, totalTimeoutMs: number): unknown {
  if (deadlineHit) return new TimeoutError(`no complete response within ${totalTimeoutMs} ms from ${url}`, { url, cause: error });
  if (error instanceof FetchError) return error;
  const code = (error as { code?: string }).code ?? '';
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return new TimeoutError(`no response headers in time from ${url}`, { url, cause: error });
  if (code === 'UND_ERR_BODY_TIMEOUT') return new TimeoutError(`body stalled at ${url}`, { url, cause: error });
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return new TimeoutError(`connect timed out to ${url}`, { url, cause: error });
  const message = error instanceof Error ? error.message : String(error);
  return new NetworkError(`${code || 'network error'} fetching ${url}: ${message}`, { url, cause: error });
}

/** Sends one GET and classifies the answer; throws a FetchError subclass for anything unusable. */
export async function exchange(url: string, options: ExchangeOptions): Promise<ExchangeResult> {
  const controller = new AbortController();
  let deadlineHit = false;
  const timer = setTimeout(() => {
    deadlineHit = true;
    controller.abort();
  }, options.totalTimeoutMs);
  try {
    const response = await request(url, {
      method: 'GET',
      headers: options.headers,
      dispatcher: options.dispatcher,
      signal: controller.signal,
    });
    const { statusCode: status, headers } = response;
    const body: Readable = response.body;
    // Small bodies of 304s, redirects and errors are read off so the connection can be reused.
    const discard = () => response.body.dump().catch(() => undefined);
    if (status === 304) {
      await discard();
      return { kind: 'not-modified', status: 304 };
    }
    const location = headerValue(headers, 'location');
    if (REDIRECT_STATUSES.has(status) && location) {
      await discard();
      return { kind: 'redirect', status, location };
    }
    if (status < 200 || status >= 300) {
      await discard();
      throw new HttpStatusError(status, url, parseRetryAfter(headerValue(headers, 'retry-after')));
    }
    return { kind: 'body', status, headers, body: await readBody(body, headers, url, options) };
  } catch (error) {
    throw mapError(error, url, deadlineHit, options.totalTimeoutMs);
  } finally {
    clearTimeout(timer);
  }
}
