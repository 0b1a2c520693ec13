/**
 * The event log on PostgreSQL, for several OpenTrail nodes over one database.
 *
 * Ordering across nodes: a position is assigned under the lock of the one log_head row, taken
 * by the appending transaction and held until it commits. Two appends therefore commit in the
 * order of their positions, so a consumer reading by position (readAfter, readRange) never
 * sees a position become visible after a later one: nothing is skipped. The price is that
 * appends from all nodes are serialised through that row for the length of their insert; each
 * node group-commits (every append waiting when a commit starts goes into it) to keep that short.
 *
 * Retention drops whole days: the event tables are partitioned by day (event-partitions.ts).
 *
 * Durability: an append is answered after COMMIT, which with PostgreSQL's default
 * synchronous_commit is after the WAL is flushed.
 *
 * State changes: an append's staged changes (../state-change.ts) are applied in the same
 * transaction, after its events, in a savepoint of its own: one append whose change conflicts
 * is rolled back alone (its positions given back) and the others still commit, as on SQLite.
 * As every append holds the head's lock, changes from all nodes apply one at a time.
 *
 * Announcements: each commit also NOTIFYs `opentrail_appended`, and every store LISTENs on a
 * connection of its own, so onAppended listeners (the console's live tail, forwarding) hear of
 * appends made by any node, not only their own.
 */
import pg from 'pg';
import type { Client, Pool, PoolClient } from 'pg';
import { ChangeConflict } from '../change-conflict.js';
import type { StateChange } from '../state-change.js';
import { StateConflictError } from '../state-change.js';
import type { AppendResult, EventStore, LogEntry, LookupQuery, PreparedEvent, StoredEvent, VolumeBucket, VolumeQuery } from '../event-store.js';
import { StoreOverloadedError } from '../event-store.js';
import { buildLookupSql, buildVolumeSql } from './lookup-sql.js';
import { EventPartitions } from './event-partitions.js';
import { openPool } from './pool.js';
import { applySchema } from './schema.js';
import { applyStateChange } from './state-changes.js';

export interface PostgresEventStoreOptions {
  /** Events waiting to be committed beyond which appends are refused (StoreOverloadedError). */
  maxPendingEvents?: number;
  /** Connections in the pool (one of them appends at a time). */
  poolSize?: number;
}

interface Pending {
  events: readonly PreparedEvent[];
  changes: readonly StateChange[];
  resolve: (result: AppendResult) => void;
  reject: (error: Error) => void;
}

/** What one append of a commit came to: its positions, or why it alone was rolled back. */
type Outcome = { result: AppendResult } | { error: Error };

type Row = [string, string, string, string, string, number];

function logEntry([seq, accountId, region, time, json, toTrails]: Row): LogEntry {
  return { seq: Number(seq), accountId, region, timeMs: Number(time), json, deliverToTrails: toTrails === 1 };
}

const ENTRY_COLUMNS = 'seq, account_id, region, event_time, record, to_trails';
const APPENDED_CHANNEL = 'opentrail_appended';

export class PostgresEventStore implements EventStore {
  readonly #pool: Pool;
  readonly #listener: Client;
  readonly #ownsPool: boolean;
  readonly #partitions: EventPartitions;
  readonly #maxPending: number;
  #queue: Pending[] = [];
  #pendingEvents = 0;
  #flushing: Promise<void> | undefined;
  #closed = false;
  readonly #listeners = new Set<() => void>();

