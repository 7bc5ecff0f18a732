/**
 * The one interface every source fetches through: the live HttpClient and the offline MirrorTransport
 * both implement it, so a scraper cannot tell (and need not care) which one it has.
 */
export interface FetchRequest {
  url: string;
  /** Accept header; defaults to the client's. */
  accept?: string;
  /** Validators from a previous fetch; when given and the server answers 304 the result is `not-modified`. */
  etag?: string | null;
  lastModified?: string | null;
}

export interface FetchedResponse {
  status: 'ok';
  /** The URL asked for. */
  requestedUrl: string;
  /** The URL after redirects. */
  url: string;
  httpStatus: number;
  contentType: string;
  /** Charset the body was decoded with, and how it was decided (bom, header, meta, xml-declaration, sniffed, default). */
  charset: string;
  charsetSource: string;
  /** Raw bytes as received (after content-encoding is undone). */
  body: Buffer;
  /** Body decoded to text with `charset`. */
  text: string;
  etag: string | null;
  lastModified: string | null;
  fetchedAt: Date;
}

export interface NotModifiedResponse {
  status: 'not-modified';
  requestedUrl: string;
  url: string;
  fetchedAt: Date;
}

export type FetchResult = FetchedResponse | NotModifiedResponse;

export interface Transport {
  /** Fetches one URL. Throws a FetchError subclass (see errors.ts) when no usable body was received. */
  fetch(request: FetchRequest): Promise<FetchResult>;
  /** URLs the transport can answer without the network (mirror only); undefined for the live client. */
  listUrls?(): string[];
  close?(): Promise<void>;
}
