/**
 * Applies the CloudWatch alarms' staged changes (../monitoring/monitoring-change.ts) in
 * the writer thread, in the transaction of the call's record.
 */
import type { AlarmChange } from '../monitoring/monitoring-change.js';
import type { SqliteDatabase } from './database.js';
import { StatementCache } from './statement-cache.js';

export class AlarmChangeWriter {
  readonly #sql: StatementCache;

  constructor(db: SqliteDatabase) {
    this.#sql = new StatementCache(db);
  }

  apply(change: AlarmChange): void {
    void this.#sql;
    throw new Error(`${change.kind}: not applied yet`);
  }
}
