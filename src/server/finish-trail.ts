/**
 * DeleteTrail's last delivery: one attempt, bounded in time, to deliver a trail's pending
 * events and write its final digests before the trail is deleted. CloudTrail deletes a trail
 * at once; a bucket that is gone or unreachable must not make a trail undeletable (it would
 * also keep counting toward the trails-per-region quota). Whatever is not delivered stays in
 * the event history.
 */
import type { Logger } from 'pino';
import type { Trail } from '../store/trail-store.js';

export function boundedFinish(finish: (trail: Trail) => Promise<void>, timeoutMs: number, logger: Logger): (trail: Trail) => Promise<void> {
  return async (trail) => {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      const outcome = await Promise.race([finish(trail).then(() => 'done' as const), timedOut]);
      if (outcome === 'timeout') {
        logger.warn({ trail: trail.trailArn, timeoutMs }, 'deleting the trail without its last delivery: it did not finish in time');
      }
    } catch (error) {
      logger.warn({ err: error, trail: trail.trailArn }, 'deleting the trail without its last delivery');
    } finally {
      clearTimeout(timer);
    }
  };
}
