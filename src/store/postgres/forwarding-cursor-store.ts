/** The forwarding-cursor port on PostgreSQL (as sqlite/forwarding-cursor-store.ts): cwl_cursors, one row per trail. */
import type { Pool } from 'pg';
import type { ForwardingCursor, ForwardingCursorStore } from '../forwarding-cursor-store.js';
import { forwardingCursorOf } from '../sqlite/forwarding-cursor-store.js';
import type { ForwardingCursorRow } from '../sqlite/forwarding-cursor-store.js';

export class PostgresForwardingCursorStore implements ForwardingCursorStore {
  readonly #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  async cursor(trailArn: string): Promise<ForwardingCursor | undefined> {
    const row = (await this.#pool.query<ForwardingCursorRow>('SELECT * FROM cwl_cursors WHERE trail_arn = $1', [trailArn])).rows[0];
    return row === undefined ? undefined : forwardingCursorOf(row);
  }

  async planBatch(trailArn: string, batchLastSeq: number): Promise<void> {
    await this.#pool.query('UPDATE cwl_cursors SET batch_last_seq = $1 WHERE trail_arn = $2', [batchLastSeq, trailArn]);
  }

  async skipGap(trailArn: string): Promise<void> {
    await this.#pool.query(
      `UPDATE cwl_cursors SET last_seq = GREATEST(last_seq, resume_seq), until_seq = NULL, resume_seq = NULL
        WHERE trail_arn = $1 AND resume_seq IS NOT NULL AND last_seq >= until_seq`,
      [trailArn],
    );
  }

  async completeBatch(trailArn: string, batchLastSeq: number): Promise<boolean> {
    const moved = await this.#pool.query('UPDATE cwl_cursors SET last_seq = $1, batch_last_seq = NULL WHERE trail_arn = $2 AND batch_last_seq = $1', [batchLastSeq, trailArn]);
    return (moved.rowCount ?? 0) > 0;
  }
}
