/**
 * The PostgreSQL event log: the EventStore contract (the suite SQLite passes), and ordering
 * across nodes: several stores (as several OpenTrail nodes would be) append at once while a
 * consumer reads by position; it must see every acknowledged event once, in order, none late.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { event, eventStoreSuite, query } from '../../../test/conformance/event-store.suite.js';
import { createTestDatabase, postgresAvailable } from '../../../test/support/postgres.js';
import pg from 'pg';
import { StateConflictError } from '../state-change.js';
import { PostgresEventStore } from './event-store.js';

const available = await postgresAvailable();
const drops: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const drop of drops) await drop();
});

async function freshDatabase(): Promise<string> {
  const db = await createTestDatabase();
  drops.push(async () => db.drop());
  return db.url;
}

describe.skipIf(!available)('PostgreSQL event store', () => {
  eventStoreSuite('postgres', {
    async open(options) {
      return PostgresEventStore.open(await freshDatabase(), options);
    },
  });

  it('two nodes starting together on an empty database both find the schema', async () => {
    const url = await freshDatabase();
    const [a, b] = await Promise.all([PostgresEventStore.open(url), PostgresEventStore.open(url)]);
    await a.append([event(1)]);
    expect(await b.lastSeq()).toBe(1);
    await Promise.all([a.close(), b.close()]);
  });

  it("announces one node's appends to the others' listeners", async () => {
    const url = await freshDatabase();
    const [a, b] = await Promise.all([PostgresEventStore.open(url), PostgresEventStore.open(url)]);
    const heard = new Promise<void>((resolve) => b.onAppended(resolve));
    await a.append([event(1)]);
    await heard;
    expect((await b.readAfter(0, 10)).map((e) => e.seq)).toEqual([1]);
    await Promise.all([a.close(), b.close()]);
  });

  it('rolls back only the append whose state change conflicts; the others of its commit stand', async () => {
    const store = await PostgresEventStore.open(await freshDatabase());
    const [plain, conflicting, after] = await Promise.allSettled([
      store.append([event(1)]),
      store.append([event(2)], [{ kind: 'closeForwardedCall', callId: 'never-opened' }]),
      store.append([event(3)]),
    ]);
    expect(plain).toMatchObject({ status: 'fulfilled', value: { events: [{ seq: 1 }] } });
    expect(conflicting).toMatchObject({ status: 'rejected', reason: expect.any(StateConflictError) as unknown });
    // The conflicting append's position was given back: no gap in the log.
    expect(after).toMatchObject({ status: 'fulfilled', value: { events: [{ seq: 2 }] } });
    expect((await store.readAfter(0, 10)).map((e) => (JSON.parse(e.json) as { requestID: string }).requestID)).toEqual(['req-1', 'req-3']);
    await store.close();
  });

  it('two nodes appending into new days at once, with lookups running, never deadlock', async () => {
    // A new day's partition locks both event tables; another node's append holds one of them
    // while it waits for the other. Creation must wait its turn, not deadlock the append.
    const url = await freshDatabase();
    const nodes = await Promise.all([PostgresEventStore.open(url), PostgresEventStore.open(url)]);
    const day = 86_400_000;
    const base = Date.UTC(2025, 0, 1);
    const days = 24;
    const resources = [{ ARN: 'arn:aws:s3:::bucket', type: 'AWS::S3::Bucket' }];
    const appends = nodes.flatMap((node, n) =>
      Array.from({ length: days }, async (_, d) => {
        const i = 1000 * n + 10 * d;
        const timeMs = base + d * day + 1000 * n;
        return node.append([event(i, { timeMs, resources }), event(i + 1, { timeMs: timeMs + 1, resources })]);
      }),
    );
    const lookups = nodes.map(async (node) => {
      for (let k = 0; k < days; k += 1) {
        await node.lookup(query({ attributes: [{ key: 'ResourceName', value: 'arn:aws:s3:::bucket' }], startMs: base, endMs: base + days * day }));
      }
    });
    const outcomes = await Promise.allSettled([...appends, ...lookups]);
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    expect(await nodes[0].lastSeq()).toBe(2 * days * 2);
    await Promise.all(nodes.map(async (node) => node.close()));
  });

  it('keeps events in day partitions, and retention drops the days before its cutoff whole', async () => {
    const url = await freshDatabase();
    const store = await PostgresEventStore.open(url);
    const day = 86_400_000;
    const base = Date.UTC(2026, 10, 1);
    await store.append([0, 1, 2].flatMap((d) => [event(10 * d + 1, { timeMs: base + d * day + 1000 }), event(10 * d + 2, { timeMs: base + d * day + 20 * 3600_000 })]));
    const partitions = async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const rows = await client.query<{ name: string }>("SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'events'::regclass ORDER BY 1");
      await client.end();
      return rows.rows.map((r) => r.name);
    };
    expect(await partitions()).toEqual(['events_p20261101', 'events_p20261102', 'events_p20261103']);
    // Cuts through the second day: the first goes whole, the second loses its early event.
    expect(await store.purgeBefore(base + day + 12 * 3600_000)).toBe(3);
    expect(await partitions()).toEqual(['events_p20261102', 'events_p20261103']);
    expect((await store.readAfter(0, 10)).map((e) => (JSON.parse(e.json) as { requestID: string }).requestID)).toEqual(['req-12', 'req-21', 'req-22']);
    // A dropped day is made again when an event of it arrives (an import of old records).
    await store.append([event(99, { timeMs: base + 5000 })]);
    expect(await partitions()).toEqual(['events_p20261101', 'events_p20261102', 'events_p20261103']);
    await store.close();
  });

  it('never lets a consumer reading by position skip an event appended concurrently by several nodes', async () => {
    const url = await freshDatabase();
    const nodes = await Promise.all([1, 2, 3].map(async () => PostgresEventStore.open(url, { poolSize: 3 })));
    const consumer = await PostgresEventStore.open(url, { poolSize: 1 });
    const acknowledged: number[] = [];
    let appending = true;
    // Each node: 40 concurrent writers, 10 appends each of 1-3 events: 1,200 appends in all.
    const writers = nodes.flatMap((node, n) =>
      Array.from({ length: 40 }, async (_, w) => {
        for (let i = 0; i < 10; i++) {
          const size = 1 + ((n + w + i) % 3);
          const result = await node.append(Array.from({ length: size }, (_, k) => event(n * 100_000 + w * 1000 + i * 10 + k)));
          acknowledged.push(...result.events.map((e) => e.seq));
        }
      }),
    );
    const done = Promise.all(writers).finally(() => (appending = false));
    const seen: number[] = [];
    let position = 0;
    const deadline = Date.now() + 120_000;
    while ((appending || position < (await consumer.lastSeq())) && Date.now() < deadline) {
      const entries = await consumer.readAfter(position, 97);
      for (const entry of entries) {
        // Positions come in order with no hole: a hole would be an event this reader skipped.
        expect(entry.seq).toBe(position + 1);
        position = entry.seq;
        seen.push(entry.seq);
      }
    }
    await done;
    expect(acknowledged.length).toBeGreaterThan(2000);
    expect(seen).toEqual([...acknowledged].sort((a, b) => a - b));
    await Promise.all([...nodes, consumer].map(async (s) => s.close()));
  });
});
