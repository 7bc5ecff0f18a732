import { readFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { decodeBody } from '../../src/scraping/charset.js';
import { MirrorTransport } from '../../src/scraping/mirror-transport.js';
import type { DocumentRef, SourceDefinition } from '../../src/scraping/source.js';
import type { FetchedResponse } from '../../src/scraping/transport.js';
import { fetchedResponse } from './fetched-response.js';

const root = path.resolve(import.meta.dirname, '../..');
const log = pino({ level: 'silent' });

export interface Sample {
  ref: DocumentRef;
  body: Buffer;
  contentType: string;
}

/** The responses a source's own discovery reaches through a mirror folder (its fixtures by default). */
export async function samplesOf(source: SourceDefinition, mirrorDir = path.join(root, 'scrapers', source.id, 'fixtures')): Promise<Sample[]> {
  const mirror = await MirrorTransport.open(mirrorDir);
  const refs = await source.discover({ transport: mirror, log });
  const samples: Sample[] = [];
  for (const ref of refs) {
    const entry = mirror.resolve(ref.url);
    if (entry) samples.push({ ref, body: readFileSync(entry.file), contentType: entry.contentType });
  }
  return samples;
}

/** A response as the transports produce it, for a body given directly. */
export function responseFor(sample: Sample, body: Buffer = sample.body): FetchedResponse {
  const decoded = decodeBody(body, sample.contentType);
  return fetchedResponse(sample.ref.url, body, { contentType: sample.contentType, charset: decoded.charset, charsetSource: decoded.source, text: decoded.text });
}
