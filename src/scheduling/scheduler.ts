import cron from 'node-cron';
import type { ScheduledTask } from 'node-cron';
import type { Logger } from '../logger.js';
import type { SourceDefinition } from '../scraping/source.js';

export interface SchedulerOptions {
  sources: readonly SourceDefinition[];
  /** Runs one source; errors are logged, never thrown into node-cron. */
  runSource: (source: SourceDefinition) => Promise<unknown>;
  log: Logger;
}

/**
 * One cron job per registered source, in UK time (legislation.gov.uk and gov.wales publish on UK
 * working days). noOverlap skips a tick while the previous run of that source is still going; the
 * database lease (a later issue) extends that guarantee across processes.
 */
export function startScheduler(options: SchedulerOptions): { stop(): Promise<void> } {
  const tasks: ScheduledTask[] = options.sources.map((source) =>
    cron.schedule(
      source.schedule,
      async () => {
        try {
          await options.runSource(source);
        } catch (error) {
          options.log.error({ source: source.id, err: error }, 'scheduled run failed');
        }
      },
      { name: source.id, timezone: 'Europe/London', noOverlap: true },
    ),
  );
  for (const source of options.sources) {
    options.log.info({ source: source.id, schedule: source.schedule, reason: source.scheduleReason }, 'scheduled');
  }
  return {
    async stop() {
      for (const task of tasks) await task.destroy();
    },
  };
}
