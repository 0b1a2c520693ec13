/**
 * One async-mutex per key, created on first use and dropped when nobody holds or waits for it:
 * work on the same key runs one at a time, in arrival order; work on other keys is not held up.
 */
import { Mutex } from 'async-mutex';

export class KeyedMutex {
  readonly #entries = new Map<string, { mutex: Mutex; users: number }>();

  async runExclusive<T>(key: string, work: () => Promise<T>): Promise<T> {
    let entry = this.#entries.get(key);
    if (entry === undefined) {
      entry = { mutex: new Mutex(), users: 0 };
      this.#entries.set(key, entry);
    }
    entry.users++;
    try {
      return await entry.mutex.runExclusive(work);
    } finally {
      if (--entry.users === 0) this.#entries.delete(key);
    }
  }

  /** Keys held or waited for (for tests: idle keys must not accumulate). */
  get size(): number {
    return this.#entries.size;
  }
}
