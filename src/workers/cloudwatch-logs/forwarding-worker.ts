/**
 * The CloudWatch Logs forwarding worker: on a short tick, every trail with a log group forwards
 * what is new in the event log. A trail whose forwarding failed (its log group gone, the API
 * down) waits with exponential backoff, at most a minute, before its next attempt; its cursor
 * and planned batch stay, so it catches up in order once the destination is back.
 */
import type { Logger } from 'pino';
import { startPeriodic } from '../periodic.js';
import type { PeriodicWorker } from '../periodic.js';
import type { ForwardingDeps } from './forward-trail.js';
import { ForwardingError, forwardTrail } from './forward-trail.js';

const MAX_BACKOFF_MS = 60_000;

export function startForwardingWorker(deps: ForwardingDeps, intervalMs: number, logger: Logger): PeriodicWorker {
  const backoff = new Map<string, { failures: number; nextAttempt: number }>();

  // Whether the last pass found a trail to forward for: without one a poke costs nothing (the
  // ingest path pokes on every commit), and a trail given a log group is found by the next tick.
  let anyForwarding = true;
  const pass = async (): Promise<void> => {
    const trails = (await deps.trails.listAll()).filter((t) => t.config.CloudWatchLogsLogGroupArn !== undefined);
    anyForwarding = trails.length > 0;
    for (const trail of trails) {
      const wait = backoff.get(trail.trailArn);
      if (wait !== undefined && deps.clock.now() < wait.nextAttempt) continue;
      try {
        await forwardTrail(trail, deps);
        backoff.delete(trail.trailArn);
      } catch (error) {
        const failures = (wait?.failures ?? 0) + 1;
        const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(failures - 1, 10));
        backoff.set(trail.trailArn, { failures, nextAttempt: deps.clock.now() + delay });
        logger.warn({ err: error, trail: trail.trailArn, failures, retryInMs: delay }, 'CloudWatch Logs forwarding failed; will retry');
        if (error instanceof ForwardingError && error.statusError !== undefined) {
          logger.error({ err: error.statusError, trail: trail.trailArn }, 'recording the forwarding failure in the trail status failed');
        }
      }
    }
  };

  const worker = startPeriodic('cloudwatch-logs forwarding', pass, intervalMs, logger);
  return {
    ...worker,
    poke() {
      if (anyForwarding) worker.poke();
    },
  };
}
