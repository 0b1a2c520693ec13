/**
 * The PostgreSQL event log's append rate (issue [scale-out], the store alone, no HTTP): one
 * store with 8 concurrent appenders, and two stores (as two nodes) with 4 each, batches of 100
 * events, every append acknowledged after COMMIT; beside the raw batched insert of the same rows
 * into the same schema and indexes (one multi-row INSERT … unnest per table and batch, one
 * commit per batch, one connection), measured in the same run on the same database server.
 */
import { fork } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { PreparedEvent } from '../src/store/event-store.js';
import { EventPartitions } from '../src/store/postgres/event-partitions.js';
import { applySchema } from '../src/store/postgres/schema.js';
import { createTestDatabase, POSTGRES_URL } from '../test/support/postgres.js';
import { copyEvents } from './postgres-copy.js';
import type { NodeJob, NodeResult } from './postgres-node.js';
import { table } from './support/stats.js';
import { syntheticEvents } from './support/synthetic.js';

const BATCH = 100;
const DAY = 86_400_000;

export interface PostgresBenchOptions {
  events: number;
}

function batches(events: number, startMs: number): PreparedEvent[][] {
  const all = [...syntheticEvents(events, startMs, DAY - 60_000)];
  const out: PreparedEvent[][] = [];
  for (let i = 0; i < all.length; i += BATCH) out.push(all.slice(i, i + BATCH));
  return out;
}

async function rawInsert(url: string, work: PreparedEvent[][]): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  await applySchema(pool);
  // The event tables are partitioned by day: the store makes a day's partition before its first append.
  await new EventPartitions(pool).ensure(work.flat().map((e) => e.keys.eventTimeMs));
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

/** CPU seconds so far of every process named postgres (the server's backends and workers; other sessions' too). */
function postgresCpuSeconds(): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // children's times too: a backend that has ended is counted in the postmaster's
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    } catch {
      // the process ended between readdir and read
    }
  }
  return ticks / 100;
}

async function commits(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query<{ n: string }>('SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()');
    return Number(r.rows[0]!.n);
  } finally {
    await client.end();
  }
}

interface NodesRun { seconds: number; acked: number; nodeCpu: number; pgCpu: number; commits: number; states: Map<string, number> }

/**
 * What the bench database's client backends are doing, sampled every 10 ms: waiting for a lock
 * (the log head's row), flushing WAL at commit, running, or idle in a transaction (a node's turn,
 * e.g. the round trip between statements while the head is held). Mean backends per state.
 */
function sampleActivity(url: string): { stop(): Promise<Map<string, number>> } {
  const client = new pg.Client({ connectionString: url });
  // The database may be dropped under it when a run fails: that must not crash the bench.
  client.on('error', () => undefined);
  const counts = new Map<string, number>();
  let samples = 0;
  let running = true;
  const loop = (async () => {
    await client.connect();
    while (running) {
      const r = await client.query<{ state: string; n: string }>(
        `SELECT CASE
           WHEN wait_event_type = 'Lock' THEN 'lock wait'
           WHEN wait_event LIKE 'WAL%' THEN 'WAL flush'
           WHEN state = 'idle in transaction' THEN 'in transaction, waiting on node'
           WHEN state = 'active' AND wait_event IS NULL THEN 'running'
           WHEN state = 'active' THEN 'other wait (' || wait_event || ')'
           ELSE 'idle' END AS state, count(*) AS n
         FROM pg_stat_activity
         WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid() AND query NOT LIKE 'LISTEN%'
         GROUP BY 1`,
      );
      samples++;
      for (const row of r.rows) counts.set(row.state, (counts.get(row.state) ?? 0) + Number(row.n));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })().finally(async () => client.end().catch(() => undefined));
  return {
    async stop() {
      running = false;
      await loop;
      return new Map([...counts].map(([k, v]) => [k, v / Math.max(1, samples)]));
    },
  };
}

/** Nodes as OS processes, each with its own store and appenders, started together. */
async function nodeProcesses(url: string, events: number, startMs: number, nodes: number, appenders: number): Promise<NodesRun> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  await applySchema(pool);
  await pool.end();
  const script = fileURLToPath(new URL('./postgres-node.js', import.meta.url));
  const children = Array.from({ length: nodes }, () => fork(script, [], { stdio: 'inherit' }));
  const results: Promise<NodeResult>[] = [];
  let activity: ReturnType<typeof sampleActivity> | undefined;
  try {
    await Promise.all(
      children.map(async (child, node) => {
        const job: NodeJob = { url, events, batch: BATCH, startMs, spanMs: DAY - 60_000, node, nodes, appenders };
        const ready = new Promise<void>((resolve, reject) => {
          child.once('message', () => resolve());
          child.once('exit', (code) => reject(new Error(`node ${node} exited (${code})`)));
        });
        child.send(job);
        await ready;
      }),
    );
    const commitsBefore = await commits(url);
    const pgBefore = postgresCpuSeconds();
    activity = sampleActivity(url);
    const start = process.hrtime.bigint();
    let pgAfter = 0;
    for (const child of children) {
      results.push(
        new Promise<NodeResult>((resolve) => {
          child.once('message', (r: NodeResult) => {
            pgAfter = postgresCpuSeconds();
            resolve(r);
          });
        }),
      );
      child.send('go');
    }
    const done = await Promise.race([Promise.all(results), new Promise<never>((_, reject) => setTimeout(() => reject(new Error('node processes: timed out')), 600_000).unref())]);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const states = await activity.stop();
    return {
      seconds,
      states,
      acked: done.reduce((n, r) => n + r.acked, 0),
      nodeCpu: done.reduce((n, r) => n + r.cpuMs, 0) / 1000,
      pgCpu: pgAfter - pgBefore,
      commits: (await commits(url)) - commitsBefore - 1,
    };
  } finally {
    await activity?.stop().catch(() => undefined);
    for (const child of children) if (child.exitCode === null) child.kill();
  }
}

