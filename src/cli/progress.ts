import cliProgress from 'cli-progress';
import type { Logger } from '../logger.js';

export interface Progress {
  update(done: number, total: number, label: string): void;
  stop(): void;
}

/**
 * A bar on a terminal; in CI or a log file (no TTY) a structured line every 10% instead, so long jobs
 * still show that they are moving without filling the log with redraws.
 */
export function createProgress(what: string, log: Logger, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${what} [{bar}] {value}/{total} {label}`, stream, hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total, label) {
        if (!started) bar.start(total, 0, { label: '' });
        started = true;
        bar.update(done, { label: label.length > 60 ? `…${label.slice(-59)}` : label });
      },
      stop: () => started && bar.stop(),
    };
  }
  let lastTenth = -1;
  return {
    update(done, total, label) {
      const tenth = Math.floor((done / Math.max(total, 1)) * 10);
      if (tenth !== lastTenth || done === total) log.info({ progress: `${done}/${total}`, last: label }, what);
      lastTenth = tenth;
    },
    stop: () => undefined,
  };
}
