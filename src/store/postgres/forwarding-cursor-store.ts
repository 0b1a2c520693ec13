/** The forwarding-cursor port on PostgreSQL (as sqlite/forwarding-cursor-store.ts): cwl_cursors, one row per trail. */
import type { Pool } from 'pg';
import type { ForwardingCursor, ForwardingCursorStore } from '../forwarding-cursor-store.js';

interface CursorRow {
  trail_arn: string;
  last_seq: number;
  until_seq: number | null;
  resume_seq: number | null;
  batch_last_seq: number | null;
}

export class PostgresForwardingCursorStore implements ForwardingCursorStore {
  readonly #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  async cursor(trailArn: string): Promise<ForwardingCursor | undefined> {
    const row = (await this.#pool.query<CursorRow>('SELECT * FROM cwl_cursors WHERE trail_arn = $1', [trailArn])).rows[0];
    if (row === undefined) return undefined;
    return {
      trailArn: row.trail_arn,
      lastSeq: row.last_seq,
      ...(row.until_seq !== null && { untilSeq: row.until_seq }),
      ...(row.resume_seq !== null && { resumeSeq: row.resume_seq }),
      ...(row.batch_last_seq !== null && { batchLastSeq: row.batch_last_seq }),
    };
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
