/**
 * The delivery-cursor port on SQLite: delivery_cursors, one row per trail (created with the
 * trail, its stop and resume positions set by StopLogging and StartLogging in
 * ./state-changes.ts).
 *
 * Transactions here are BEGIN IMMEDIATE: the event log's writer thread writes to the same
 * database, and a deferred transaction that read first could not upgrade to a write.
 */
import type { DeliveryCursor, DeliveryCursorStore } from '../delivery-cursor-store.js';
import type { DeliveredFile, TreeState } from '../merkle-ledger.js';
import type { SqliteDatabase } from './database.js';
import { insertLedgerRows } from './merkle-ledger.js';
import { StatementCache } from './statement-cache.js';

export interface DeliveryCursorRow {
  trail_arn: string;
  last_seq: number;
  until_seq: number | null;
  resume_seq: number | null;
  batch_last_seq: number | null;
  batch_delivery_time: number | null;
}

export function deliveryCursorOf(row: DeliveryCursorRow): DeliveryCursor {
  return {
    trailArn: row.trail_arn,
    lastSeq: row.last_seq,
    ...(row.until_seq !== null && { untilSeq: row.until_seq }),
    ...(row.resume_seq !== null && { resumeSeq: row.resume_seq }),
    ...(row.batch_last_seq !== null && row.batch_delivery_time !== null && { batch: { lastSeq: row.batch_last_seq, deliveryTime: row.batch_delivery_time } }),
  };
}

export class SqliteDeliveryCursorStore implements DeliveryCursorStore {
  readonly #db: SqliteDatabase;
  readonly #statements: StatementCache;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#statements = new StatementCache(db);
  }

  async cursor(trailArn: string): Promise<DeliveryCursor | undefined> {
    const row = this.#statements.get('SELECT * FROM delivery_cursors WHERE trail_arn = ?').get(trailArn) as DeliveryCursorRow | undefined;
    return Promise.resolve(row === undefined ? undefined : deliveryCursorOf(row));
  }

  async planBatch(trailArn: string, batchLastSeq: number, deliveryTime: number): Promise<void> {
    this.#statements.get('UPDATE delivery_cursors SET batch_last_seq = ?, batch_delivery_time = ? WHERE trail_arn = ?').run(batchLastSeq, deliveryTime, trailArn);
    return Promise.resolve();
  }

  async skipGap(trailArn: string): Promise<void> {
    this.#statements
      .get(
        `UPDATE delivery_cursors SET last_seq = MAX(last_seq, resume_seq), until_seq = NULL, resume_seq = NULL
         WHERE trail_arn = ? AND resume_seq IS NOT NULL AND last_seq >= until_seq`,
      )
      .run(trailArn);
    return Promise.resolve();
  }

  async completeBatch(trailArn: string, batchLastSeq: number, delivered: { files: DeliveredFile[]; trees: TreeState[] }): Promise<void> {
    this.#db.transaction(() => {
      const moved = this.#statements
        .get('UPDATE delivery_cursors SET last_seq = ?, batch_last_seq = NULL, batch_delivery_time = NULL WHERE trail_arn = ? AND batch_last_seq = ?')
        .run(batchLastSeq, trailArn, batchLastSeq);
      // Not the planned batch (StartLogging reset it meanwhile): record nothing.
      if (moved.changes === 0) return;
      insertLedgerRows(this.#statements, trailArn, delivered);
    }).immediate();
    return Promise.resolve();
  }
}
