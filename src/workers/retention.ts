/**
 * Retention: removes history events older than the retention window, on start and then hourly.
 * It runs outside the request path; a failed run is logged and retried on the next tick
 * (events stay, so nothing is lost by a failure here).
 */
import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import type { EventStore } from '../store/event-store.js';

const DAY_MS = 86_400_000;

export interface RetentionWorker {
  runOnce(): Promise<number>;
  stop(): void;
}

export function startRetentionWorker(
  events: EventStore,
  retentionDays: number,
  clock: Clock,
  logger: Logger,
  intervalMs = 3_600_000,
): RetentionWorker {
  const runOnce = async (): Promise<number> => {
    const removed = await events.purgeBefore(clock.now() - retentionDays * DAY_MS);
    if (removed > 0) logger.info({ removed, retentionDays }, 'purged events older than the retention window');
    return removed;
  };
  const tick = () => {
    runOnce().catch((error: unknown) => logger.error({ err: error }, 'retention purge failed; will retry'));
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  setImmediate(tick);
  return { runOnce, stop: () => clearInterval(timer) };
}
