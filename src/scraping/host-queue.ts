import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Politeness per host: one request at a time, and at least `minDelayMs` between the end of one
 * request and the start of the next. Measuring from the end (not the start) means a slow server gets
 * more breathing room, not less. Different hosts never wait for each other.
 */
export class HostQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly lastFinished = new Map<string, number>();

  constructor(private readonly minDelayMs: number) {}

  /** Runs `task` when the host is free and its delay has passed; the slot is released even if `task` throws. */
  async run<T>(host: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(host) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(host, tail);
    try {
      await previous;
      const last = this.lastFinished.get(host);
      const wait = last === undefined ? 0 : last + this.minDelayMs - Date.now();
      if (wait > 0) await sleep(wait);
      return await task();
    } finally {
      this.lastFinished.set(host, Date.now());
      release();
      // Drop the chain once idle so the map does not grow with every host ever seen.
      if (this.tails.get(host) === tail) this.tails.delete(host);
    }
  }
}
