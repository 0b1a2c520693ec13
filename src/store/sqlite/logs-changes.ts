/**
 * Applies the hosted CloudWatch Logs' staged changes (../monitoring/monitoring-change.ts) in
 * the writer thread, in the transaction of the call's record.
 */
import type { LogsChange } from '../monitoring/monitoring-change.js';
import type { SqliteDatabase } from './database.js';
import { StatementCache } from './statement-cache.js';

export class LogsChangeWriter {
  readonly #sql: StatementCache;

  constructor(db: SqliteDatabase) {
    this.#sql = new StatementCache(db);
  }

  apply(change: LogsChange): void {
    void this.#sql;
    throw new Error(`${change.kind}: not applied yet`);
  }
}
