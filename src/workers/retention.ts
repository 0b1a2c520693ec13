/**
 * Retention: removes history events older than the retention window, STS sessions expired
 * for more than a day, and hosted CloudWatch Logs events older than their group's
 * retentionInDays, on start and then hourly. It runs outside the request path; a failed run
 * is logged and retried on the next tick (what it would delete stays, so nothing is lost).
 *
 * Deleting sessions is housekeeping, not an effect of any call (there is no record of it): an
 * expired session cannot act anyway. Expired ones are kept a day so that a client still using
 * them hears "expired" (and refreshes), not "invalid".
 */
import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import type { IdentityStore } from '../iam/identity-store.js';
import type { EventStore } from '../store/event-store.js';
import type { LogStore } from '../store/monitoring/log-groups.js';

const DAY_MS = 86_400_000;
export const EXPIRED_SESSION_GRACE_MS = DAY_MS;

export interface RetentionWorker {
  /** Returns the number of events removed. */
  runOnce(): Promise<number>;
  stop(): void;
}

export function startRetentionWorker(
  events: EventStore,
  retentionDays: number,
  clock: Clock,
  logger: Logger,
  intervalMs = 3_600_000,
  identity?: Pick<IdentityStore, 'deleteSessionsExpiredBefore'>,
  logs?: Pick<LogStore, 'purgeExpired'>,
): RetentionWorker {
  const runOnce = async (): Promise<number> => {
    const removed = await events.purgeBefore(clock.now() - retentionDays * DAY_MS);
    if (removed > 0) logger.info({ removed, retentionDays }, 'purged events older than the retention window');
    if (identity !== undefined) {
      const sessions = await identity.deleteSessionsExpiredBefore(clock.now() - EXPIRED_SESSION_GRACE_MS);
      if (sessions > 0) logger.info({ sessions }, 'deleted expired STS sessions');
    }
    if (logs !== undefined) {
      // Like CloudWatch, a group's retention is housekeeping, not a call: the purge has no record.
      const logEvents = await logs.purgeExpired(clock.now());
      if (logEvents > 0) logger.info({ logEvents }, "purged log events older than their log group's retention");
    }
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
