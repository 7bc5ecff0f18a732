/**
 * A first-come, first-served async lock. `unlock()` hands the lock straight to the next waiter, so a
 * caller that keeps re-locking cannot starve the queue (which a "wait, then retry" loop allows).
 */
export class Mutex {
  #locked = false;
  readonly #waiters: Array<() => void> = [];

  /** Resolves once the caller holds the lock. */
  lock(): Promise<void> {
    if (!this.#locked) {
      this.#locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Releases the lock; unlocking a free mutex is a bug in the caller, so it throws. */
  unlock(): void {
    if (!this.#locked) throw new Error('Mutex.unlock() called while not locked');
    const next = this.#waiters.shift();
    if (next) next();
    else this.#locked = false;
  }

  get isLocked(): boolean {
    return this.#locked;
  }

  /** How many callers are waiting for the lock (not counting the holder). */
  get waiting(): number {
    return this.#waiters.length;
  }
}
