import type { Config } from '../config.js';
import { logger } from '../logger.js';
import { openServices } from '../services.js';
import { runSource, type RunReport } from '../scraping/run-source.js';
import { createTransport } from '../scraping/create-transport.js';
import { defaultMatcher } from '../pipeline/default-matcher.js';
import { sources } from '../../scrapers/registry.js';
import { createProgress } from './progress.js';

export interface ScrapeArgs {
  sourceId: string;
  mirrorDir: string | undefined;
  limit: number | undefined;
}

export async function scrapeCommand(config: Config, args: ScrapeArgs): Promise<number> {
  const chosen = args.sourceId === 'all' ? sources : sources.filter((s) => s.id === args.sourceId);
  if (chosen.length === 0) throw new Error(`no source "${args.sourceId}"; registered: ${sources.map((s) => s.id).join(', ')}`);
  const services = await openServices(config);
  const { transport, name } = await createTransport({ mirrorDir: args.mirrorDir });
  const reports: RunReport[] = [];
  const crashed: string[] = [];
  try {
    for (const source of chosen) {
      const progress = createProgress(`scrape ${source.id}`, logger.child({ source: source.id }));
      // One source's crash (a database error, say) is reported and the next source still runs.
      try {
        reports.push(
          await runSource({
            db: services.db,
            source,
            transport,
            transportName: name,
            dataDir: config.dataDir,
            trigger: 'cli',
            matcher: defaultMatcher,
            limit: args.limit,
            onProgress: (done, total, ref) => progress.update(done, total, ref.url),
          }),
        );
      } catch (error) {
        logger.error({ source: source.id, err: error }, 'run crashed');
        console.error(`${source.id}: run crashed: ${error instanceof Error ? error.message : String(error)}`);
        crashed.push(source.id);
      } finally {
        progress.stop();
      }
    }
  } finally {
    await transport.close?.();
    await services.close();
  }
  for (const r of reports) {
    console.log(
      `run ${r.runId} ${r.status}: discovered ${r.discovered}, fetched ${r.fetched}, not modified ${r.notModified}, ` +
        `new ${r.inserted}, updated ${r.updated}, unchanged ${r.unchanged}, skipped ${r.skipped}, ` +
        `quarantined ${r.quarantined}, failed ${r.failed}, data-quality problems ${r.dataQualityProblems}` +
        `${r.lastError ? ` (last error: ${r.lastError})` : ''}`,
    );
  }
  return crashed.length > 0 || reports.some((r) => r.status === 'failed') ? 1 : 0;
}
