/**
 * The forwarding-cursor port on SQLite: cwl_cursors, one row per trail, created with it and
 * moved by StopLogging, StartLogging and a change of log group in ./state-changes.ts.
 */
import type { ForwardingCursor, ForwardingCursorStore } from '../forwarding-cursor-store.js';
import type { SqliteDatabase } from './database.js';
import { StatementCache } from './statement-cache.js';

export interface ForwardingCursorRow {
  trail_arn: string;
  last_seq: number;
  until_seq: number | null;
  resume_seq: number | null;
  batch_last_seq: number | null;
}

export function forwardingCursorOf(row: ForwardingCursorRow): ForwardingCursor {
  return {
    trailArn: row.trail_arn,
    lastSeq: row.last_seq,
    ...(row.until_seq !== null && { untilSeq: row.until_seq }),
    ...(row.resume_seq !== null && { resumeSeq: row.resume_seq }),
    ...(row.batch_last_seq !== null && { batchLastSeq: row.batch_last_seq }),
  };
}

export class SqliteForwardingCursorStore implements ForwardingCursorStore {
  readonly #statements: StatementCache;

  constructor(db: SqliteDatabase) {
    this.#statements = new StatementCache(db);
  }

  async cursor(trailArn: string): Promise<ForwardingCursor | undefined> {
    const row = this.#statements.get('SELECT * FROM cwl_cursors WHERE trail_arn = ?').get(trailArn) as ForwardingCursorRow | undefined;
    return Promise.resolve(row === undefined ? undefined : forwardingCursorOf(row));
  }

  async planBatch(trailArn: string, batchLastSeq: number): Promise<void> {
    this.#statements.get('UPDATE cwl_cursors SET batch_last_seq = ? WHERE trail_arn = ?').run(batchLastSeq, trailArn);
    return Promise.resolve();
  }

  async skipGap(trailArn: string): Promise<void> {
    this.#statements
      .get(
        `UPDATE cwl_cursors SET last_seq = MAX(last_seq, resume_seq), until_seq = NULL, resume_seq = NULL
         WHERE trail_arn = ? AND resume_seq IS NOT NULL AND last_seq >= until_seq`,
      )
      .run(trailArn);
    return Promise.resolve();
  }

  async completeBatch(trailArn: string, batchLastSeq: number): Promise<boolean> {
    const moved = this.#statements
      .get('UPDATE cwl_cursors SET last_seq = ?, batch_last_seq = NULL WHERE trail_arn = ? AND batch_last_seq = ?')
      .run(batchLastSeq, trailArn, batchLastSeq);
    return Promise.resolve(moved.changes > 0);
  }
}
