/**
 * Inserts events into the SQLite event log: the rows, their resources, and the idempotency
 * check. Runs inside the writer thread (see writer-thread.ts); callers wrap batches in one
 * transaction. The lookup index is not written here: the indexer follows (event-indexer.ts).
 */
import type { Statement } from 'better-sqlite3';
import type { AppendResult, PreparedEvent } from '../event-store.js';
import type { SqliteDatabase } from './database.js';
import { lookupKey } from './lookup-index.js';
import type { UnindexedEventIds } from './unindexed-event-ids.js';

export class EventWriter {
  readonly #insertEvent: Statement;
  readonly #insertResource: Statement;
  readonly #findByEventId: Statement;
  readonly #unindexed: UnindexedEventIds;

  constructor(db: SqliteDatabase, unindexed: UnindexedEventIds) {
    this.#unindexed = unindexed;
    this.#insertEvent = db.prepare(
      `INSERT INTO events (account_id, region, event_time, is_insight, in_history, to_trails, event_id, event_name, read_only, username, event_source, access_key_id, record)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#insertResource = db.prepare(
      `INSERT INTO event_resources (seq, account_id, region, event_time, resource_type, resource_name) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    // The key's entries lead to the rows; the row's own columns rule out a hash collision.
    this.#findByEventId = db
      .prepare('SELECT e.seq FROM event_keys k JOIN events e ON e.seq = k.seq WHERE k.key = ? AND e.account_id = ? AND e.region = ? AND e.event_id = ? ORDER BY k.event_time, k.seq LIMIT 1')
      .pluck();
  }

  insertAll(events: readonly PreparedEvent[]): AppendResult {
    const appended: AppendResult['events'] = [];
    for (const event of events) {
      const k = event.keys;
      if (event.idempotent === true) {
        const original =
          this.#unindexed.get(event.accountId, event.region, k.eventId) ??
          (this.#findByEventId.get(lookupKey(event.accountId, event.region, 'EventId', k.eventId), event.accountId, event.region, k.eventId) as number | undefined);
        if (original !== undefined) {
          appended.push({ seq: original, eventId: k.eventId, duplicate: true });
          continue;
        }
      }
      const info = this.#insertEvent.run(
        event.accountId,
        event.region,
        k.eventTimeMs,
        k.isInsight ? 1 : 0,
        k.inEventHistory ? 1 : 0,
        event.deliverToTrails === false ? 0 : 1,
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
      this.#unindexed.add(event.accountId, event.region, k.eventId, seq);
      appended.push({ seq, eventId: k.eventId, duplicate: false });
    }
    return { events: appended };
  }
}