  private constructor(pool: Pool, listener: Client, options: PostgresEventStoreOptions, ownsPool: boolean) {
    this.#pool = pool;
    this.#listener = listener;
    this.#ownsPool = ownsPool;
    this.#partitions = new EventPartitions(pool);
    this.#maxPending = options.maxPendingEvents ?? 100_000;
    listener.on('notification', () => this.#announce());
  }

  /** Connects with a pool of its own, applies the schema if needed, and answers the store. */
  static async open(url: string, options: PostgresEventStoreOptions = {}): Promise<PostgresEventStore> {
    const pool = openPool(url, options.poolSize ?? 4);
    try {
      await applySchema(pool);
      return await PostgresEventStore.#listen(pool, url, options, true);
    } catch (error) {
      await pool.end();
      throw error;
    }
  }

  /** Over a pool the other adapters share (its schema applied already); closing the store leaves the pool open. */
  static async over(pool: Pool, url: string, options: PostgresEventStoreOptions = {}): Promise<PostgresEventStore> {
    return PostgresEventStore.#listen(pool, url, options, false);
  }

  static async #listen(pool: Pool, url: string, options: PostgresEventStoreOptions, ownsPool: boolean): Promise<PostgresEventStore> {
    const listener = new pg.Client({ connectionString: url });
    // A dropped listening connection only delays announcements: consumers also poll.
    listener.on('error', () => undefined);
    try {
      await listener.connect();
      await listener.query(`LISTEN ${APPENDED_CHANNEL}`);
    } catch (error) {
      await listener.end().catch(() => undefined);
      throw error;
    }
    return new PostgresEventStore(pool, listener, options, ownsPool);
  }

  #announce(): void {
    for (const listener of this.#listeners) listener();
  }

  onAppended(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async append(events: readonly PreparedEvent[], changes: readonly StateChange[] = []): Promise<AppendResult> {
    if (this.#closed) throw new Error('event store is closed');
    const size = Math.max(events.length, 1);
    if (this.#pendingEvents + size > this.#maxPending) throw new StoreOverloadedError(this.#pendingEvents);
    this.#pendingEvents += size;
    return new Promise<AppendResult>((resolve, reject) => {
      this.#queue.push({
        events,
        changes,
        resolve: (result) => {
          this.#pendingEvents -= size;
          resolve(result);
        },
        reject: (error) => {
          this.#pendingEvents -= size;
          reject(error);
        },
      });
      this.#flushing ??= this.#flushAll();
    });
  }

  hasCapacity(events: number): boolean {
    return !this.#closed && this.#pendingEvents + Math.max(events, 1) <= this.#maxPending;
  }

  /** Commits what is queued, one transaction at a time, until the queue is empty. */
  async #flushAll(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue;
      this.#queue = [];
      try {
        const outcomes = await this.#commit(batch);
        batch.forEach((p, i) => {
          const outcome = outcomes[i]!;
          if ('result' in outcome) p.resolve(outcome.result);
          else p.reject(outcome.error);
        });
        // This node's own listeners at once; the others (and these again) by the NOTIFY.
        this.#announce();
      } catch (error) {
        for (const p of batch) p.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
    this.#flushing = undefined;
  }

  async #commit(batch: readonly Pending[]): Promise<Outcome[]> {
    await this.#partitions.ensure(batch.flatMap((p) => p.events.map((e) => e.keys.eventTimeMs)));
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      try {
        const outcomes = await this.#insert(client, batch);
        await client.query('COMMIT');
        return outcomes;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    } finally {
      client.release();
    }
  }

