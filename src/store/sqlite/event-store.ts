/**
 * The event log on SQLite. Appends go to a writer thread (writer-thread.ts) that owns the
 * write connection and group-commits; lookups read on the caller's connection, which WAL mode
 * lets run beside the writer. append() resolves when the writer reports the commit durable.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AppendResult, EventStore, LogEntry, LookupQuery, PreparedEvent, StoredEvent, VolumeBucket, VolumeQuery } from '../event-store.js';
import { StoreOverloadedError } from '../event-store.js';
import type { StateChange } from '../state-change.js';
import { StateConflictError } from '../state-change.js';
import type { SqliteDatabase } from './database.js';
import { buildLookupSql, buildVolumeSql } from './lookup-sql.js';
import { StatementCache } from './statement-cache.js';
import type { WriterData, WriterRequest, WriterResponse } from './writer-protocol.js';

interface PendingAppend {
  size: number;
  changes: readonly StateChange[];
  resolve: (result: AppendResult) => void;
  reject: (error: Error) => void;
}

const WRITER_YOUNG_GENERATION_MB = 8;

export interface SqliteEventStoreOptions {
  /** Events allowed to wait for a commit before append() refuses more (back-pressure). */
  maxPendingEvents?: number;
  /**
   * A chunk of the lookup index failed (the writer retries it). Nothing acknowledged is lost,
   * lookups scan the unindexed events meanwhile, but an index that keeps failing is an operator's
   * problem, so it is reported rather than dropped.
   */
  onIndexFailure?: (message: string) => void;
}

/**
 * The compiled writer thread. Running from TypeScript sources (the tests), it is the build's
 * copy under dist/, which `npm test` builds first.
 */
