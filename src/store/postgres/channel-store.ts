/** The channel port on PostgreSQL (as sqlite/channel-store.ts); names compare in byte order (COLLATE "C"), as on SQLite. */
import type { Pool } from 'pg';
import type { Channel, ChannelStore } from '../channel-store.js';
import { toChannel } from '../sqlite/channel-store.js';
import type { ChannelRow } from '../sqlite/channel-store.js';

export class PostgresChannelStore implements ChannelStore {
  readonly #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  async get(channelArn: string): Promise<Channel | undefined> {
    const row = (await this.#pool.query<ChannelRow>('SELECT * FROM channels WHERE channel_arn = $1', [channelArn])).rows[0];
    return row && toChannel(row);
  }

  async list(accountId: string, region: string, afterName: string | undefined, limit: number): Promise<Channel[]> {
    const result = await this.#pool.query<ChannelRow>(
      'SELECT * FROM channels WHERE account_id = $1 AND region = $2 AND name COLLATE "C" > $3 ORDER BY name COLLATE "C" LIMIT $4',
      [accountId, region, afterName ?? '', limit],
    );
    return result.rows.map(toChannel);
  }

  async count(accountId: string, region: string): Promise<number> {
    return (await this.#pool.query<{ n: number }>('SELECT count(*) AS n FROM channels WHERE account_id = $1 AND region = $2', [accountId, region])).rows[0]!.n;
  }
}
