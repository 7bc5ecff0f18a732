import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { decodeBody } from './charset.js';
import { FetchError, HttpStatusError } from './errors.js';
import { loadManifest } from './manifest.js';
import type { Manifest, ManifestEntry, SkippedRow } from './manifest.js';
import type { FetchRequest, FetchResult, Transport } from './transport.js';

// legislation.data.gov.uk is the 2010s API host; FORMATS.md notes today's www.legislation.gov.uk has
// the same URL structure, so a capture from either answers for both.
const HOST_ALIASES: Record<string, string> = {
  'legislation.data.gov.uk': 'legislation.gov.uk',
  'www.legislation.gov.uk': 'legislation.gov.uk',
  'legislation.gov.uk': 'legislation.gov.uk',
};

/**
 * The loose key a URL is looked up by when there is no exact match: scheme, fragment and a trailing
 * slash ignored; host lower-cased, a trailing dot dropped (the corpus has `www.legislation.gov.uk.`),
 * and legislation host aliases folded together. Query strings must still match.
 */
export function mirrorKey(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const host = parsed.hostname.toLowerCase().replace(/\.$/, '');
  const port = parsed.port ? `:${parsed.port}` : '';
  const pathname = parsed.pathname.length > 1 ? parsed.pathname.replace(/\/+$/, '') : parsed.pathname;
  return `${HOST_ALIASES[host] ?? host}${port}${pathname}${parsed.search}`;
}

/**
 * An offline Transport answering from captured files listed in a manifest (see manifest.ts), decoded
 * exactly as the live client decodes. Unknown URLs are HttpStatusError 404, as a site would say. The
 * ETag is a hash of the file, so a conditional fetch of an unchanged file is `not-modified`.
 */
export class MirrorTransport implements Transport {
  private readonly exact = new Map<string, ManifestEntry>();
  private readonly loose = new Map<string, ManifestEntry>();
  /** Rows of the manifest that named no usable URL. */
  readonly skipped: SkippedRow[];

  constructor(manifest: Manifest) {
    this.skipped = manifest.skipped;
    for (const entry of manifest.entries) {
      // First row wins on a clash, so the manifest's order decides and the choice is repeatable.
      if (!this.exact.has(entry.url)) this.exact.set(entry.url, entry);
      const key = mirrorKey(entry.url);
      if (key !== null && !this.loose.has(key)) this.loose.set(key, entry);
    }
  }

  /**
   * Loads a manifest; its `file` paths are relative to its folder. Given a folder, reads
   * `MANIFEST.tsv` (the corpus name) or else `manifest.tsv` inside it.
   */
  static async open(manifestOrDir: string): Promise<MirrorTransport> {
    let manifestPath = manifestOrDir;
    if ((await stat(manifestOrDir)).isDirectory()) {
      const upper = path.join(manifestOrDir, 'MANIFEST.tsv');
      manifestPath = (await stat(upper).catch(() => null)) ? upper : path.join(manifestOrDir, 'manifest.tsv');
    }
    return new MirrorTransport(await loadManifest(manifestPath));
  }

  listUrls(): string[] {
    return [...this.exact.keys()];
  }

  /** The entry that would answer `url`, or undefined. */
  resolve(url: string): ManifestEntry | undefined {
    const key = mirrorKey(url);
    return this.exact.get(url) ?? (key === null ? undefined : this.loose.get(key));
  }

  async fetch(request: FetchRequest): Promise<FetchResult> {
    const entry = this.resolve(request.url);
    if (!entry) throw new HttpStatusError(404, request.url);
    let body: Buffer;
    let modified: Date;
    try {
      [body, modified] = await Promise.all([readFile(entry.file), stat(entry.file).then((s) => s.mtime)]);
    } catch (error) {
      throw new FetchError(`mirror file ${entry.file} (manifest line ${entry.line}) unreadable`, { url: request.url, cause: error });
    }
    const fetchedAt = new Date();
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`;
    const lastModified = modified.toUTCString();
    const unchanged = request.etag
      ? request.etag === etag
      : Boolean(request.lastModified) && Math.floor(modified.getTime() / 1000) * 1000 <= Date.parse(request.lastModified!);
    if (unchanged) return { status: 'not-modified', requestedUrl: request.url, url: entry.url, fetchedAt };
    const decoded = decodeBody(body, entry.contentType);
    return {
      status: 'ok',
      requestedUrl: request.url,
      url: entry.url,
      httpStatus: 200,
      contentType: entry.contentType,
      charset: decoded.charset,
      charsetSource: decoded.source,
      body,
      text: decoded.text,
      etag,
      lastModified,
      fetchedAt,
    };
  }
}
