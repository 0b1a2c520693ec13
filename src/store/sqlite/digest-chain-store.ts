/**
 * The digest-chain port on SQLite: digest_chains (one row per chain, i.e. per trail, account
 * and region: where it stands and the digest planned) and digests (every digest written, with
 * its tree head).
 *
 * Transactions here are BEGIN IMMEDIATE: the event log's writer thread writes to the same
 * database, and a deferred transaction that read first could not upgrade to a write.
 */
import type { DigestChain, DigestChainStore, DigestChainSummary, DigestRecord } from '../digest-chain-store.js';
import type { TrailPartition } from '../trail-partition.js';
import type { SqliteDatabase } from './database.js';
import { StatementCache } from './statement-cache.js';

export interface ChainRow {
  active: number;
  last_end_time: number | null;
  previous: string | null;
  last_file_id: number;
  pending_end_time: number | null;
  pending_max_file_id: number | null;
}

export function digestChainOf(row: ChainRow): DigestChain {
  return {
    active: row.active === 1,
    ...(row.last_end_time !== null && { lastEndTime: row.last_end_time }),
    ...(row.previous !== null && { previous: JSON.parse(row.previous) as NonNullable<DigestChain['previous']> }),
    lastFileId: row.last_file_id,
    ...(row.pending_end_time !== null && row.pending_max_file_id !== null && { pending: { endTime: row.pending_end_time, maxFileId: row.pending_max_file_id } }),
  };
}

export class SqliteDigestChainStore implements DigestChainStore {
  readonly #db: SqliteDatabase;
  readonly #statements: StatementCache;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#statements = new StatementCache(db);
  }

  async digestChain(p: TrailPartition): Promise<DigestChain | undefined> {
    const row = this.#statements.get('SELECT * FROM digest_chains WHERE trail_arn = ? AND account_id = ? AND region = ?').get(p.trailArn, p.accountId, p.region) as ChainRow | undefined;
    return Promise.resolve(row === undefined ? undefined : digestChainOf(row));
  }

  async planDigest(p: TrailPartition, pending: { endTime: number; maxFileId: number }): Promise<void> {
    this.#statements
      .get(
        `INSERT INTO digest_chains (trail_arn, account_id, region, active, pending_end_time, pending_max_file_id) VALUES (?, ?, ?, 0, ?, ?)
         ON CONFLICT (trail_arn, account_id, region) DO UPDATE SET pending_end_time = excluded.pending_end_time, pending_max_file_id = excluded.pending_max_file_id`,
      )
      .run(p.trailArn, p.accountId, p.region, pending.endTime, pending.maxFileId);
    return Promise.resolve();
  }

  async completeDigest(
    p: TrailPartition,
    digest: Omit<DigestRecord, 'accountId' | 'region'> & { previous: NonNullable<DigestChain['previous']>; maxFileId: number },
    final: boolean,
  ): Promise<void> {
    this.#db.transaction(() => {
      this.#statements
        .get('INSERT OR REPLACE INTO digests (trail_arn, account_id, region, end_time, bucket, key, tree_size, root_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(p.trailArn, p.accountId, p.region, digest.endTime, digest.bucket, digest.key, digest.treeSize, digest.rootHash);
      // After a final digest the chain ends: the next digest starts a new one (null previous*).
      this.#statements
        .get(
          `UPDATE digest_chains SET active = ?, last_end_time = ?, previous = ?, last_file_id = ?, pending_end_time = NULL, pending_max_file_id = NULL
           WHERE trail_arn = ? AND account_id = ? AND region = ?`,
        )
        .run(final ? 0 : 1, digest.endTime, final ? null : JSON.stringify(digest.previous), digest.maxFileId, p.trailArn, p.accountId, p.region);
    }).immediate();
    return Promise.resolve();
  }

  async digests(p: TrailPartition): Promise<DigestRecord[]> {
    return Promise.resolve(
      this.#statements
        .get(
          `SELECT account_id AS accountId, region, end_time AS endTime, bucket, key, tree_size AS treeSize, root_hash AS rootHash
             FROM digests WHERE trail_arn = ? AND account_id = ? AND region = ? ORDER BY end_time`,
        )
        .all(p.trailArn, p.accountId, p.region) as DigestRecord[],
    );
  }

  async chainsOfTrail(trailArn: string): Promise<DigestChainSummary[]> {
    const rows = this.#statements
      .get(
        `SELECT c.account_id AS accountId, c.region, c.active,
                (SELECT count(*) FROM digests d WHERE d.trail_arn = c.trail_arn AND d.account_id = c.account_id AND d.region = c.region) AS digestCount
           FROM digest_chains c WHERE c.trail_arn = ? ORDER BY c.account_id, c.region`,
      )
      .all(trailArn) as { accountId: string; region: string; active: number; digestCount: number }[];
    const chains: DigestChainSummary[] = [];
    for (const row of rows) {
      const latest = this.#statements
        .get(
          `SELECT account_id AS accountId, region, end_time AS endTime, bucket, key, tree_size AS treeSize, root_hash AS rootHash
             FROM digests WHERE trail_arn = ? AND account_id = ? AND region = ? ORDER BY end_time DESC LIMIT 1`,
        )
        .get(trailArn, row.accountId, row.region) as DigestRecord | undefined;
      chains.push({ accountId: row.accountId, region: row.region, active: row.active === 1, digestCount: row.digestCount, ...(latest && { latest }) });
    }
    return Promise.resolve(chains);
  }
}
