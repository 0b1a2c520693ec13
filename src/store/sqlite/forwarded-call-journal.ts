/** SQLite read side of the gateway's journal (../forwarded-call-journal.ts). */
import type { ForwardedCallInFlight, ForwardedCallJournal } from '../forwarded-call-journal.js';
import type { SqliteDatabase } from './database.js';

export class SqliteForwardedCallJournal implements ForwardedCallJournal {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  async inFlight(): Promise<ForwardedCallInFlight[]> {
    const rows = this.#db
      .prepare('SELECT call_id, account_id, region, record, opened_at FROM forwarded_calls_in_flight ORDER BY opened_at, call_id')
      .raw()
      .all() as [string, string, string, string, number][];
    return Promise.resolve(rows.map(([callId, accountId, region, record, openedAtMs]) => ({ callId, accountId, region, record, openedAtMs })));
  }
}
