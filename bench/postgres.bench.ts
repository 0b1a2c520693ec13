/**
 * The PostgreSQL event log's append rate (issue [scale-out], the store alone, no HTTP): one
 * store with 8 concurrent appenders, and two stores (as two nodes) with 4 each, batches of 100
 * events, every append acknowledged after COMMIT; beside the raw batched insert of the same rows
 * into the same schema and indexes (one multi-row INSERT … unnest per table and batch, one
 * commit per batch, one connection), measured in the same run on the same database server.
 */
import pg from 'pg';
import type { PreparedEvent } from '../src/store/event-store.js';
import { PostgresEventStore } from '../src/store/postgres/event-store.js';
import { applySchema } from '../src/store/postgres/schema.js';
import { createTestDatabase, POSTGRES_URL } from '../test/support/postgres.js';
import { table } from './support/stats.js';
import { syntheticEvents } from './support/synthetic.js';

const BATCH = 100;
const DAY = 86_400_000;

export interface PostgresBenchOptions {
  events: number;
}

function batches(events: number): PreparedEvent[][] {
  const all = [...syntheticEvents(events, Date.now() - DAY, DAY - 60_000)];
  const out: PreparedEvent[][] = [];
  for (let i = 0; i < all.length; i += BATCH) out.push(all.slice(i, i + BATCH));
  return out;
}

async function rawInsert(url: string, work: PreparedEvent[][]): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  await applySchema(pool);
  await pool.end();
  let seq = 0;
  const start = process.hrtime.bigint();
  for (const batch of work) {
    await client.query('BEGIN');
    const seqs = batch.map(() => ++seq);
    await client.query(
      `INSERT INTO events (seq, account_id, region, event_time, is_insight, in_history, to_trails, event_id, event_name, read_only, username, event_source, access_key_id, record)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::int[], $6::int[], $7::int[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[])`,
      [
        seqs,
        batch.map((e) => e.accountId),
        batch.map((e) => e.region),
        batch.map((e) => e.keys.eventTimeMs),
        batch.map((e) => (e.keys.isInsight ? 1 : 0)),
        batch.map((e) => (e.keys.inEventHistory ? 1 : 0)),
        batch.map(() => 1),
        batch.map((e) => e.keys.eventId),
        batch.map((e) => e.keys.eventName),
        batch.map((e) => e.keys.readOnly),
        batch.map((e) => e.keys.username),
        batch.map((e) => e.keys.eventSource),
        batch.map((e) => e.keys.accessKeyId),
        batch.map((e) => e.json),
      ],
    );
    const resources = batch.flatMap((e, i) => e.keys.resources.map((r) => ({ seq: seqs[i]!, e, r })));
    if (resources.length > 0) {
      await client.query(
        `INSERT INTO event_resources (seq, account_id, region, event_time, resource_type, resource_name)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[])`,
        [resources.map((x) => x.seq), resources.map((x) => x.e.accountId), resources.map((x) => x.e.region), resources.map((x) => x.e.keys.eventTimeMs), resources.map((x) => x.r.type), resources.map((x) => x.r.name)],
      );
    }
    await client.query('COMMIT');
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await client.end();
  return seconds;
}

async function storeAppends(url: string, work: PreparedEvent[][], nodes: number, appendersPerNode: number): Promise<number> {
  const stores = await Promise.all(Array.from({ length: nodes }, async () => PostgresEventStore.open(url, { poolSize: 4 })));
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    stores.flatMap((store) =>
      Array.from({ length: appendersPerNode }, async () => {
        for (let i = next++; i < work.length; i = next++) await store.append(work[i]!);
      }),
    ),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await Promise.all(stores.map(async (s) => s.close()));
  return seconds;
}

export async function postgresBench(options: PostgresBenchOptions): Promise<string> {
  const probe = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await probe.connect();
  } catch (error) {
    return `PostgreSQL event log: skipped, ${POSTGRES_URL} did not answer (${(error as Error).message})`;
  } finally {
    await probe.end().catch(() => undefined);
  }
  const work = batches(options.events);
  const rows: string[][] = [];
  const rate = (s: number) => Math.round(options.events / s);
  const dbs = await Promise.all([createTestDatabase(), createTestDatabase(), createTestDatabase()]);
  try {
    const raw = rate(await rawInsert(dbs[0].url, work));
    rows.push(['raw batched INSERT … unnest, 1 connection, commit per batch', raw.toLocaleString('en-US'), '1.00']);
    for (const [i, [nodes, appenders]] of ([[1, 8], [2, 4]] as const).entries()) {
      const r = rate(await storeAppends(dbs[i + 1]!.url, work, nodes, appenders));
      rows.push([`PostgresEventStore, ${nodes} node${nodes > 1 ? 's' : ''} × ${appenders} appenders`, r.toLocaleString('en-US'), (r / raw).toFixed(2)]);
    }
  } finally {
    for (const db of dbs) await db.drop();
  }
  return [
    `PostgreSQL event log: ${options.events.toLocaleString('en-US')} events in appends of ${BATCH}, acknowledged after COMMIT (store only, no HTTP; both "nodes" in this process)`,
    table(['writer', 'events/s', 'ratio to raw'], rows),
  ].join('\n');
}
