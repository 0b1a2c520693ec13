/**
 * The digest worker: on a short tick it gives every trail chain that is due its digest (hourly
 * by default, `--digest-interval`), and a final one to chains whose trail stopped logging or
 * turned validation off. Empty periods get a digest too. A failed digest is retried on the next
 * tick from its plan, so it comes out identical.
 */
import type { Logger } from 'pino';
import type { DigestDeps } from './write-digest.js';
import { digestTrail } from './write-digest.js';

export interface DigestWorker {
  runOnce(): Promise<void>;
  stop(): Promise<void>;
}

export function startDigestWorker(deps: DigestDeps, logger: Logger): DigestWorker {
  let running: Promise<void> | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  // Often enough that digests end close to their period, rarely enough to cost nothing.
  const tickMs = Math.max(200, Math.min(deps.intervalMs / 4, 30_000));

  const pass = async (): Promise<void> => {
    for (const trail of await deps.trails.listAll()) {
      try {
        await digestTrail(trail, deps);
      } catch (error) {
        logger.warn({ err: error, trail: trail.trailArn }, 'writing a digest failed; will retry');
      }
    }
  };

  const runOnce = (): Promise<void> => {
    const next = (running ?? Promise.resolve()).then(pass);
    running = next.catch((error: unknown) => logger.error({ err: error }, 'digest pass failed'));
    return next;
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      void runOnce()
        .catch(() => undefined)
        .finally(schedule);
    }, tickMs);
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
