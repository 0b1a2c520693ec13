/**
 * LookupEvents on PostgreSQL with a large history (issue [scale-out]): p50/p99 of the event
 * store's lookup (PostgresEventStore, pool, row mapping) beside the same SQL sent raw on one
 * connection, and the same queries on SQLite over the same rows, all in this run. The rows are
 * COPYed into PostgreSQL (then ANALYZE) and appended to SQLite through its store.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { join } from 'node:path';
import { loadConfig } from '../src/config/config.js';
import { systemClock } from '../src/core/clock.js';
import { openStores } from '../src/server/open-stores.js';
import type { LookupQuery, PreparedEvent } from '../src/store/event-store.js';
import { PostgresEventStore } from '../src/store/postgres/event-store.js';
import { EventPartitions } from '../src/store/postgres/event-partitions.js';
import { applySchema } from '../src/store/postgres/schema.js';
import { buildLookupSql as buildPostgresLookupSql } from '../src/store/postgres/lookup-sql.js';
import { buildLookupSql } from '../src/store/sqlite/lookup-sql.js';
import { createTestDatabase, POSTGRES_URL } from '../test/support/postgres.js';
import { copyEvents } from './postgres-copy.js';
import { ms, summarize, table, timeEach } from './support/stats.js';
import { BENCH_ACCOUNT, USERS, syntheticEvents } from './support/synthetic.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const CHUNK = 10_000;
/** Bound on the whole load, so a slow shared machine ends the bench rather than running on. */
const LOAD_LIMIT_MS = 20 * 60_000;

export interface PostgresLookupBenchOptions {
  dataDir: string;
  events: number;
  queries: number;
}

type Shape = { name: string; query: (i: number, now: number) => LookupQuery };

const base = (now: number) => ({ accountId: BENCH_ACCOUNT, region: 'us-east-1', startMs: now - 90 * DAY, endMs: now, insights: false, limit: 51 });

const shapes: Shape[] = [
  { name: 'one attribute (Username)', query: (i, now) => ({ ...base(now), attributes: [{ key: 'Username', value: `user-${i % USERS}` }] }) },
  {
    name: 'two attributes (Username, ReadOnly)',
    query: (i, now) => ({ ...base(now), attributes: [{ key: 'Username', value: `user-${i % USERS}` }, { key: 'ReadOnly', value: 'true' }] }),
  },
  {
    name: 'time range (one hour, no attribute)',
    query: (i, now) => {
      const end = now - ((i * 7) % (29 * 24)) * HOUR;
      return { ...base(now), attributes: [], startMs: end - HOUR, endMs: end };
    },
  },
];

export async function postgresLookupBench(options: PostgresLookupBenchOptions): Promise<string> {
  const probe = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await probe.connect();
  } catch (error) {
    return `PostgreSQL LookupEvents: skipped, ${POSTGRES_URL} did not answer (${(error as Error).message})`;
  } finally {
    await probe.end().catch(() => undefined);
  }
  const now = Date.now();
  const db = await createTestDatabase();
  const sqliteStores = await openStores(loadConfig({ dataDir: options.dataDir }, {}), systemClock);
  let store: PostgresEventStore | undefined;
  const raw = new pg.Client({ connectionString: db.url });
  try {
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    await applySchema(pool);
    // The event tables are partitioned by day: the store makes a day's partition before its first append.
    await new EventPartitions(pool).ensure(Array.from({ length: 32 }, (_, d) => now - d * DAY));
    await pool.end();
    await raw.connect();
    const loadStart = Date.now();
    let pgMs = 0;
    let seq = 1;
    let chunk: PreparedEvent[] = [];
    const flush = async () => {
      if (Date.now() - loadStart > LOAD_LIMIT_MS) throw new Error(`PostgreSQL LookupEvents: load exceeded ${LOAD_LIMIT_MS / 60_000} minutes`);
      const t = Date.now();
      await raw.query('BEGIN');
      await copyEvents(raw, chunk, seq);
      await raw.query('COMMIT');
      pgMs += Date.now() - t;
      seq += chunk.length;
      for (let i = 0; i < chunk.length; i += 5000) await sqliteStores.events.append(chunk.slice(i, i + 5000));
      chunk = [];
    };
    for (const event of syntheticEvents(options.events, now - 30 * DAY, 30 * DAY - 60_000)) {
      chunk.push(event);
      if (chunk.length === CHUNK) await flush();
    }
    if (chunk.length > 0) await flush();
    await raw.query('UPDATE log_head SET last_seq = $1 WHERE id = 1', [seq - 1]);
    const analyzeStart = Date.now();
    await raw.query('ANALYZE');
    const analyzeMs = Date.now() - analyzeStart;
    await sqliteStores.close();
    store = await PostgresEventStore.open(db.url, { poolSize: 4 });
    const sqlite = new Database(join(options.dataDir, 'opentrail.db'), { readonly: true });
    const rows: string[][] = [];
    try {
      const paging: Shape = {
        name: 'second page (Username, after the first page)',
        query: (i) => ({ ...base(now), attributes: [{ key: 'Username', value: `user-${i % USERS}` }] }),
      };
      // The second page starts after the first page's 50th event, found once per user beforehand.
      const firstPages = await Promise.all(Array.from({ length: USERS }, async (_, u) => store!.lookup(paging.query(u, now))));
      const pagingShape: Shape = { name: paging.name, query: (i) => ({ ...paging.query(i, now), after: firstPages[i % USERS]![49] ?? undefined }) };
      for (const shape of [...shapes, pagingShape]) {
        const q = (i: number) => shape.query(i, now);
        await store.lookup(q(0));
        const viaStore = summarize(await timeEach(options.queries, async (i) => store!.lookup(q(i))));
        const viaRaw = summarize(
          await timeEach(options.queries, async (i) => {
            const { sql, params } = buildPostgresLookupSql(q(i));
            return raw.query({ text: sql, values: params, rowMode: 'array' });
          }),
        );
        const viaSqlite = summarize(
          await timeEach(options.queries, (i) => {
            const { sql, params } = buildLookupSql(q(i));
            return sqlite.prepare(sql).raw().all(...params);
          }),
        );
        rows.push([shape.name, String(options.queries), ms(viaStore.p50), ms(viaStore.p99), ms(viaRaw.p50), ms(viaRaw.p99), ms(viaSqlite.p50), ms(viaSqlite.p99)]);
      }
    } finally {
      sqlite.close();
    }
    return [
      `PostgreSQL LookupEvents over ${options.events.toLocaleString('en-US')} events (COPY load ${Math.round(options.events / (pgMs / 1000)).toLocaleString('en-US')} events/s, ANALYZE ${(analyzeMs / 1000).toFixed(1)} s), 50 results per page, store only (no HTTP)`,
      table(['query', 'n', 'PG store p50', 'PG store p99', 'PG raw SQL p50', 'PG raw SQL p99', 'SQLite raw SQL p50', 'SQLite raw SQL p99'], rows),
    ].join('\n');
  } finally {
    await store?.close();
    await raw.end().catch(() => undefined);
    await sqliteStores.close().catch(() => undefined);
    await db.drop();
  }
}
