/**
 * The trail port on PostgreSQL (as sqlite/trail-store.ts). Text is ordered with COLLATE "C" so
 * lists come in SQLite's byte order whatever the database's collation.
 */
import type { Pool } from 'pg';
import { toTrail } from '../sqlite/trail-store.js';
import type { TrailRow } from '../sqlite/trail-store.js';
import type { DeliveryStatus, Trail, TrailStore } from '../trail-store.js';

export class PostgresTrailStore implements TrailStore {
  readonly #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  async get(trailArn: string): Promise<Trail | undefined> {
    const result = await this.#pool.query<TrailRow>('SELECT * FROM trails WHERE trail_arn = $1', [trailArn]);
    const row = result.rows[0];
    return row && toTrail(row);
  }

  async list(accountId: string, homeRegion?: string): Promise<Trail[]> {
    const result =
      homeRegion === undefined
        ? await this.#pool.query<TrailRow>('SELECT * FROM trails WHERE account_id = $1 ORDER BY home_region COLLATE "C", name COLLATE "C"', [accountId])
        : await this.#pool.query<TrailRow>('SELECT * FROM trails WHERE account_id = $1 AND home_region = $2 ORDER BY name COLLATE "C"', [accountId, homeRegion]);
    return result.rows.map(toTrail);
  }

  async listDeliverable(): Promise<Trail[]> {
    const result = await this.#pool.query<TrailRow>(
      `SELECT t.* FROM trails t JOIN delivery_cursors c ON c.trail_arn = t.trail_arn
        WHERE t.is_logging = 1 OR c.last_seq < c.until_seq ORDER BY t.trail_arn COLLATE "C"`,
    );
    return result.rows.map(toTrail);
  }

  async listAll(): Promise<Trail[]> {
    return (await this.#pool.query<TrailRow>('SELECT * FROM trails ORDER BY trail_arn COLLATE "C"')).rows.map(toTrail);
  }

  async updateStatus(trailArn: string, changes: { [K in keyof DeliveryStatus]?: DeliveryStatus[K] | null }): Promise<void> {
    // One statement, so concurrent updates of different fields cannot lose each other; null
    // removes a field, as SQLite's json_patch does.
    await this.#pool.query(`UPDATE trails SET status = jsonb_strip_nulls(status::jsonb || $1::jsonb)::text WHERE trail_arn = $2`, [JSON.stringify(changes), trailArn]);
  }
}
