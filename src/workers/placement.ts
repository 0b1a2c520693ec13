/**
 * Where a background worker runs. On one node (SQLite) it simply runs. When nodes share a
 * database (PostgreSQL), each worker kind runs on the one node holding its lease (leased.ts), so
 * two nodes never deliver, digest or forward the same trail at once; when that node dies another
 * takes the lease and starts the worker from the stored cursors.
 */
import type { Logger } from 'pino';
import type { LeaseStore } from '../store/lease-store.js';
import type { LeaseTiming } from './leased.js';
import { runLeased } from './leased.js';

export interface Placement {
  /** Absent: this node runs every worker. */
  leases?: LeaseStore;
  /** This node's name in the lease rows. */
  holder: string;
  timing: LeaseTiming;
  logger: Logger;
}

/** A worker that may or may not be running on this node right now. */
export interface PlacedWorker<W> {
  /** The worker, while it runs here. */
  current(): W | undefined;
  /**
   * Stops the worker here; `final` runs after its stop and before its lease is given up (a last
   * delivery pass), so no other node starts the same work while it runs.
   */
  stop(final?: (worker: W) => Promise<void>): Promise<void>;
}

export function placeWorker<W extends { stop(): void | Promise<void> }>(name: string, start: () => W, placement: Placement): PlacedWorker<W> {
  const leases = placement.leases;
  if (leases === undefined) {
    const worker = start();
    return {
      current: () => worker,
      async stop(final) {
        await worker.stop();
        await final?.(worker);
      },
    };
  }
  let worker: W | undefined;
  let finalPass: ((worker: W) => Promise<void>) | undefined;
  const runner = runLeased(
    leases,
    `worker:${name}`,
    placement.holder,
    {
      start() {
        const started = start();
        worker = started;
        return {
          async stop() {
            if (worker === started) worker = undefined;
            await started.stop();
            await finalPass?.(started);
          },
        };
      },
    },
    placement.timing,
    placement.logger,
  );
  return {
    current: () => worker,
    async stop(final) {
      finalPass = final;
      await runner.stop();
    },
  };
}
