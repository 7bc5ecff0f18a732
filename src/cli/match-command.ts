import type { Config } from '../config.js';
import { logger } from '../logger.js';
import { openServices } from '../services.js';
import { matchJsonlStream } from '../pipeline/match-jsonl.js';
import { retagAll } from '../pipeline/retag.js';
import { defaultMatcher, matchOne } from '../pipeline/default-matcher.js';
import { createProgress } from './progress.js';

/**
 * `npm run match -- --all`: re-tag every clause version (default: only untagged ones and those tagged
 * by older rules). `npm run -s match -- --jsonl`: tag JSON lines from standard input, no database.
 */
export async function matchCommand(config: Config, args: { all: boolean; jsonl: boolean }): Promise<number> {
  if (args.jsonl) {
    const count = await matchJsonlStream(process.stdin, process.stdout, matchOne);
    logger.debug({ lines: count }, 'matched JSON lines');
    return 0;
  }
  const services = await openServices(config);
  const progress = createProgress('match', logger);
  try {
    const report = await retagAll(services.db, defaultMatcher, { all: args.all, onProgress: (done, total) => progress.update(done, total, `document version ${done}`) });
    progress.stop();
    console.log(
      `matcher ${report.matcherVersion}: ${report.documentVersions} document versions read, ` +
        `${report.clauseVersionsTagged} clause versions tagged, ${report.tagChanges} tags changed`,
    );
    return 0;
  } finally {
    progress.stop();
    await services.close();
  }
}
