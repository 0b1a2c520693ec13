/**
 * Work on one node at a time through PostgreSQL leases: two nodes contend for one lease; when
 * the holder freezes (its renewals never arrive), the other takes the work over once the lease
 * expires, and the frozen one stops its work when it comes back; a clean stop hands the lease over
 * at once.
 */
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, postgresAvailable } from '../../test/support/postgres.js';
import type { LeaseStore } from '../store/lease-store.js';
import { PostgresLeaseStore } from '../store/postgres/lease-store.js';
import { runLeased } from './leased.js';

const available = await postgresAvailable();
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function until(condition: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A node whose renewals hang while it is frozen (a stalled process, a partition), then go on. */
function freezable(store: LeaseStore): LeaseStore & { freeze(): void; thaw(): void } {
  let thawed: Promise<void> = Promise.resolve();
  let thaw = () => undefined as void;
  return {
    freeze() {
      thawed = new Promise((resolve) => (thaw = resolve));
    },
    thaw: () => thaw(),
    acquire: async (name, holder, ttlMs) => thawed.then(async () => store.acquire(name, holder, ttlMs)),
    release: async (name, holder) => store.release(name, holder),
    holderOf: async (name) => store.holderOf(name),
  };
}

describe.skipIf(!available)('leased work', () => {
  it('runs on one node; another takes over within the lease after the holder freezes; a clean stop hands over at once', async () => {
    const db = await createTestDatabase();
    cleanups.push(async () => db.drop());
    const [storeA, storeB] = await Promise.all([PostgresLeaseStore.open(db.url), PostgresLeaseStore.open(db.url)]);
    cleanups.push(async () => storeA.close(), async () => storeB.close());
    const logger = pino({ level: 'silent' });
    const active = new Set<string>();
    const work = (node: string) => ({
      start() {
        active.add(node);
        return { stop: async () => void active.delete(node) };
      },
    });
    const nodeA = freezable(storeA);
    const timing = { ttlMs: 900, renewMs: 200 };
    const a = runLeased(nodeA, 'delivery', 'node-a', work('a'), timing, logger);
    await until(() => a.holding(), 5000);
    const b = runLeased(storeB, 'delivery', 'node-b', work('b'), timing, logger);
    // B keeps trying while A renews: the work stays on A alone.
    await new Promise((r) => setTimeout(r, 1200));
    expect([...active]).toEqual(['a']);
    expect(await storeB.holderOf('delivery')).toBe('node-a');

    nodeA.freeze();
    // Once A's lease has expired (no timing asserted: the machine may be slow).
    await until(() => b.holding(), 30_000);
    expect(await storeB.holderOf('delivery')).toBe('node-b');
    // A comes back: its renewal fails, so its work stops; it does not take the lease back.
    nodeA.thaw();
    await until(() => !a.holding(), 30_000);
    expect([...active]).toEqual(['b']);

    await b.stop();
    expect(await storeB.holderOf('delivery')).toBeUndefined();
    // A clean stop hands over without waiting for expiry.
    await until(() => a.holding(), 30_000);
    await a.stop();
    expect(active.size).toBe(0);
  });
});
