/**
 * Placing workers: on one node a worker simply runs; over shared leases only one of two nodes
 * runs it, and a node stopping runs its last pass before it gives the lease up, so the other
 * node starts only after that pass has ended.
 */
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, postgresAvailable } from '../../test/support/postgres.js';
import { PostgresLeaseStore } from '../store/postgres/lease-store.js';
import type { Placement } from './placement.js';
import { placeWorker } from './placement.js';

const available = await postgresAvailable();
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const logger = pino({ level: 'silent' });
const timing = { ttlMs: 900, renewMs: 100 };

async function until(condition: () => boolean, ms: number): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A worker that notes what happens to it on a shared timeline. */
function recorder(node: string, timeline: string[]) {
  return () => {
    timeline.push(`${node} started`);
    return { stop: () => void timeline.push(`${node} stopped`), node };
  };
}

describe('placeWorker', () => {
  it('runs the worker at once on a single node, and its last pass after its stop', async () => {
    const timeline: string[] = [];
    const placed = placeWorker('w', recorder('solo', timeline), { holder: 'solo', timing, logger });
    expect(placed.current()?.node).toBe('solo');
    await placed.stop(async (worker) => void timeline.push(`${worker.node} final pass`));
    expect(timeline).toEqual(['solo started', 'solo stopped', 'solo final pass']);
  });

  it.skipIf(!available)('runs it on one of two nodes sharing leases; the other starts only after the first has finished its last pass', async () => {
    const database = await createTestDatabase();
    cleanups.push(async () => database.drop());
    const leases = await PostgresLeaseStore.open(database.url);
    cleanups.push(async () => leases.close());
    const timeline: string[] = [];
    const placement = (holder: string): Placement => ({ leases, holder, timing, logger });
    const a = placeWorker('delivery', recorder('a', timeline), placement('a'));
    await until(() => a.current() !== undefined, 5000);
    const b = placeWorker('delivery', recorder('b', timeline), placement('b'));
    // b keeps trying for as long as a renews: several of its attempts go by without the work.
    await new Promise((r) => setTimeout(r, 400));
    expect(b.current()).toBeUndefined();
    await a.stop(async () => {
      timeline.push('a final pass begins');
      await new Promise((r) => setTimeout(r, 300));
      timeline.push('a final pass ends');
    });
    await until(() => b.current() !== undefined, 5000);
    expect(timeline).toEqual(['a started', 'a stopped', 'a final pass begins', 'a final pass ends', 'b started']);
    await b.stop();
  });
});
