import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import cron from 'node-cron';
import type { ScheduledTask } from 'node-cron';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Logger } from '../logger.js';
import type { SourceDefinition } from '../scraping/source.js';
import { withLease } from './lease.js';

export interface SchedulerOptions {
  sources: readonly SourceDefinition[];
  /** Runs one source; errors are logged, never thrown into node-cron or the other sources' jobs. */
  runSource: (source: SourceDefinition) => Promise<unknown>;
  db: Kysely<Database>;
  log: Logger;
  /** Identifies this process in the lease table. Default host:pid:random. */
  holder?: string;
  /** How long a lease lasts without renewal (it is renewed while the run goes on). Default 30 min. */
  leaseTtlMs?: number;
}

export interface Scheduler {
  /** Runs one source now, as a tick would (lease and all); resolves when it is done or skipped. */
  tick(sourceId: string): Promise<'ran' | 'skipped-leased' | 'failed'>;
  stop(): Promise<void>;
}

/**
 * One cron job per registered source, in UK time (legislation.gov.uk and gov.wales publish on UK
 * working days). node-cron's noOverlap skips a tick while the previous run of that source is still going
 * in this process; the database lease extends that to every process sharing the database.
 */
export function startScheduler(options: SchedulerOptions): Scheduler {
  const holder = options.holder ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const ttlMs = options.leaseTtlMs ?? 30 * 60 * 1000;

  const tick = async (source: SourceDefinition): Promise<'ran' | 'skipped-leased' | 'failed'> => {
    const log = options.log.child({ source: source.id });
    try {
      const outcome = await withLease(options.db, `scrape:${source.id}`, holder, ttlMs, () => options.runSource(source));
      if (!outcome.ran) {
        log.info({ holder }, 'skipped: another process holds the lease for this source');
        return 'skipped-leased';
      }
      return 'ran';
    } catch (error) {
      log.error({ err: error }, 'scheduled run failed');
      return 'failed';
    }
  };

  const tasks: ScheduledTask[] = options.sources.map((source) =>
    cron.schedule(source.schedule, () => tick(source), { name: source.id, timezone: 'Europe/London', noOverlap: true }),
  );
  for (const source of options.sources) {
    options.log.info({ source: source.id, schedule: source.schedule, reason: source.scheduleReason }, 'scheduled');
  }
  return {
    async tick(sourceId) {
      const source = options.sources.find((s) => s.id === sourceId);
      if (!source) throw new Error(`no source ${sourceId}`);
      return tick(source);
    },
    async stop() {
      for (const task of tasks) await task.destroy();
    },
  };
}
