/**
 * The delivery-cursor port on PostgreSQL (as sqlite/delivery-cursor-store.ts): delivery_cursors,
 * one row per trail, its stop and resume positions set by StopLogging and StartLogging
 * (trail-changes.ts).
 */
import type { Pool } from 'pg';
import type { DeliveryCursor, DeliveryCursorStore } from '../delivery-cursor-store.js';
import type { DeliveredFile, TreeState } from '../merkle-ledger.js';
import { deliveryCursorOf } from '../sqlite/delivery-cursor-store.js';
import type { DeliveryCursorRow } from '../sqlite/delivery-cursor-store.js';
import { insertLedgerRows } from './merkle-ledger.js';
import { inTransaction } from './pool.js';

export class PostgresDeliveryCursorStore implements DeliveryCursorStore {
  readonly #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  async cursor(trailArn: string): Promise<DeliveryCursor | undefined> {
    const row = (await this.#pool.query<DeliveryCursorRow>('SELECT * FROM delivery_cursors WHERE trail_arn = $1', [trailArn])).rows[0];
    return row === undefined ? undefined : deliveryCursorOf(row);
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
