/** The gateway's journal of forwarded calls, read side, on PostgreSQL (as sqlite/forwarded-call-journal.ts). */
import type { Pool } from 'pg';
import type { ForwardedCallInFlight, ForwardedCallJournal } from '../forwarded-call-journal.js';

export class PostgresForwardedCallJournal implements ForwardedCallJournal {
  readonly #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  async inFlight(): Promise<ForwardedCallInFlight[]> {
    const result = await this.#pool.query<ForwardedCallInFlight>(
      'SELECT call_id AS "callId", account_id AS "accountId", region, record, opened_at AS "openedAtMs" FROM forwarded_calls_in_flight ORDER BY opened_at, call_id COLLATE "C"',
    );
    return result.rows;
  }
}
