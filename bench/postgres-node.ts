/**
 * One OpenTrail "node" of the PostgreSQL ingest bench, as its own OS process (forked by
 * postgres.bench.ts): its own PostgresEventStore on the shared database, N concurrent appenders
 * over this node's share of the batches; reports acks, wall time and its own CPU time.
 */
import { PostgresEventStore } from '../src/store/postgres/event-store.js';
import type { PreparedEvent } from '../src/store/event-store.js';
import { syntheticEvents } from './support/synthetic.js';

export interface NodeJob { url: string; events: number; batch: number; startMs: number; spanMs: number; node: number; nodes: number; appenders: number }
export interface NodeResult { acked: number; seconds: number; cpuMs: number }

process.once('message', (job: NodeJob) => {
  void (async () => {
    const all = [...syntheticEvents(job.events, job.startMs, job.spanMs)];
    const mine: PreparedEvent[][] = [];
    for (let b = job.node; b * job.batch < all.length; b += job.nodes) mine.push(all.slice(b * job.batch, (b + 1) * job.batch));
    const store = await PostgresEventStore.open(job.url, { poolSize: 4 });
    process.send!('ready');
    await new Promise((resolve) => process.once('message', resolve));
    let next = 0;
    let acked = 0;
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: job.appenders }, async () => {
        for (let i = next++; i < mine.length; i = next++) {
          // read acked after the await: `acked += await …` would add to a stale value
          const result = await store.append(mine[i]!);
          acked += result.events.length;
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const used = process.cpuUsage(cpu);
    await store.close();
    process.send!({ acked, seconds, cpuMs: (used.user + used.system) / 1000 } satisfies NodeResult, () => process.exit(0));
  })().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
});
