/**
 * The event log on PostgreSQL, for several OpenTrail nodes over one database (issue [scale-out];
 * not yet selectable in configuration: the other ports are still SQLite only).
 *
 * Ordering across nodes: a position is assigned under the lock of the one log_head row, taken
 * by the appending transaction and held until it commits. Two appends therefore commit in the
 * order of their positions, so a consumer reading by position (readAfter, readRange) never
 * sees a position become visible after a later one: nothing is skipped. The price is that
 * appends from all nodes are serialised through that row for the length of their insert; each
 * node group-commits (every append waiting when a commit starts goes into it) to keep that short.
 *
 * Durability: an append is answered after COMMIT, which with PostgreSQL's default
 * synchronous_commit is after the WAL is flushed.
 *
 * Announcements: each commit also NOTIFYs `opentrail_appended`, and every store LISTENs on a
 * connection of its own, so onAppended listeners (the console's live tail, forwarding) hear of
 * appends made by any node, not only their own.
 */
import pg from 'pg';
import type { Client, Pool, PoolClient } from 'pg';
import type { StateChange } from '../state-change.js';
import type { AppendResult, EventStore, LogEntry, LookupQuery, PreparedEvent, StoredEvent, VolumeBucket, VolumeQuery } from '../event-store.js';
import { StoreOverloadedError } from '../event-store.js';
import { buildLookupSql, buildVolumeSql } from '../sqlite/lookup-sql.js';
import { createEventSchema } from './schema.js';

export interface PostgresEventStoreOptions {
  /** Events waiting to be committed beyond which appends are refused (StoreOverloadedError). */
  maxPendingEvents?: number;
  /** Connections in the pool (one of them appends at a time). */
  poolSize?: number;
}

interface Pending {
  events: readonly PreparedEvent[];
  resolve: (result: AppendResult) => void;
  reject: (error: Error) => void;
}

/** A call's state changes are not applied by this adapter yet: such an append is refused, nothing stored. */
export class UnsupportedOnPostgresError extends Error {
  constructor(what: string) {
    super(`${what} is not supported by the PostgreSQL event store yet`);
    this.name = 'UnsupportedOnPostgresError';
  }
}

type Row = [string, string, string, string, string, number];

function logEntry([seq, accountId, region, time, json, toTrails]: Row): LogEntry {
  return { seq: Number(seq), accountId, region, timeMs: Number(time), json, deliverToTrails: toTrails === 1 };
}

const ENTRY_COLUMNS = 'seq, account_id, region, event_time, record, to_trails';
const APPENDED_CHANNEL = 'opentrail_appended';

export class PostgresEventStore implements EventStore {
  readonly #pool: Pool;
  readonly #listener: Client;
  readonly #maxPending: number;
  #queue: Pending[] = [];
  #pendingEvents = 0;
  #flushing: Promise<void> | undefined;
  #closed = false;
  readonly #listeners = new Set<() => void>();

