/**
 * Retry behaviour lives in the error type (as in Crawlee): `retryable` errors are tried again with
 * backoff, the rest fail the document at once, and `abortsRun` errors stop the whole run.
 */
export class ScrapeError extends Error {
  readonly retryable: boolean = false;
  readonly abortsRun: boolean = false;
  readonly url: string | undefined;
  constructor(message: string, options: { url?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.url = options.url;
  }
}

export class FetchError extends ScrapeError {}

/** A status the server answered with; 408, 425, 429, 500, 502, 503 and 504 are worth retrying. */
export class HttpStatusError extends FetchError {
  override readonly retryable: boolean;
  readonly status: number;
  /** Milliseconds the server asked us to wait (Retry-After), if it said. */
  readonly retryAfterMs: number | null;
  constructor(status: number, url: string, retryAfterMs: number | null = null) {
    super(`HTTP ${status} from ${url}`, { url });
    this.status = status;
    this.retryAfterMs = retryAfterMs;
    this.retryable = [408, 425, 429, 500, 502, 503, 504].includes(status);
  }
}

/**
 * The server asked us (Retry-After) to wait longer than we are willing to: we give up at once rather
 * than hold a worker for that long. Not retryable within this run; the next scheduled run tries again.
 */
export class RetryAfterTooLongError extends HttpStatusError {
  override readonly retryable = false;
  constructor(status: number, url: string, retryAfterMs: number, capMs: number) {
    super(status, url, retryAfterMs);
    this.message = `HTTP ${status} from ${url}: server asked to retry after ${Math.ceil(retryAfterMs / 1000)} s, longer than our cap of ${Math.ceil(capMs / 1000)} s; not waiting`;
  }
}

export class TimeoutError extends FetchError {
  override readonly retryable = true;
}
/** Connection reset, refused, DNS failure, or a body that ended before its declared length. */
export class NetworkError extends FetchError {
  override readonly retryable = true;
}
export class TruncatedBodyError extends FetchError {
  override readonly retryable = true;
}
export class BodyTooLargeError extends FetchError {}
export class TooManyRedirectsError extends FetchError {}
export class RedirectLoopError extends FetchError {}
export class RobotsDisallowedError extends FetchError {}
/** Bytes that cannot be decoded as text in any charset we could determine. */
export class DecodeError extends FetchError {}

/** The body arrived but is not the format the parser expects (malformed XML, missing root…). */
export class ParseError extends ScrapeError {}

/** A selector that matched nothing (or the wrong number of things): the page changed under us. */
export class SelectorError extends ParseError {
  readonly selector: string;
  readonly count: number;
  constructor(selector: string, url: string, count: number, expected = 'at least 1') {
    super(`selector ${JSON.stringify(selector)} matched ${count} (expected ${expected}) at ${url}`, { url });
    this.selector = selector;
    this.count = count;
  }
}

export function isRetryable(error: unknown): boolean {
  return error instanceof ScrapeError && error.retryable;
}
