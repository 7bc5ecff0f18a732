/**
 * The dispatcher as a separate process, for the kill -9 test: `alerts dispatch` (src/cli/alerts-dispatch-command.ts)
 * with a short poll, a high send rate and small immediate alerts, so that many messages are in flight when
 * it is killed. Settings come from the environment like the real command (DATABASE_URL, SMTP_*, MAIL_FROM,
 * ALERTS_DISPATCHER_ID).
 *
 * With KILL_TEST_WAIT=1 it loads its code, then waits for a line on standard input before touching the
 * database: the test starts the next process while the current one runs, so a restart after a kill costs
 * milliseconds instead of the second or so Node takes to load the modules.
 */
import { createInterface } from 'node:readline';
import { loadConfig } from '../../../src/config.js';
import { alertsDispatchCommand } from '../../../src/cli/alerts-dispatch-command.js';

async function main(): Promise<number> {
  if (process.env.KILL_TEST_WAIT === '1') {
    const lines = createInterface({ input: process.stdin });
    await new Promise<void>((resolve) => lines.once('line', () => resolve()));
    lines.close();
  }
  return alertsDispatchCommand(loadConfig(), {
    tuning: { pollMs: 40, ratePerSecond: 2000, maxEventsPerAlert: Number(process.env.KILL_TEST_EVENTS_PER_ALERT ?? 10), leaseTtlMs: 5_000, sources: [] },
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
