/**
 * The delivery-cursor port on PostgreSQL (as sqlite/delivery-cursor-store.ts): delivery_cursors,
 * one row per trail, its stop and resume positions set by StopLogging and StartLogging
 * (trail-changes.ts).
 */
import type { Pool } from 'pg';
import type { DeliveryCursor, DeliveryCursorStore } from '../delivery-cursor-store.js';
import type { DeliveredFile, TreeState } from '../merkle-ledger.js';
import { insertLedgerRows } from './merkle-ledger.js';
import { inTransaction } from './pool.js';

interface CursorRow {
  trail_arn: string;
  last_seq: number;
  until_seq: number | null;
  resume_seq: number | null;
  batch_last_seq: number | null;
  batch_delivery_time: number | null;
}

export class PostgresDeliveryCursorStore implements DeliveryCursorStore {
  readonly #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  async cursor(trailArn: string): Promise<DeliveryCursor | undefined> {
    const row = (await this.#pool.query<CursorRow>('SELECT * FROM delivery_cursors WHERE trail_arn = $1', [trailArn])).rows[0];
    if (row === undefined) return undefined;
    return {
      trailArn: row.trail_arn,
      lastSeq: row.last_seq,
      ...(row.until_seq !== null && { untilSeq: row.until_seq }),
      ...(row.resume_seq !== null && { resumeSeq: row.resume_seq }),
      ...(row.batch_last_seq !== null && row.batch_delivery_time !== null && { batch: { lastSeq: row.batch_last_seq, deliveryTime: row.batch_delivery_time } }),
    };
  }

  async planBatch(trailArn: string, batchLastSeq: number, deliveryTime: number): Promise<void> {
    await this.#pool.query('UPDATE delivery_cursors SET batch_last_seq = $1, batch_delivery_time = $2 WHERE trail_arn = $3', [batchLastSeq, deliveryTime, trailArn]);
  }

  async skipGap(trailArn: string): Promise<void> {
    await this.#pool.query(
      `UPDATE delivery_cursors SET last_seq = GREATEST(last_seq, resume_seq), until_seq = NULL, resume_seq = NULL
        WHERE trail_arn = $1 AND resume_seq IS NOT NULL AND last_seq >= until_seq`,
      [trailArn],
    );
  }

  async completeBatch(trailArn: string, batchLastSeq: number, delivered: { files: DeliveredFile[]; trees: TreeState[] }): Promise<void> {
    await inTransaction(this.#pool, async (client) => {
      const moved = await client.query(
        'UPDATE delivery_cursors SET last_seq = $1, batch_last_seq = NULL, batch_delivery_time = NULL WHERE trail_arn = $2 AND batch_last_seq = $1',
        [batchLastSeq, trailArn],
      );
      // Not the planned batch (StartLogging reset it meanwhile): record nothing.
      if (moved.rowCount === 0) return;
      await insertLedgerRows(client, trailArn, delivered);
    });
  }
}
