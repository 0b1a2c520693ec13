/** SQLite read side of the gateway's bucket owners (../bucket-owners.ts). */
import type { BucketOwners } from '../bucket-owners.js';
import type { SqliteDatabase } from './database.js';
import { StatementCache } from './statement-cache.js';

export class SqliteBucketOwners implements BucketOwners {
  readonly #sql: StatementCache;

  constructor(db: SqliteDatabase) {
    this.#sql = new StatementCache(db);
  }

  async ownerOf(bucket: string): Promise<string | undefined> {
    return Promise.resolve(this.#sql.get('SELECT account_id FROM gateway_bucket_owners WHERE bucket = ?').pluck().get(bucket) as string | undefined);
  }

  async ownedByOthers(accountId: string): Promise<Set<string>> {
    return Promise.resolve(new Set(this.#sql.get('SELECT bucket FROM gateway_bucket_owners WHERE account_id <> ?').pluck().all(accountId) as string[]));
  }
}