async function rawCopy(url: string, work: PreparedEvent[][]): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  await applySchema(pool);
  await new EventPartitions(pool).ensure(work.flat().map((e) => e.keys.eventTimeMs));
  await pool.end();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let seq = 1;
  const start = process.hrtime.bigint();
  for (const batch of work) {
    await client.query('BEGIN');
    await copyEvents(client, batch, seq);
    await client.query('COMMIT');
    seq += batch.length;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await client.end();
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
  const startMs = Date.now() - DAY;
  const work = batches(options.events, startMs);
  const rows: string[][] = [];
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const dbs = await Promise.all([createTestDatabase(), createTestDatabase(), createTestDatabase(), createTestDatabase()]);
  const runs: NodesRun[] = [];
  try {
    const copy = options.events / (await rawCopy(dbs[0].url, work));
    rows.push(['raw COPY FROM STDIN, 1 connection, commit per batch', fmt(copy), '1.00', '', '', '', '']);
    const raw = options.events / (await rawInsert(dbs[1].url, work));
    rows.push(['raw INSERT … unnest, 1 connection, commit per batch', fmt(raw), (raw / copy).toFixed(2), '', '', '', '']);
    for (const [i, [nodes, appenders]] of ([[1, 8], [2, 4]] as const).entries()) {
      const run = await nodeProcesses(dbs[i + 2]!.url, options.events, startMs, nodes, appenders);
      if (run.acked !== options.events) throw new Error(`node processes acknowledged ${run.acked} of ${options.events} events`);
      runs.push(run);
      const r = run.acked / run.seconds;
      rows.push([
        `PostgresEventStore, ${nodes} node process${nodes > 1 ? 'es' : ''} × ${appenders} appenders`,
        fmt(r),
        (r / copy).toFixed(2),
        `${Math.round((100 * run.nodeCpu) / run.seconds)}%`,
        `${Math.round((100 * run.pgCpu) / run.seconds)}%`,
        fmt(run.commits),
        (run.acked / Math.max(1, run.commits)).toFixed(0),
      ]);
    }
  } finally {
    for (const db of dbs) await db.drop();
  }
  const twoVsOne = runs.length === 2 ? (runs[1]!.acked / runs[1]!.seconds / (runs[0]!.acked / runs[0]!.seconds)).toFixed(2) : 'n/a';
  const stateNames = [...new Set(runs.flatMap((r) => [...r.states.keys()]))].sort();
  const activityRows = stateNames.map((name) => [name, ...runs.map((r) => (r.states.get(name) ?? 0).toFixed(2))]);
  return [
    `PostgreSQL event log: ${options.events.toLocaleString('en-US')} events in appends of ${BATCH}, acknowledged after COMMIT (store only, no HTTP; each node its own OS process; CPU as % of one core over the run, postgres = every postgres process on the machine)`,
    table(['writer', 'events/s', 'ratio to COPY', 'node CPU', 'postgres CPU', 'commits', 'events/commit'], rows),
    `2 nodes / 1 node: ${twoVsOne}`,
    '',
    'What the store runs\' PostgreSQL backends were doing (mean backends in each state, pg_stat_activity sampled every 10 ms):',
    table(['backend state', '1 node', '2 nodes'], activityRows),
  ].join('\n');
}
