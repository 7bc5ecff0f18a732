import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { FetchedResponse } from './transport.js';

/**
 * Keeps every response body, content-addressed under `<dataDir>/raw/ab/cd/<sha256>`, so any parse can
 * be replayed after a parser fix. Identical bodies are stored once. The file is written (via a temp file
 * and rename) before its row, so a row always points at a complete file.
 */
export class RawStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dataDir: string,
  ) {}

  async save(response: FetchedResponse): Promise<string> {
    const hash = createHash('sha256').update(response.body).digest('hex');
    const relative = path.join('raw', hash.slice(0, 2), hash.slice(2, 4), hash);
    const absolute = path.join(this.dataDir, relative);
    if (!(await exists(absolute))) {
      await mkdir(path.dirname(absolute), { recursive: true });
      const temp = `${absolute}.${process.pid}.tmp`;
      await writeFile(temp, response.body);
      await rename(temp, absolute);
    }
    await this.db
      .insertInto('raw_responses')
      .values({
        hash,
        url: response.requestedUrl,
        final_url: response.url,
        http_status: response.httpStatus,
        content_type: response.contentType,
        charset: response.charset,
        byte_length: response.body.length,
        stored_path: relative,
        first_fetched_at: response.fetchedAt.toISOString(),
      })
      .onConflict((oc) => oc.column('hash').doNothing())
      .execute();
    return hash;
  }

  pathOf(storedPath: string): string {
    return path.join(this.dataDir, storedPath);
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
