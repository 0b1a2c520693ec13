/**
 * The digest-chain port on PostgreSQL (as sqlite/digest-chain-store.ts): digest_chains (where each
 * chain stands and the digest planned) and digests (every digest written, with its tree head).
 */
import type { Pool } from 'pg';
import type { DigestChain, DigestChainStore, DigestChainSummary, DigestRecord } from '../digest-chain-store.js';
import { digestChainOf } from '../sqlite/digest-chain-store.js';
import type { ChainRow } from '../sqlite/digest-chain-store.js';
import type { TrailPartition } from '../trail-partition.js';
import { inTransaction } from './pool.js';

const DIGEST_COLUMNS = 'account_id AS "accountId", region, end_time AS "endTime", bucket, key, tree_size AS "treeSize", root_hash AS "rootHash"';
const PARTITION = 'trail_arn = $1 AND account_id = $2 AND region = $3';

export class PostgresDigestChainStore implements DigestChainStore {
  readonly #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  async digestChain(p: TrailPartition): Promise<DigestChain | undefined> {
    const row = (await this.#pool.query<ChainRow>(`SELECT * FROM digest_chains WHERE ${PARTITION}`, [p.trailArn, p.accountId, p.region])).rows[0];
    return row === undefined ? undefined : digestChainOf(row);
  }

  async planDigest(p: TrailPartition, pending: { endTime: number; maxFileId: number }): Promise<void> {
    await this.#pool.query(
      `INSERT INTO digest_chains (trail_arn, account_id, region, active, pending_end_time, pending_max_file_id) VALUES ($1, $2, $3, 0, $4, $5)
       ON CONFLICT (trail_arn, account_id, region) DO UPDATE SET pending_end_time = EXCLUDED.pending_end_time, pending_max_file_id = EXCLUDED.pending_max_file_id`,
      [p.trailArn, p.accountId, p.region, pending.endTime, pending.maxFileId],
    );
  }

  async completeDigest(
    p: TrailPartition,
    digest: Omit<DigestRecord, 'accountId' | 'region'> & { previous: NonNullable<DigestChain['previous']>; maxFileId: number },
    final: boolean,
  ): Promise<void> {
    await inTransaction(this.#pool, async (client) => {
      await client.query(
        `INSERT INTO digests (trail_arn, account_id, region, end_time, bucket, key, tree_size, root_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (trail_arn, account_id, region, end_time) DO UPDATE SET bucket = EXCLUDED.bucket, key = EXCLUDED.key, tree_size = EXCLUDED.tree_size, root_hash = EXCLUDED.root_hash`,
        [p.trailArn, p.accountId, p.region, digest.endTime, digest.bucket, digest.key, digest.treeSize, digest.rootHash],
      );
      // After a final digest the chain ends: the next digest starts a new one (null previous*).
      await client.query(
        `UPDATE digest_chains SET active = $1, last_end_time = $2, previous = $3, last_file_id = $4, pending_end_time = NULL, pending_max_file_id = NULL
          WHERE trail_arn = $5 AND account_id = $6 AND region = $7`,
        [final ? 0 : 1, digest.endTime, final ? null : JSON.stringify(digest.previous), digest.maxFileId, p.trailArn, p.accountId, p.region],
      );
    });
  }

  async digests(p: TrailPartition): Promise<DigestRecord[]> {
    return (await this.#pool.query<DigestRecord>(`SELECT ${DIGEST_COLUMNS} FROM digests WHERE ${PARTITION} ORDER BY end_time`, [p.trailArn, p.accountId, p.region])).rows;
  }

  async chainsOfTrail(trailArn: string): Promise<DigestChainSummary[]> {
    const rows = (
      await this.#pool.query<{ accountId: string; region: string; active: number; digestCount: number }>(
        `SELECT c.account_id AS "accountId", c.region, c.active,
                (SELECT count(*) FROM digests d WHERE d.trail_arn = c.trail_arn AND d.account_id = c.account_id AND d.region = c.region) AS "digestCount"
           FROM digest_chains c WHERE c.trail_arn = $1 ORDER BY c.account_id COLLATE "C", c.region COLLATE "C"`,
        [trailArn],
      )
    ).rows;
    const chains: DigestChainSummary[] = [];
    for (const row of rows) {
      const latest = (
        await this.#pool.query<DigestRecord>(`SELECT ${DIGEST_COLUMNS} FROM digests WHERE ${PARTITION} ORDER BY end_time DESC LIMIT 1`, [trailArn, row.accountId, row.region])
      ).rows[0];
      chains.push({ accountId: row.accountId, region: row.region, active: row.active === 1, digestCount: row.digestCount, ...(latest && { latest }) });
    }
    return chains;
  }
}