  /** Inside the transaction: take the head's lock, give positions, insert rows and resources, apply changes. */
  async #insert(client: PoolClient, batch: readonly Pending[]): Promise<Outcome[]> {
    const head = await client.query<{ last_seq: string }>('SELECT last_seq FROM log_head WHERE id = 1 FOR UPDATE');
    const headSeq = Number(head.rows[0]!.last_seq);
    let seq = headSeq;
    const known = await storedEventIds(client, batch.flatMap((p) => p.events.filter((e) => e.idempotent === true)));
    let rows: PositionedEvent[] = [];
    const place = (events: readonly PreparedEvent[]): AppendResult => ({
      events: events.map((event) => {
        const original = event.idempotent === true ? known.get(eventKey(event)) : undefined;
        if (original !== undefined) return { seq: original, eventId: event.keys.eventId, duplicate: true };
        seq++;
        if (event.idempotent === true) known.set(eventKey(event), seq);
        rows.push({ seq, event });
        return { seq, eventId: event.keys.eventId, duplicate: false };
      }),
    });
    const outcomes: Outcome[] = [];
    for (const pending of batch) {
      if (pending.changes.length === 0) {
        outcomes.push({ result: place(pending.events) });
        continue;
      }
      // An append with changes runs alone in a savepoint; the plain rows placed before it go in first.
      await insertRows(client, rows);
      rows = [];
      const before = seq;
      await client.query('SAVEPOINT append');
      try {
        const result = place(pending.events);
        await insertRows(client, rows);
        rows = [];
        await applyChanges(client, pending.changes, result);
        await client.query('RELEASE SAVEPOINT append');
        outcomes.push({ result });
      } catch (error) {
        await client.query('ROLLBACK TO SAVEPOINT append');
        seq = before;
        rows = [];
        outcomes.push({ error: error instanceof Error ? error : new Error(String(error)) });
      }
    }
    await insertRows(client, rows);
    if (seq !== headSeq) {
      // The NOTIFY rides on the head's update (one round trip less while the head is locked);
      // it is delivered to every listening node when (and only if) this transaction commits.
      await client.query(`UPDATE log_head SET last_seq = $1 WHERE id = 1 RETURNING pg_notify('${APPENDED_CHANNEL}', '')`, [seq]);
    }
    return outcomes;
  }

  async lookup(query: LookupQuery): Promise<StoredEvent[]> {
    const { sql, params } = buildLookupSql(query);
    const result = await this.#pool.query<[string, string, string]>({ text: sql, values: params, rowMode: 'array' });
    return result.rows.map(([seq, time, json]) => ({ seq: Number(seq), timeMs: Number(time), json }));
  }

  async volume(query: VolumeQuery, periodMs: number): Promise<VolumeBucket[]> {
    const originMs = Math.floor(query.startMs / periodMs) * periodMs;
    const { sql, params } = buildVolumeSql(query, periodMs, originMs);
    const result = await this.#pool.query<[string, string]>({ text: sql, values: params, rowMode: 'array' });
    return result.rows.map(([bucket, count]) => ({ startMs: originMs + Number(bucket) * periodMs, count: Number(count) }));
  }

  async readRange(accounts: string | readonly string[], afterSeq: number, untilSeq: number | undefined, limit: number): Promise<LogEntry[]> {
    const until = untilSeq ?? Number.MAX_SAFE_INTEGER;
    const result =
      typeof accounts === 'string'
        ? await this.#pool.query<Row>({
            text: `SELECT ${ENTRY_COLUMNS} FROM events WHERE account_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq LIMIT $4`,
            values: [accounts, afterSeq, until, limit],
            rowMode: 'array',
          })
        : await this.#pool.query<Row>({
            text: `SELECT ${ENTRY_COLUMNS} FROM events WHERE account_id = ANY($1::text[]) AND seq > $2 AND seq <= $3 ORDER BY seq LIMIT $4`,
            values: [accounts, afterSeq, until, limit],
            rowMode: 'array',
          });
    return result.rows.map(logEntry);
  }

  async readAfter(afterSeq: number, limit: number): Promise<LogEntry[]> {
    const result = await this.#pool.query<Row>({ text: `SELECT ${ENTRY_COLUMNS} FROM events WHERE seq > $1 ORDER BY seq LIMIT $2`, values: [afterSeq, limit], rowMode: 'array' });
    return result.rows.map(logEntry);
  }

  async lastSeq(): Promise<number> {
    // The head moves only at commit, so this is the highest committed position.
    const result = await this.#pool.query<{ last_seq: string }>('SELECT last_seq FROM log_head WHERE id = 1');
    return Number(result.rows[0]!.last_seq);
  }

  async purgeBefore(cutoffMs: number): Promise<number> {
    return this.#partitions.purgeBefore(cutoffMs);
  }


  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    while (this.#flushing !== undefined) await this.#flushing;
    await Promise.all([this.#ownsPool ? this.#pool.end() : undefined, this.#listener.end().catch(() => undefined)]);
  }
}

interface PositionedEvent {
  seq: number;
  event: PreparedEvent;
}

function eventKey(event: { accountId: string; region: string; keys: { eventId: string } }): string {
  return `${event.accountId}\u0000${event.region}\u0000${event.keys.eventId}`;
}

/** Positions of events already stored with the eventIDs of these (idempotent) ones. */
async function storedEventIds(client: PoolClient, idempotent: readonly PreparedEvent[]): Promise<Map<string, number>> {
  const known = new Map<string, number>();
  if (idempotent.length === 0) return known;
  const found = await client.query<{ a: string; r: string; i: string; seq: string }>(
    `SELECT e.account_id AS a, e.region AS r, e.event_id AS i, min(e.seq) AS seq
       FROM events e JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(a, r, i) ON e.account_id = k.a AND e.region = k.r AND e.event_id = k.i
      GROUP BY 1, 2, 3`,
    [idempotent.map((e) => e.accountId), idempotent.map((e) => e.region), idempotent.map((e) => e.keys.eventId)],
  );
  for (const row of found.rows) known.set(eventKey({ accountId: row.a, region: row.r, keys: { eventId: row.i } }), Number(row.seq));
  return known;
}

/** One multi-row insert for the events, and one for their resources. */
async function insertRows(client: PoolClient, rows: readonly PositionedEvent[]): Promise<void> {
  if (rows.length === 0) return;
  const column = <T>(f: (r: PositionedEvent) => T) => rows.map(f);
  await client.query(
    `INSERT INTO events (seq, account_id, region, event_time, is_insight, in_history, to_trails, event_id, event_name, read_only, username, event_source, access_key_id, record)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::int[], $6::int[], $7::int[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[])`,
    [
      column((r) => r.seq),
      column((r) => r.event.accountId),
      column((r) => r.event.region),
      column((r) => r.event.keys.eventTimeMs),
      column((r) => (r.event.keys.isInsight ? 1 : 0)),
      column((r) => (r.event.keys.inEventHistory ? 1 : 0)),
      column((r) => (r.event.deliverToTrails === false ? 0 : 1)),
      column((r) => r.event.keys.eventId),
      column((r) => r.event.keys.eventName),
      column((r) => r.event.keys.readOnly),
      column((r) => r.event.keys.username),
      column((r) => r.event.keys.eventSource),
      column((r) => r.event.keys.accessKeyId),
      column((r) => r.event.json),
    ],
  );
  const resources = rows.flatMap((r) => r.event.keys.resources.map((res) => ({ r, res })));
  if (resources.length === 0) return;
  await client.query(
    `INSERT INTO event_resources (seq, account_id, region, event_time, resource_type, resource_name)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[])`,
    [
      resources.map((x) => x.r.seq),
      resources.map((x) => x.r.event.accountId),
      resources.map((x) => x.r.event.region),
      resources.map((x) => x.r.event.keys.eventTimeMs),
      resources.map((x) => x.res.type),
      resources.map((x) => x.res.name),
    ],
  );
}

/**
 * A call's changes, after its events. The call's own record is the last event of its append;
 * only the gateway's journal entry comes without one (it is written before the call has an
 * outcome to record).
 */
async function applyChanges(client: PoolClient, changes: readonly StateChange[], result: AppendResult): Promise<void> {
  const callSeq = result.events.at(-1)?.seq;
  if (callSeq === undefined && !changes.every((change) => change.kind === 'openForwardedCall')) {
    throw new Error('state changes need the record of the call that makes them');
  }
  for (const change of changes) {
    try {
      await applyStateChange(client, change, callSeq ?? 0);
    } catch (error) {
      if (error instanceof ChangeConflict) throw new StateConflictError(change, error.reason);
      throw error;
    }
  }
}