function writerScript(): URL {
  const compiled = new URL('./writer-thread.js', import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return compiled;
  const fromSource = fileURLToPath(import.meta.url).replace(/\/src\/store\/sqlite\/event-store\.ts$/, '/dist/src/store/sqlite/writer-thread.js');
  if (existsSync(fromSource)) return pathToFileURL(fromSource);
  throw new Error('the event log writer thread is not built; run `npm run build`');
}

export class SqliteEventStore implements EventStore {
  readonly #db: SqliteDatabase;
  readonly #maxPending: number;
  readonly #onIndexFailure: (message: string) => void;
  readonly #writer: Worker;
  readonly #pending = new Map<number, PendingAppend>();
  readonly #appendListeners: (() => void)[] = [];
  #pendingEvents = 0;
  #nextId = 1;
  #failure: Error | undefined;
  #closing: Promise<void> | undefined;
  /** Lookup statements; the number of distinct query shapes is small and bounded. */
  readonly #statements: StatementCache;

  constructor(db: SqliteDatabase, options: SqliteEventStoreOptions = {}) {
    this.#db = db;
    this.#statements = new StatementCache(db);
    this.#maxPending = options.maxPendingEvents ?? 100_000;
    this.#onIndexFailure = options.onIndexFailure ?? ((message) => process.stderr.write(`opentrail: the lookup index fell behind: ${message}\n`));
    const workerData: WriterData = { file: db.name };
    // A small young generation: the thread's garbage (each append's cloned records) is collected
    // in small scavenges instead of growing the process by tens of MB.
    this.#writer = new Worker(writerScript(), { workerData, resourceLimits: { maxYoungGenerationSizeMb: WRITER_YOUNG_GENERATION_MB } });
    this.#writer.on('message', (message: WriterResponse) => this.#onMessage(message));
    this.#writer.on('error', (error) => this.#fail(error));
    this.#writer.on('exit', (code) => {
      if (this.#closing === undefined) this.#fail(new Error(`event log writer thread exited with code ${code}`));
    });
  }

  #onMessage(message: WriterResponse): void {
    if (message.type === 'closed') return;
    // A failed index chunk is retried by the writer; lookups scan the unindexed tail meanwhile.
    if (message.type === 'indexFailed') {
      this.#onIndexFailure(message.message);
      return;
    }
    const pending = this.#pending.get(message.id);
    if (pending === undefined) return;
    this.#pending.delete(message.id);
    this.#pendingEvents -= pending.size;
    if (message.type === 'appended') {
      pending.resolve(message.result);
      for (const listener of this.#appendListeners) listener();
    }
    else if (message.conflict !== undefined) pending.reject(new StateConflictError(pending.changes[message.conflict.index]!, message.conflict.reason));
    else pending.reject(new Error(`appending to the event log failed: ${message.message}`));
  }

  /** The writer is gone: nothing pending can be acknowledged, and nothing new accepted. */
  #fail(error: Error): void {
    this.#failure ??= error;
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
    this.#pendingEvents = 0;
  }

  onAppended(listener: () => void): () => void {
    this.#appendListeners.push(listener);
    return () => {
      const index = this.#appendListeners.indexOf(listener);
      if (index >= 0) this.#appendListeners.splice(index, 1);
    };
  }

  async append(events: readonly PreparedEvent[], changes: readonly StateChange[] = []): Promise<AppendResult> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (this.#closing !== undefined) return Promise.reject(new Error('event store is closed'));
    if (events.length === 0 && changes.length === 0) return Promise.resolve({ events: [] });
    // A commit of changes alone (a forwarded call's journal entry) weighs one event, so an
    // overloaded log refuses it too: that is how a call is refused before it reaches an upstream.
    const size = Math.max(events.length, 1);
    if (this.#pendingEvents + size > this.#maxPending) {
      return Promise.reject(new StoreOverloadedError(this.#pendingEvents));
    }
    const id = this.#nextId++;
    this.#pendingEvents += size;
    return new Promise<AppendResult>((resolve, reject) => {
      this.#pending.set(id, { size, changes, resolve, reject });
      const request: WriterRequest = { type: 'append', id, events, changes };
      this.#writer.postMessage(request);
    });
  }

  hasCapacity(events: number): boolean {
    return this.#failure === undefined && this.#closing === undefined && this.#pendingEvents + Math.max(events, 1) <= this.#maxPending;
  }

  async lookup(query: LookupQuery): Promise<StoredEvent[]> {
    const { sql, params } = buildLookupSql(query);
    const rows = this.#statements.get(sql).raw().all(...params) as [number, number, string][];
    return Promise.resolve(rows.map(([seq, timeMs, json]) => ({ seq, timeMs, json })));
  }

  async volume(query: VolumeQuery, periodMs: number): Promise<VolumeBucket[]> {
    // Periods start on multiples of the period (whole minutes, hours, UTC days), not at startMs.
    const originMs = Math.floor(query.startMs / periodMs) * periodMs;
    const { sql, params } = buildVolumeSql(query, periodMs, originMs);
    const rows = this.#statements.get(sql).raw().all(...params) as [number, number][];
    return Promise.resolve(rows.map(([bucket, count]) => ({ startMs: originMs + bucket * periodMs, count })));
  }

  async readRange(accounts: string | readonly string[], afterSeq: number, untilSeq: number | undefined, limit: number): Promise<LogEntry[]> {
    const until = untilSeq ?? Number.MAX_SAFE_INTEGER;
    const columns = 'seq, account_id, region, event_time, record, to_trails';
    // One account: its own index, in seq order. Several (an organization's): the log itself in
    // seq order, filtered, so LIMIT stops the walk (an index per account would be merged and sorted whole).
    const rows = (
      typeof accounts === 'string'
        ? this.#statements
            .get(`SELECT ${columns} FROM events INDEXED BY events_by_account_seq WHERE account_id = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?`)
            .raw()
            .all(accounts, afterSeq, until, limit)
        : this.#statements
            .get(`SELECT ${columns} FROM events NOT INDEXED WHERE seq > ? AND seq <= ? AND account_id IN (SELECT value FROM json_each(?)) ORDER BY seq LIMIT ?`)
            .raw()
            .all(afterSeq, until, JSON.stringify(accounts), limit)
    ) as [number, string, string, number, string, number][];
    return Promise.resolve(rows.map(([seq, accountId, region, timeMs, json, toTrails]) => ({ seq, accountId, region, timeMs, json, deliverToTrails: toTrails === 1 })));
  }

  async readAfter(afterSeq: number, limit: number): Promise<LogEntry[]> {
    const rows = this.#statements
      .get('SELECT seq, account_id, region, event_time, record, to_trails FROM events WHERE seq > ? ORDER BY seq LIMIT ?')
      .raw()
      .all(afterSeq, limit) as [number, string, string, number, string, number][];
    return Promise.resolve(rows.map(([seq, accountId, region, timeMs, json, toTrails]) => ({ seq, accountId, region, timeMs, json, deliverToTrails: toTrails === 1 })));
  }

  async lastSeq(): Promise<number> {
    return Promise.resolve(this.#statements.get('SELECT COALESCE(MAX(seq), 0) FROM events').pluck().get() as number);
  }

  async purgeBefore(cutoffMs: number): Promise<number> {
    // Resources go with their events (ON DELETE CASCADE), index entries by their own time.
    // Another connection than the writer's: SQLite serialises the two, and busy_timeout makes
    // this wait its turn. The newest row stays whatever its time: positions are the rowid's
    // max + 1, and a purged newest row would hand its position out again, behind the indexer.
    const purge = this.#db.transaction(() => {
      const info = this.#db.prepare('DELETE FROM events WHERE event_time < ? AND seq < (SELECT MAX(seq) FROM events)').run(cutoffMs);
      this.#db.prepare('DELETE FROM event_keys WHERE event_time < ? AND seq < (SELECT MAX(seq) FROM events)').run(cutoffMs);
      return info.changes;
    });
    return Promise.resolve(purge.immediate());
  }

  /** Waits for every append already made to be answered, then stops the writer. */
  async close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      if (this.#failure !== undefined) {
        void this.#writer.terminate().then(() => resolve());
        return;
      }
      this.#writer.once('exit', () => resolve());
      const request: WriterRequest = { type: 'close' };
      this.#writer.postMessage(request);
    });
    return this.#closing;
  }
}
