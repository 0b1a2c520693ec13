/**
 * Keeps the lookup index (event_keys, ./lookup-index.ts) behind the event log: a consumer with
 * a cursor, event_index_head.last_seq, like every other reader of the log. It runs in the writer
 * thread, between group commits, so an append's acknowledgement waits for the events' rows and
 * fsync only, not for the B-tree work of their index entries.
 *
 * Indexing in chunks of thousands of events, sorted by key, writes each index page once per
 * chunk rather than once per commit. Lookups read the index up to the head and scan the rows
 * after it (lookup-sql.ts), so an acknowledged event is found before it is indexed.
 *
 * The index is derived data: its commits skip the fsync (synchronous=NORMAL; the next append's
 * fsync makes them durable). A crash loses at most index work, which the head makes redo.
 */
import type { Transaction } from 'better-sqlite3';
import type { LookupResource } from '../../core/lookup-keys.js';
import type { SqliteDatabase } from './database.js';
import type { IndexEntry, IndexedEvent } from './lookup-index.js';
import { compareEntries, indexEntriesOf } from './lookup-index.js';

/** Entries per INSERT: one statement call per hundred rows rather than per row. */
const ROWS_PER_INSERT = 100;

type EventRow = [seq: number, accountId: string, region: string, eventTime: number, isInsight: number, inHistory: number, eventId: string, eventName: string | null, username: string | null, eventSource: string | null, accessKeyId: string | null];

export class EventIndexer {
  readonly #db: SqliteDatabase;
  readonly #readEvents;
  readonly #readResources;
  readonly #insertEntry;
  readonly #insertEntries;
  readonly #setHead;
  readonly #addPartition;
  readonly #partitionId;
  /** event_partitions ids by account and region: few, and never renumbered. */
  readonly #partitions = new Map<string, number>();
  readonly #indexChunk: Transaction<(limit: number) => number | undefined>;
  #head: number;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#readEvents = db
      .prepare('SELECT seq, account_id, region, event_time, is_insight, in_history, event_id, event_name, username, event_source, access_key_id FROM events WHERE seq > ? ORDER BY seq LIMIT ?')
      .raw();
    this.#readResources = db.prepare('SELECT seq, resource_type, resource_name FROM event_resources WHERE seq > ? AND seq <= ?').raw();
    // OR IGNORE: an event with two resources of one type has one entry for the type.
    this.#insertEntry = db.prepare('INSERT OR IGNORE INTO event_keys (key, event_time, seq) VALUES (?, ?, ?)');
    this.#insertEntries = db.prepare(`INSERT OR IGNORE INTO event_keys (key, event_time, seq) VALUES ${Array(ROWS_PER_INSERT).fill('(?, ?, ?)').join(', ')}`);
    this.#setHead = db.prepare('UPDATE event_index_head SET last_seq = ? WHERE id = 1');
    this.#addPartition = db.prepare('INSERT OR IGNORE INTO event_partitions (account_id, region) VALUES (?, ?)');
    this.#partitionId = db.prepare('SELECT id FROM event_partitions WHERE account_id = ? AND region = ?').pluck();
    this.#head = db.prepare('SELECT last_seq FROM event_index_head WHERE id = 1').pluck().get() as number;
    this.#indexChunk = db.transaction((limit: number) => this.#index(limit));
  }

  /** Events up to this position have their index entries. */
  get head(): number {
    return this.#head;
  }

  /**
   * Indexes up to `limit` events after the head in one transaction; how far the head moved (0:
   * the index is level with the log). Must not be called inside another transaction.
   */
  indexNext(limit: number): number {
    // The pragma cannot change inside a transaction; it is set back before any append runs.
    this.#db.pragma('synchronous = NORMAL');
    try {
      const last = this.#indexChunk.immediate(limit);
      if (last === undefined) return 0;
      const indexed = last - this.#head;
      this.#head = last;
      return indexed;
    } catch (error) {
      // Partitions numbered in the rolled-back chunk may be numbered again otherwise.
      this.#partitions.clear();
      throw error;
    } finally {
      this.#db.pragma('synchronous = FULL');
    }
  }

  /** Indexes everything appended so far (at start, after a crash left a tail unindexed). */
  catchUp(chunk: number): void {
    while (this.indexNext(chunk) > 0);
  }

  /** The chunk's entries and the head moved past it; the new head, or undefined for none. */
  #index(limit: number): number | undefined {
    const rows = this.#readEvents.all(this.#head, limit) as EventRow[];
    if (rows.length === 0) return undefined;
    const last = rows.at(-1)![0];
    const resources = new Map<number, LookupResource[]>();
    for (const [seq, type, name] of this.#readResources.all(this.#head, last) as [number, string | null, string | null][]) {
      const list = resources.get(seq);
      if (list === undefined) resources.set(seq, [{ type, name }]);
      else list.push({ type, name });
    }
    const entries: IndexEntry[] = [];
    for (const row of rows) indexEntriesOf(indexedEvent(row, this.#partitionOf(row[1], row[2]), resources.get(row[0]) ?? []), entries);
    entries.sort(compareEntries);
    const whole = entries.length - (entries.length % ROWS_PER_INSERT);
    for (let i = 0; i < whole; i += ROWS_PER_INSERT) this.#insertEntries.run(entries.slice(i, i + ROWS_PER_INSERT).flat());
    for (let i = whole; i < entries.length; i++) this.#insertEntry.run(entries[i]!);
    this.#setHead.run(last);
    return last;
  }

  /** Inside the chunk's transaction: a partition made here goes if the chunk rolls back (see indexNext). */
  #partitionOf(accountId: string, region: string): number {
    const name = `${accountId}\u0000${region}`;
    let id = this.#partitions.get(name);
    if (id === undefined) {
      this.#addPartition.run(accountId, region);
      id = this.#partitionId.get(accountId, region) as number;
      this.#partitions.set(name, id);
    }
    return id;
  }
}

function indexedEvent(row: EventRow, partitionId: number, resources: LookupResource[]): IndexedEvent {
  const [seq, accountId, region, eventTimeMs, isInsight, inHistory, eventId, eventName, username, eventSource, accessKeyId] = row;
  return {
    seq,
    accountId,
    region,
    partitionId,
    keys: { eventTimeMs, isInsight: isInsight === 1, inEventHistory: inHistory === 1, eventId, eventName, username, eventSource, accessKeyId, resources },
  };
}
