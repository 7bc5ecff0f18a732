import path from 'node:path';
import { existsSync } from 'node:fs';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { runSource, type RunReport } from '../scraping/run-source.js';
import { MirrorTransport } from '../scraping/mirror-transport.js';
import { defaultMatcher } from '../pipeline/default-matcher.js';
import { projectRoot } from '../project-root.js';
import type { Logger } from '../logger.js';
import { sources } from '../../scrapers/registry.js';

export interface DemoDataOptions {
  /** Where raw responses go. */
  dataDir: string;
  /** ../shared/corpus (real captured documents); skipped when absent. */
  corpusDir?: string;
  log?: Logger;
}

/**
 * Fills a migrated database the way a user would, offline: every source over its own fixtures mirror,
 * then the legislation source over the real corpus. Used by `npm run demo`, the web tests and screenshots.
 */
export async function loadDemoData(db: Kysely<Database>, options: DemoDataOptions): Promise<RunReport[]> {
  const reports: RunReport[] = [];
  const run = async (sourceId: string, mirrorDir: string) => {
    const source = sources.find((s) => s.id === sourceId);
    if (!source) throw new Error(`no source ${sourceId}`);
    const transport = await MirrorTransport.open(mirrorDir);
    reports.push(await runSource({ db, source, transport, transportName: 'mirror', dataDir: options.dataDir, trigger: 'demo', matcher: defaultMatcher, log: options.log }));
  };
  for (const source of sources) await run(source.id, path.join(projectRoot, 'scrapers', source.id, 'fixtures'));
  if (options.corpusDir && existsSync(path.join(options.corpusDir, 'MANIFEST.tsv'))) await run('legislation', options.corpusDir);
  return reports;
}
