import type { Config } from '../config.js';
import { openServices } from '../services.js';
import { sourceHealth } from '../scraping/source-health.js';

/** `health`: one paragraph per source — last success, failures, counts, data-quality problems. */
export async function healthCommand(config: Config): Promise<number> {
  const services = await openServices(config);
  try {
    const health = await sourceHealth(services.db);
    if (health.length === 0) console.log('no source has run yet');
    for (const h of health) {
      console.log(`${h.id} — ${h.name}`);
      console.log(`  last success ${h.lastSuccessAt ?? 'never'}; consecutive failures ${h.consecutiveFailures}`);
      if (h.lastError) console.log(`  last error (${h.lastErrorAt}): ${h.lastError}`);
      console.log(`  documents ${h.documents}, versions ${h.versions}, quarantined versions ${h.quarantinedVersions}`);
      if (h.lastRun) console.log(`  last run ${h.lastRun.id}: ${h.lastRun.status}, new ${h.lastRun.inserted}, updated ${h.lastRun.updated}, failed ${h.lastRun.failed}`);
      for (const p of h.problems) console.log(`  ${p.count} × ${p.kind}, e.g. ${p.example.url}: ${p.example.detail}`);
    }
    return 0;
  } finally {
    await services.close();
  }
}
