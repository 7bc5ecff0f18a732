import type { Config } from '../config.js';
import { logger } from '../logger.js';
import { openServices } from '../services.js';
import { rebuildSearchIndex } from '../search/reindex.js';
import { createProgress } from './progress.js';

/**
 * `npm run reindex`: rebuild the search index from every clause version, with progress. Safe while
 * the server runs: it keeps searching the old index until the new one is swapped in.
 */
export async function reindexCommand(config: Config): Promise<number> {
  const services = await openServices(config);
  const progress = createProgress('reindex', logger);
  try {
    const report = await rebuildSearchIndex(services.db, { onProgress: (done, total) => progress.update(done, total, `${done} clause versions`) });
    progress.stop();
    console.log(`search index rebuilt: ${report.indexed} clause versions (${report.caughtUp} imported during the rebuild) in ${(report.ms / 1000).toFixed(1)} s`);
    return 0;
  } finally {
    progress.stop();
    await services.close();
  }
}
