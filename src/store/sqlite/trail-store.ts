/** The trail port on SQLite: the trails table, as state changes (./state-changes.ts) write it. */
import type { DeliveryStatus, Trail, TrailStore } from '../trail-store.js';
import type { SqliteDatabase } from './database.js';
import { StatementCache } from './statement-cache.js';

export interface TrailRow {
  trail_arn: string;
  account_id: string;
  home_region: string;
  name: string;
  config: string;
  selectors: string | null;
  insight_selectors: string | null;
  tags: string;
  is_logging: number;
  start_logging_time: number | null;
  stop_logging_time: number | null;
  status: string;
  created_at: number;
}

export function toTrail(row: TrailRow): Trail {
  return {
    trailArn: row.trail_arn,
    accountId: row.account_id,
    homeRegion: row.home_region,
    name: row.name,
    config: JSON.parse(row.config) as Trail['config'],
    ...(row.selectors !== null && { selectors: JSON.parse(row.selectors) as NonNullable<Trail['selectors']> }),
    ...(row.insight_selectors !== null && { insightSelectors: JSON.parse(row.insight_selectors) as NonNullable<Trail['insightSelectors']> }),
    tags: JSON.parse(row.tags) as Trail['tags'],
    isLogging: row.is_logging === 1,
    ...(row.start_logging_time !== null && { startLoggingTime: row.start_logging_time }),
    ...(row.stop_logging_time !== null && { stopLoggingTime: row.stop_logging_time }),
    status: JSON.parse(row.status) as DeliveryStatus,
    createdAt: row.created_at,
  };
}

export class SqliteTrailStore implements TrailStore {
  readonly #statements: StatementCache;

  constructor(db: SqliteDatabase) {
    this.#statements = new StatementCache(db);
  }

  async get(trailArn: string): Promise<Trail | undefined> {
    const row = this.#statements.get('SELECT * FROM trails WHERE trail_arn = ?').get(trailArn) as TrailRow | undefined;
    return Promise.resolve(row && toTrail(row));
  }

  async list(accountId: string, homeRegion?: string): Promise<Trail[]> {
    const rows = (
      homeRegion === undefined
        ? this.#statements.get('SELECT * FROM trails WHERE account_id = ? ORDER BY home_region, name').all(accountId)
        : this.#statements.get('SELECT * FROM trails WHERE account_id = ? AND home_region = ? ORDER BY name').all(accountId, homeRegion)
    ) as TrailRow[];
    return Promise.resolve(rows.map(toTrail));
  }

  async listDeliverable(): Promise<Trail[]> {
    const rows = this.#statements
      .get(
        `SELECT t.* FROM trails t JOIN delivery_cursors c ON c.trail_arn = t.trail_arn
         WHERE t.is_logging = 1 OR c.last_seq < c.until_seq ORDER BY t.trail_arn`,
      )
      .all() as TrailRow[];
    return Promise.resolve(rows.map(toTrail));
  }

  async listAll(): Promise<Trail[]> {
    return Promise.resolve((this.#statements.get('SELECT * FROM trails ORDER BY trail_arn').all() as TrailRow[]).map(toTrail));
  }

  async updateStatus(trailArn: string, changes: { [K in keyof DeliveryStatus]?: DeliveryStatus[K] | null }): Promise<void> {
    // One statement, so concurrent updates of different fields cannot lose each other.
    this.#statements.get('UPDATE trails SET status = json_patch(status, ?) WHERE trail_arn = ?').run(JSON.stringify(changes), trailArn);
    return Promise.resolve();
  }
}
