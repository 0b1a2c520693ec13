/**
 * The event log on SQLite. Appends are group-committed: every append() of the same turn of the
 * event loop joins one transaction, and all of them are answered after that single fsync.
 * better-sqlite3 is synchronous, so while a commit runs, new requests wait in socket buffers
 * and join the next batch: the batch grows with load by itself.
 */
import type { Statement } from 'better-sqlite3';
import type {
  AppendResult,
  EventStore,
  LookupQuery,
  PreparedEvent,
  StoredEvent,
} from '../event-store.js';
import { StoreOverloadedError } from '../event-store.js';
import type { SqliteDatabase } from './database.js';
import { buildLookupSql } from './lookup-sql.js';

interface PendingAppend {
  events: readonly PreparedEvent[];
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

export interface SqliteEventStoreOptions {
  /** Events allowed to wait for a commit before append() refuses more (back-pressure). */
  maxPendingEvents?: number;
}

export class SqliteEventStore implements EventStore {
  readonly #db: SqliteDatabase;
  readonly #maxPending: number;
  readonly #insertEvent: Statement;
  readonly #insertResource: Statement;
  readonly #findDedup: Statement;
  readonly #insertDedup: Statement;
  #pending: PendingAppend[] = [];
  #pendingEvents = 0;
  #flushScheduled = false;
  #closed = false;
  /** Lookup statements by SQL text; the number of distinct shapes is small and bounded. */
  readonly #lookupStatements = new Map<string, Statement>();

  constructor(db: SqliteDatabase, options: SqliteEventStoreOptions = {}) {
    this.#db = db;
    this.#maxPending = options.maxPendingEvents ?? 100_000;
    this.#insertEvent = db.prepare(
      `INSERT INTO events (account_id, region, event_time, is_insight, event_id, event_name, read_only, username, event_source, access_key_id, record)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#insertResource = db.prepare(
      `INSERT INTO event_resources (seq, account_id, region, event_time, resource_type, resource_name) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.#findDedup = db.prepare('SELECT seq, event_id FROM event_dedup WHERE dedup_key = ?').raw();
    this.#insertDedup = db.prepare('INSERT INTO event_dedup (dedup_key, seq, event_id) VALUES (?, ?, ?)');
  }

  append(events: readonly PreparedEvent[]): Promise<AppendResult> {
    if (this.#closed) return Promise.reject(new Error('event store is closed'));
    if (events.length === 0) return Promise.resolve({ events: [] });
    if (this.#pendingEvents + events.length > this.#maxPending) {
      return Promise.reject(new StoreOverloadedError(this.#pendingEvents));
    }
    return new Promise<AppendResult>((resolve, reject) => {
      this.#pending.push({ events, resolve, reject });
      this.#pendingEvents += events.length;
      if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        // setImmediate runs after pending I/O callbacks, so requests already read join this batch.
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#flushScheduled = false;
    const batch = this.#pending;
    this.#pending = [];
    this.#pendingEvents = 0;
    if (batch.length === 0) return;
    let results: AppendResult[];
    try {
      results = this.#db.transaction(() => batch.map((pending) => this.#insertAll(pending.events)))();
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    batch.forEach((pending, i) => pending.resolve(results[i]!));
  }

  #insertAll(events: readonly PreparedEvent[]): AppendResult {
    const appended: AppendResult['events'] = [];
    for (const event of events) {
      const k = event.keys;
      if (event.dedupKey !== undefined) {
        const original = this.#findDedup.get(event.dedupKey) as [number, string] | undefined;
        if (original !== undefined) {
          appended.push({ seq: original[0], eventId: original[1], duplicate: true });
          continue;
        }
      }
      const info = this.#insertEvent.run(
        event.accountId,
        event.region,
        k.eventTimeMs,
        k.isInsight ? 1 : 0,
        k.eventId,
        k.eventName,
        k.readOnly,
        k.username,
        k.eventSource,
        k.accessKeyId,
        event.json,
      );
      const seq = Number(info.lastInsertRowid);
      for (const resource of k.resources) {
        this.#insertResource.run(seq, event.accountId, event.region, k.eventTimeMs, resource.type, resource.name);
      }
      if (event.dedupKey !== undefined) this.#insertDedup.run(event.dedupKey, seq, k.eventId);
      appended.push({ seq, eventId: k.eventId, duplicate: false });
    }
    return { events: appended };
  }

  lookup(query: LookupQuery): Promise<StoredEvent[]> {
    const { sql, params } = buildLookupSql(query);
    let statement = this.#lookupStatements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql).raw();
      this.#lookupStatements.set(sql, statement);
    }
    const rows = statement.all(...params) as [number, number, string][];
    return Promise.resolve(rows.map(([seq, timeMs, json]) => ({ seq, timeMs, json })));
  }

  lastSeq(): Promise<number> {
    const row = this.#db.prepare('SELECT COALESCE(MAX(seq), 0) FROM events').pluck().get() as number;
    return Promise.resolve(row);
  }

  purgeBefore(cutoffMs: number): Promise<number> {
    // Resources go with their events (ON DELETE CASCADE).
    const info = this.#db.prepare('DELETE FROM events WHERE event_time < ?').run(cutoffMs);
    return Promise.resolve(info.changes);
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#flush();
    this.#closed = true;
    return Promise.resolve();
  }
}
