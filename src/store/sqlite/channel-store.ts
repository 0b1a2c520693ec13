/** The channel port on SQLite. */
import { AlreadyExistsError } from '../../iam/identity-store.js';
import type { Channel, ChannelDestination, ChannelStore, ChannelTag } from '../channel-store.js';
import type { SqliteDatabase } from './database.js';
import { StatementCache } from './statement-cache.js';
import { asError, isUniqueViolation } from './errors.js';

interface ChannelRow {
  channel_arn: string;
  account_id: string;
  region: string;
  name: string;
  source: string;
  destinations: string;
  tags: string;
  created_at: number;
}

function toChannel(row: ChannelRow): Channel {
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

  create(channel: Channel): Promise<void> {
    try {
      this
        .#statements.get(
          'INSERT INTO channels (channel_arn, account_id, region, name, source, destinations, tags, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(
          channel.channelArn,
          channel.accountId,
          channel.region,
          channel.name,
          channel.source,
          JSON.stringify(channel.destinations),
          JSON.stringify(channel.tags),
          channel.createdAt,
        );
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(isUniqueViolation(error) ? new AlreadyExistsError(`channel ${channel.name}`) : asError(error));
    }
  }

  get(channelArn: string): Promise<Channel | undefined> {
    const row = this.#statements.get('SELECT * FROM channels WHERE channel_arn = ?').get(channelArn) as ChannelRow | undefined;
    return Promise.resolve(row && toChannel(row));
  }

  list(accountId: string, region: string, afterName: string | undefined, limit: number): Promise<Channel[]> {
    const rows = this.#statements
      .get('SELECT * FROM channels WHERE account_id = ? AND region = ? AND name > ? ORDER BY name LIMIT ?')
      .all(accountId, region, afterName ?? '', limit) as ChannelRow[];
    return Promise.resolve(rows.map(toChannel));
  }

  count(accountId: string, region: string): Promise<number> {
    return Promise.resolve(
      this.#statements.get('SELECT COUNT(*) FROM channels WHERE account_id = ? AND region = ?').pluck().get(accountId, region) as number,
    );
  }

  update(channelArn: string, changes: { name?: string; destinations?: ChannelDestination[] }): Promise<boolean> {
    try {
      const info = this
        .#statements.get('UPDATE channels SET name = COALESCE(?, name), destinations = COALESCE(?, destinations) WHERE channel_arn = ?')
        .run(changes.name ?? null, changes.destinations ? JSON.stringify(changes.destinations) : null, channelArn);
      return Promise.resolve(info.changes > 0);
    } catch (error) {
      return Promise.reject(isUniqueViolation(error) ? new AlreadyExistsError(`channel ${changes.name}`) : asError(error));
    }
  }

  setTags(channelArn: string, tags: ChannelTag[]): Promise<void> {
    this.#statements.get('UPDATE channels SET tags = ? WHERE channel_arn = ?').run(JSON.stringify(tags), channelArn);
    return Promise.resolve();
  }

  delete(channelArn: string): Promise<boolean> {
    return Promise.resolve(this.#statements.get('DELETE FROM channels WHERE channel_arn = ?').run(channelArn).changes > 0);
  }
}
