/**
 * The delivery worker: every interval, each trail with pending events is delivered until it
 * has caught up. A trail whose delivery failed waits (exponential backoff, at most a minute)
 * before its next attempt; its cursor and planned batch stay, so nothing is lost meanwhile.
 * (That wait is a schedule across passes, not a retry loop: the other trails go on meanwhile.)
 *
 * Notifications (SNS, webhook) are sent in the background after each delivered batch: a slow
 * or failing endpoint shows in GetTrailStatus and never holds back delivery.
 */
import pRetry from 'p-retry';
import type { Logger } from 'pino';
import type { Trail } from '../../store/trail-store.js';
import { startPeriodic } from '../periodic.js';
import type { PeriodicWorker } from '../periodic.js';
import type { DeliveryDeps } from './deliver-trail.js';
import { DeliveryError, deliverTrail } from './deliver-trail.js';
import type { NotifierFor } from './delivery-notifier.js';

const MAX_BACKOFF_MS = 60_000;

/** runOnce: one pass over every trail; stop: also waits for notifications in flight. */
export type DeliveryWorker = PeriodicWorker;

export function startDeliveryWorker(deps: DeliveryDeps, notifierFor: NotifierFor, intervalMs: number, logger: Logger): DeliveryWorker {
  const backoff = new Map<string, { failures: number; nextAttempt: number }>();
  const notifying = new Set<Promise<void>>();

  const notify = (trail: Trail, bucket: string, keys: string[]): void => {
    const notifier = notifierFor(trail);
    if (notifier === undefined) return;
    const attemptTime = deps.clock.now();
    // The notifier retries with backoff itself; its final outcome is recorded in the status, and
    // recording is retried too, since a lost outcome would leave a stale error or success shown.
    const record = async (changes: Parameters<typeof deps.trails.updateStatus>[1]) =>
      pRetry(async () => deps.trails.updateStatus(trail.trailArn, changes), { retries: 3, minTimeout: 200, randomize: false });
    const done = notifier
      .notify(trail, bucket, keys)
      .then(
        async () => record({ latestNotificationTime: deps.clock.now(), latestNotificationAttemptTime: attemptTime, latestNotificationError: null }),
        async (error: unknown) => {
          logger.warn({ err: error, trail: trail.trailArn }, 'notification failed');
          return record({ latestNotificationAttemptTime: attemptTime, latestNotificationError: error instanceof Error ? error.message : String(error) });
        },
      )
      .catch((error: unknown) => logger.error({ err: error, trail: trail.trailArn }, 'recording the notification outcome failed'))
      .finally(() => notifying.delete(done));
    notifying.add(done);
  };

  const pass = async (): Promise<void> => {
    for (const trail of await deps.trails.listDeliverable()) {
      const wait = backoff.get(trail.trailArn);
      if (wait !== undefined && deps.clock.now() < wait.nextAttempt) continue;
      try {
        await deliverTrail(trail, deps, notify);
        backoff.delete(trail.trailArn);
      } catch (error) {
        const failures = (wait?.failures ?? 0) + 1;
        const delay = Math.min(MAX_BACKOFF_MS, intervalMs * 2 ** Math.min(failures, 10));
        backoff.set(trail.trailArn, { failures, nextAttempt: deps.clock.now() + delay });
        logger.warn({ err: error, trail: trail.trailArn, failures, retryInMs: delay }, 'trail delivery failed; will retry');
        if (error instanceof DeliveryError && error.statusError !== undefined) {
          logger.error({ err: error.statusError, trail: trail.trailArn }, 'recording the delivery failure in the trail status failed');
        }
      }
    }
  };

  const worker = startPeriodic('delivery', pass, intervalMs, logger);

  return {
    ...worker,
    async stop() {
      await worker.stop();
      await Promise.all([...notifying]);
    },
  };
}
