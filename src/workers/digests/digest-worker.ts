/**
 * The digest worker: on a short tick it gives every trail chain that is due its digest (hourly
 * by default, `--digest-interval`), and a final one to chains whose trail stopped logging or
 * turned validation off. Empty periods get a digest too. A failed digest is retried on the next
 * tick from its plan, so it comes out identical.
 */
import type { Logger } from 'pino';
import type { DigestDeps } from './write-digest.js';
import { digestTrail } from './write-digest.js';
import { startPeriodic } from '../periodic.js';
import type { PeriodicWorker } from '../periodic.js';

export type DigestWorker = PeriodicWorker;

export function startDigestWorker(deps: DigestDeps, logger: Logger): DigestWorker {
  // Often enough that digests end close to their period, rarely enough to cost nothing.
  const tickMs = Math.max(200, Math.min(deps.intervalMs / 4, 30_000));

  const pass = async (): Promise<void> => {
    for (const trail of await deps.trails.listAll()) {
      try {
        await digestTrail(trail, deps);
      } catch (error) {
        // Whatever failed (the put, a key, the store), the trail's status says so until a digest succeeds.
        logger.warn({ err: error, trail: trail.trailArn }, 'writing a digest failed; will retry');
        await deps.trails
          .updateStatus(trail.trailArn, { latestDigestDeliveryError: error instanceof Error ? error.message : String(error) })
          .catch((statusError: unknown) => logger.error({ err: statusError, trail: trail.trailArn }, 'recording the digest error failed'));
      }
    }
  };

  return startPeriodic('digest', pass, tickMs, logger);
}
