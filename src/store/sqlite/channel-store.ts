/** The channel port on SQLite. */
import type { Channel, ChannelStore } from '../channel-store.js';
import type { SqliteDatabase } from './database.js';
import { StatementCache } from './statement-cache.js';

export interface ChannelRow {
  channel_arn: string;
  account_id: string;
  region: string;
  name: string;
  source: string;
  destinations: string;
  tags: string;
  created_at: number;
}

export function toChannel(row: ChannelRow): Channel {
  return {
    channelArn: row.channel_arn,
    accountId: row.account_id,
    region: row.region,
    name: row.name,
    source: row.source,
    destinations: JSON.parse(row.destinations) as Channel['destinations'],
    tags: JSON.parse(row.tags) as Channel['tags'],
    createdAt: row.created_at,
  };
}

export class SqliteChannelStore implements ChannelStore {
  readonly #statements: StatementCache;

  constructor(db: SqliteDatabase) {
    this.#statements = new StatementCache(db);
  }

  async get(channelArn: string): Promise<Channel | undefined> {
    const row = this.#statements.get('SELECT * FROM channels WHERE channel_arn = ?').get(channelArn) as ChannelRow | undefined;
    return Promise.resolve(row && toChannel(row));
  }

  async list(accountId: string, region: string, afterName: string | undefined, limit: number): Promise<Channel[]> {
    const rows = this.#statements
      .get('SELECT * FROM channels WHERE account_id = ? AND region = ? AND name > ? ORDER BY name LIMIT ?')
      .all(accountId, region, afterName ?? '', limit) as ChannelRow[];
    return Promise.resolve(rows.map(toChannel));
  }

  async count(accountId: string, region: string): Promise<number> {
    return Promise.resolve(
      this.#statements.get('SELECT COUNT(*) FROM channels WHERE account_id = ? AND region = ?').pluck().get(accountId, region) as number,
    );
  }
}
