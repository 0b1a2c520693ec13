/**
 * Leases on PostgreSQL: one row per lease, taken or renewed by a single upsert that succeeds
 * only for the holder or once the lease has expired. Times are the database's
 * (clock_timestamp()), so every node judges expiry by the same clock.
 */
import type { Pool } from 'pg';
import type { LeaseStore } from '../lease-store.js';
import { openPool } from './pool.js';
import { applySchema } from './schema.js';

const NOW_MS = '(extract(epoch FROM clock_timestamp()) * 1000)::bigint';

export class PostgresLeaseStore implements LeaseStore {
  readonly #pool: Pool;
  readonly #ownsPool: boolean;

  /** Over a pool the other adapters share; closing the store leaves it open. */
  constructor(pool: Pool, ownsPool = false) {
    this.#pool = pool;
    this.#ownsPool = ownsPool;
  }

  /** With a pool of its own (tests): applies the schema if needed. */
  static async open(url: string): Promise<PostgresLeaseStore> {
    const pool = openPool(url, 2);
    try {
      await applySchema(pool);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresLeaseStore(pool, true);
  }

  async acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const result = await this.#pool.query(
      `INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, ${NOW_MS} + $3)
       ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
        WHERE leases.holder = EXCLUDED.holder OR leases.expires_at <= ${NOW_MS}
       RETURNING holder`,
      [name, holder, ttlMs],
    );
    return result.rowCount === 1;
  }

  async release(name: string, holder: string): Promise<void> {
    await this.#pool.query('DELETE FROM leases WHERE name = $1 AND holder = $2', [name, holder]);
  }

  async holderOf(name: string): Promise<string | undefined> {
    const result = await this.#pool.query<{ holder: string }>(`SELECT holder FROM leases WHERE name = $1 AND expires_at > ${NOW_MS}`, [name]);
    return result.rows[0]?.holder;
  }

  async close(): Promise<void> {
    if (this.#ownsPool) await this.#pool.end();
  }
}
