/**
 * Runs a pass of work every interval, never two passes at once. runOnce() lets tests and
 * shutdown run a pass on demand (it waits for one in progress first); stop() ends the schedule
 * and waits for the pass in progress.
 */
import type { Logger } from 'pino';

export interface PeriodicWorker {
  runOnce(): Promise<void>;
  stop(): Promise<void>;
}

export function startPeriodic(name: string, pass: () => Promise<void>, intervalMs: number, logger: Logger): PeriodicWorker {
  let running: Promise<void> | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const runOnce = async (): Promise<void> => {
    const next = (running ?? Promise.resolve()).then(pass);
    running = next.catch((error: unknown) => logger.error({ err: error }, `${name} pass failed`));
    return next;
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      void runOnce()
        .catch(() => undefined)
        .finally(schedule);
    }, intervalMs);
  };
  schedule();

  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await running;
    },
  };
}