  private constructor(pool: Pool, listener: Client, options: PostgresEventStoreOptions) {
    this.#pool = pool;
    this.#listener = listener;
    this.#maxPending = options.maxPendingEvents ?? 100_000;
    listener.on('notification', () => this.#announce());
  }

  /** Connects, creates the schema if it is not there, and answers the store. */
  static async open(url: string, options: PostgresEventStoreOptions = {}): Promise<PostgresEventStore> {
    const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 4 });
    // An idle connection the server dropped must not crash the process; the next query reconnects.
    pool.on('error', () => undefined);
    try {
      const client = await pool.connect();
      try {
        await createEventSchema(client);
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end();
      throw error;
    }
    const listener = new pg.Client({ connectionString: url });
    // A dropped listening connection only delays announcements: consumers also poll.
    listener.on('error', () => undefined);
    try {
      await listener.connect();
      await listener.query(`LISTEN ${APPENDED_CHANNEL}`);
    } catch (error) {
      await Promise.all([pool.end(), listener.end().catch(() => undefined)]);
      throw error;
    }
    return new PostgresEventStore(pool, listener, options);
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
    if (changes.length > 0) throw new UnsupportedOnPostgresError('Applying state changes with a record');
    const size = Math.max(events.length, 1);
    if (this.#pendingEvents + size > this.#maxPending) throw new StoreOverloadedError(this.#pendingEvents);
    this.#pendingEvents += size;
    return new Promise<AppendResult>((resolve, reject) => {
      this.#queue.push({
        events,
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
        const results = await this.#commit(batch.map((p) => p.events));
        batch.forEach((p, i) => p.resolve(results[i]!));
        // This node's own listeners at once; the others (and these again) by the NOTIFY.
        this.#announce();
      } catch (error) {
        for (const p of batch) p.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
    this.#flushing = undefined;
  }

  async #commit(groups: readonly (readonly PreparedEvent[])[]): Promise<AppendResult[]> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      try {
        const results = await this.#insert(client, groups);
        await client.query('COMMIT');
        return results;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    } finally {
      client.release();
    }
  }

  /** Inside the transaction: take the head's lock, give positions, insert rows and resources. */
  async #insert(client: PoolClient, groups: readonly (readonly PreparedEvent[])[]): Promise<AppendResult[]> {
    const head = await client.query<{ last_seq: string }>('SELECT last_seq FROM log_head WHERE id = 1 FOR UPDATE');
    let seq = Number(head.rows[0]!.last_seq);
    const key = (e: PreparedEvent) => `${e.accountId}\u0000${e.region}\u0000${e.keys.eventId}`;
    const idempotent = groups.flat().filter((e) => e.idempotent === true);
    // Earlier events with the same eventID, stored already (the batch's own are found below).
    const known = new Map<string, number>();
    if (idempotent.length > 0) {
      const found = await client.query<{ a: string; r: string; i: string; seq: string }>(
        `SELECT e.account_id AS a, e.region AS r, e.event_id AS i, min(e.seq) AS seq
           FROM events e JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(a, r, i) ON e.account_id = k.a AND e.region = k.r AND e.event_id = k.i
          GROUP BY 1, 2, 3`,
        [idempotent.map((e) => e.accountId), idempotent.map((e) => e.region), idempotent.map((e) => e.keys.eventId)],
      );
      for (const row of found.rows) known.set(`${row.a}\u0000${row.r}\u0000${row.i}`, Number(row.seq));
    }
    const rows: { seq: number; event: PreparedEvent }[] = [];
    const results = groups.map((events) => ({
      events: events.map((event) => {
        const original = event.idempotent === true ? known.get(key(event)) : undefined;
        if (original !== undefined) return { seq: original, eventId: event.keys.eventId, duplicate: true };
        seq++;
        if (!known.has(key(event))) known.set(key(event), seq);
        rows.push({ seq, event });
        return { seq, eventId: event.keys.eventId, duplicate: false };
      }),
    }));
    if (rows.length > 0) {
      const column = <T>(f: (r: { seq: number; event: PreparedEvent }) => T) => rows.map(f);
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
      if (resources.length > 0) {
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
      await client.query('UPDATE log_head SET last_seq = $1 WHERE id = 1', [seq]);
      // Delivered to every listening node when (and only if) this transaction commits.
      await client.query(`SELECT pg_notify('${APPENDED_CHANNEL}', '')`);
    }
    return results;
  }

  async lookup(query: LookupQuery): Promise<StoredEvent[]> {
    const { sql, params } = buildLookupSql(query, 'postgres');
    const result = await this.#pool.query<[string, string, string]>({ text: sql, values: params, rowMode: 'array' });
    return result.rows.map(([seq, time, json]) => ({ seq: Number(seq), timeMs: Number(time), json }));
  }

  async volume(query: VolumeQuery, periodMs: number): Promise<VolumeBucket[]> {
    const originMs = Math.floor(query.startMs / periodMs) * periodMs;
    const { sql, params } = buildVolumeSql(query, periodMs, originMs, 'postgres');
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
    const result = await this.#pool.query('DELETE FROM events WHERE event_time < $1', [cutoffMs]);
    return result.rowCount ?? 0;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    while (this.#flushing !== undefined) await this.#flushing;
    await Promise.all([this.#pool.end(), this.#listener.end().catch(() => undefined)]);
  }
}
