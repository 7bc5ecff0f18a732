import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { logger } from '../logger.js';
import { openServices } from '../services.js';
import { loadDemoData } from '../demo/load-demo-data.js';
import { demoSummary } from '../demo/demo-summary.js';
import { projectRoot } from '../project-root.js';

/** The corpus used when --corpus is not given: ../shared/corpus beside the repository, if it is there. */
export const defaultCorpusDir = path.resolve(projectRoot, '../shared/corpus');

/**
 * `demo [--corpus DIR]`: migrates the configured database and fills it offline with every source's
 * fixtures, the legislation corpus and its text captures, printing a line per step and a summary.
 */
export async function demoCommand(config: Config, options: { corpusDir?: string }): Promise<number> {
  const corpusDir = options.corpusDir ? path.resolve(options.corpusDir) : existsSync(path.join(defaultCorpusDir, 'MANIFEST.tsv')) ? defaultCorpusDir : undefined;
  if (options.corpusDir && !existsSync(path.join(corpusDir!, 'MANIFEST.tsv'))) throw new Error(`no MANIFEST.tsv in --corpus ${corpusDir}`);
  const services = await openServices(config);
  try {
    console.log(`database up to date (${services.describe})`);
    console.log(corpusDir ? `corpus: ${corpusDir}` : 'corpus: none (../shared/corpus not found); loading source fixtures only');
    const captures = { imported: 0, unchanged: 0, skipped: 0, failed: 0 };
    await loadDemoData(services.db, {
      dataDir: config.dataDir,
      corpusDir,
      log: logger,
      onReport: (sourceId, r) =>
        console.log(`source ${sourceId}: run ${r.runId} ${r.status}: discovered ${r.discovered}, new ${r.inserted}, updated ${r.updated}, unchanged ${r.unchanged}, not modified ${r.notModified}, failed ${r.failed}${r.lastError ? ` (last error: ${r.lastError})` : ''}`),
      onCapture: (c) => {
        if (c.status === 'skipped') {
          captures.skipped++;
          console.log(`capture ${c.row.file}: skipped: ${c.reason}`);
        } else if (c.status === 'failed') {
          captures.failed++;
          console.log(`capture ${c.row.file}: failed: ${c.reason}`);
        } else if (c.status === 'unchanged') captures.unchanged++;
        else {
          captures.imported++;
          console.log(`capture ${c.documentId} (${c.language}): ${c.status}, ${c.clauses} clauses${c.truncated ? ', cut-off last clause left out' : ''}`);
        }
      },
    });
    if (corpusDir) console.log(`text captures: ${captures.imported} imported, ${captures.unchanged} unchanged, ${captures.skipped} skipped, ${captures.failed} failed`);
    const s = await demoSummary(services.db);
    console.log(`summary: ${s.documents} documents, ${s.versions} versions, ${s.clauses} clauses, ${s.clauseVersions} clause versions, ${s.coproductionClauseVersions} co-production clause versions`);
    console.log(`co-production by strength: ${Object.entries(s.coproductionByStrength).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}`);
    for (const [key, n] of Object.entries(s.versionsBy)) console.log(`  versions ${key}: ${n}`);
    return captures.failed > 0 ? 1 : 0;
  } finally {
    await services.close();
  }
}
