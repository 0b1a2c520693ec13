/**
 * Inserts events into the SQLite event log: the rows, their resources, and the idempotency
 * check. Runs inside the writer thread (see writer-thread.ts); callers wrap batches in one
 * transaction.
 */
import type { Statement } from 'better-sqlite3';
import type { AppendResult, PreparedEvent } from '../event-store.js';
import type { SqliteDatabase } from './database.js';

export class EventWriter {
  readonly #insertEvent: Statement;
  readonly #insertResource: Statement;
  readonly #findByEventId: Statement;

  constructor(db: SqliteDatabase) {
    this.#insertEvent = db.prepare(
      `INSERT INTO events (account_id, region, event_time, is_insight, in_history, to_trails, event_id, event_name, read_only, username, event_source, access_key_id, record)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#insertResource = db.prepare(
      `INSERT INTO event_resources (seq, account_id, region, event_time, resource_type, resource_name) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.#findByEventId = db
      .prepare('SELECT seq FROM events INDEXED BY events_by_event_id WHERE account_id = ? AND region = ? AND event_id = ? LIMIT 1')
      .pluck();
  }

  insertAll(events: readonly PreparedEvent[]): AppendResult {
    const appended: AppendResult['events'] = [];
    for (const event of events) {
      const k = event.keys;
      if (event.idempotent === true) {
        const original = this.#findByEventId.get(event.accountId, event.region, k.eventId) as number | undefined;
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
      appended.push({ seq, eventId: k.eventId, duplicate: false });
    }
    return { events: appended };
  }
}
