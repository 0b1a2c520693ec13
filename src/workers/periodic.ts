/**
 * Runs a pass of work every interval, never two passes at once. runOnce() lets tests and
 * shutdown run a pass on demand (it waits for one in progress first); poke() asks for a pass
 * soon, for work that should not wait for the next tick (pokes that arrive while one is queued
 * and not yet started are served by it; one arriving during a pass queues the next); stop()
 * ends the schedule and waits for the pass in progress.
 */
import type { Logger } from 'pino';

export interface PeriodicWorker {
  runOnce(): Promise<void>;
  poke(): void;
  stop(): Promise<void>;
}

export interface PeriodicOptions {
  /** The first pass at once rather than one interval after the start. */
  runAtStart?: boolean;
}

export function startPeriodic(name: string, pass: () => Promise<void>, intervalMs: number, logger: Logger, options: PeriodicOptions = {}): PeriodicWorker {
  let running: Promise<void> | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let pokeQueued = false;

  /** A pass after the one in progress; `starting` runs as it begins. */
  const enqueue = async (starting: () => void = () => undefined): Promise<void> => {
    const next = (running ?? Promise.resolve()).then(async () => {
      starting();
      await pass();
    });
    running = next.catch((error: unknown) => logger.error({ err: error }, `${name} pass failed`));
    return next;
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      void enqueue()
        .catch(() => undefined)
        .finally(schedule);
    }, intervalMs);
  };
  if (options.runAtStart === true) {
    void enqueue()
      .catch(() => undefined) // logged by enqueue
      .finally(schedule);
  } else {
    schedule();
  }

  return {
    runOnce: async () => enqueue(),
    poke() {
      if (stopped || pokeQueued) return;
      pokeQueued = true;
      void enqueue(() => {
        pokeQueued = false;
      }).catch(() => undefined); // logged by enqueue; the schedule goes on
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await running;
    },
  };
}
