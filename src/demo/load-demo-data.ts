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
import { indexPendingClauseVersions } from '../search/index-pending.js';
import { importTextCaptures, type CaptureOutcome } from './import-text-captures.js';

export interface DemoDataOptions {
  /** Where raw responses go. */
  dataDir: string;
  /** ../shared/corpus (real captured documents); skipped when absent. */
  corpusDir?: string;
  log?: Logger;
  /** Called with each text capture's outcome (the `demo` command prints them). */
  onCapture?: (outcome: CaptureOutcome) => void;
  /** Called after each source run. */
  onReport?: (sourceId: string, report: RunReport) => void;
}

/**
 * Fills a migrated database the way a user would, offline: every source over its own fixtures mirror,
 * then the legislation source over the real corpus, then the corpus's extracted-text captures
 * (import-text-captures.ts). Used by `npm run demo`, the web tests and screenshots.
 */
export async function loadDemoData(db: Kysely<Database>, options: DemoDataOptions): Promise<RunReport[]> {
  const reports: RunReport[] = [];
  const run = async (sourceId: string, mirrorDir: string) => {
    const source = sources.find((s) => s.id === sourceId);
    if (!source) throw new Error(`no source ${sourceId}`);
    const transport = await MirrorTransport.open(mirrorDir);
    const report = await runSource({ db, source, transport, transportName: 'mirror', dataDir: options.dataDir, trigger: 'demo', matcher: defaultMatcher, log: options.log });
    reports.push(report);
    options.onReport?.(sourceId, report);
  };
  for (const source of sources) await run(source.id, path.join(projectRoot, 'scrapers', source.id, 'fixtures'));
  if (options.corpusDir && existsSync(path.join(options.corpusDir, 'MANIFEST.tsv'))) {
    await run('legislation', options.corpusDir);
    // The corpus pages held only as extracted text (s.16 in Welsh, WFG Act parts, statements, budgets).
    for (const outcome of await importTextCaptures(db, options.corpusDir, { matcher: defaultMatcher, log: options.log })) options.onCapture?.(outcome);
  }
  await indexPendingClauseVersions(db);
  return reports;
}
