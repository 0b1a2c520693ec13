/** Who owns the buckets made through the gateway, on PostgreSQL (as sqlite/bucket-owners.ts). */
import type { Pool } from 'pg';
import type { BucketOwners } from '../bucket-owners.js';

export class PostgresBucketOwners implements BucketOwners {
  readonly #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  async ownerOf(bucket: string): Promise<string | undefined> {
    return (await this.#pool.query<{ account_id: string }>('SELECT account_id FROM gateway_bucket_owners WHERE bucket = $1', [bucket])).rows[0]?.account_id;
  }

  async ownedByOthers(accountId: string): Promise<Set<string>> {
    const rows = (await this.#pool.query<{ bucket: string }>('SELECT bucket FROM gateway_bucket_owners WHERE account_id <> $1', [accountId])).rows;
    return new Set(rows.map((r) => r.bucket));
  }
}
