/**
 * The Merkle-ledger port on SQLite: delivered_log_files (one row per delivered file, with its
 * leaf range and leaf hashes; file_id follows recording order) and trail_trees (the size and
 * frontier of each tree, one per trail, account and region). Rows are written only by `insertLedgerRows`, inside
 * the transaction that completes a delivery batch (./delivery-cursor-store.ts).
 */
import type { DeliveredFile, MerkleLedger, TreeState } from '../merkle-ledger.js';
import { joinLeafHashes } from '../leaf-hashes.js';
import type { PartitionOfTrail, TrailPartition } from '../trail-partition.js';
import type { SqliteDatabase } from './database.js';
import { StatementCache } from './statement-cache.js';

/** The columns of delivered_log_files as a DeliveredFile. */
const PARTITION = 'trail_arn = ? AND account_id = ? AND region = ?';

function keyOf(p: TrailPartition): [string, string, string] {
  return [p.trailArn, p.accountId, p.region];
}

const DELIVERED_FILE_COLUMNS = `account_id AS accountId, region, bucket, key, sha256, newest_event_time AS newestEventTime, oldest_event_time AS oldestEventTime, delivered_at AS deliveredAt,
       leaf_first AS leafFirst, leaf_last AS leafLast, leaf_hashes AS leafHashes`;

/**
 * Records a batch's files and the trees' new states. The caller runs it inside its own
 * transaction, so the ledger never gets ahead of (or behind) the delivery cursor.
 */
export function insertLedgerRows(statements: StatementCache, trailArn: string, delivered: { files: DeliveredFile[]; trees: TreeState[] }): void {
  for (const f of delivered.files) {
    statements
      .get(
        `INSERT OR REPLACE INTO delivered_log_files (trail_arn, account_id, region, bucket, key, sha256, newest_event_time, oldest_event_time, delivered_at, leaf_first, leaf_last, leaf_hashes)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(trailArn, f.accountId, f.region, f.bucket, f.key, f.sha256, f.newestEventTime, f.oldestEventTime, f.deliveredAt, f.leafFirst, f.leafLast, f.leafHashes);
  }
  for (const t of delivered.trees) {
    statements
      .get('INSERT OR REPLACE INTO trail_trees (trail_arn, account_id, region, size, frontier) VALUES (?, ?, ?, ?, ?)')
      .run(trailArn, t.accountId, t.region, t.size, t.frontier);
  }
}

export class SqliteMerkleLedger implements MerkleLedger {
  readonly #statements: StatementCache;

  constructor(db: SqliteDatabase) {
    this.#statements = new StatementCache(db);
  }

  async treeState(partition: TrailPartition): Promise<TreeState | undefined> {
    const row = this.#statements.get(`SELECT account_id AS accountId, region, size, frontier FROM trail_trees WHERE ${PARTITION}`).get(...keyOf(partition)) as TreeState | undefined;
    return Promise.resolve(row);
  }

  async treePartitions(trailArn: string): Promise<PartitionOfTrail[]> {
    const rows = this.#statements.get('SELECT account_id AS accountId, region FROM trail_trees WHERE trail_arn = ? ORDER BY account_id, region').all(trailArn) as PartitionOfTrail[];
    return Promise.resolve(rows);
  }

  async deliveredFiles(partition: TrailPartition, afterId: number, untilId: number): Promise<DeliveredFile[]> {
    const rows = this.#statements
      .get(`SELECT ${DELIVERED_FILE_COLUMNS} FROM delivered_log_files WHERE ${PARTITION} AND file_id > ? AND file_id <= ? ORDER BY leaf_first`)
      .all(...keyOf(partition), afterId, untilId) as DeliveredFile[];
    return Promise.resolve(rows);
  }

  async lastFileId(partition: TrailPartition): Promise<number> {
    return Promise.resolve(this.#statements.get(`SELECT COALESCE(MAX(file_id), 0) FROM delivered_log_files WHERE ${PARTITION}`).pluck().get(...keyOf(partition)) as number);
  }

  async treeSizeAt(partition: TrailPartition, fileId: number): Promise<number> {
    return Promise.resolve(
      this.#statements
        .get(`SELECT COALESCE(MAX(leaf_last) + 1, 0) FROM delivered_log_files WHERE ${PARTITION} AND file_id <= ?`)
        .pluck()
        .get(...keyOf(partition), fileId) as number,
    );
  }

  async fileForLeaf(partition: TrailPartition, leafIndex: number): Promise<DeliveredFile | undefined> {
    return Promise.resolve(
      this.#statements
        .get(`SELECT ${DELIVERED_FILE_COLUMNS} FROM delivered_log_files WHERE ${PARTITION} AND leaf_first <= ? AND leaf_last >= ?`)
        .get(...keyOf(partition), leafIndex, leafIndex) as DeliveredFile | undefined,
    );
  }

  /**
   * Throws when the ledger holds fewer than `treeSize` leaves, or files that do not follow each
   * other leaf by leaf: a root or proof over a shorter or gapped tree would be signed as if whole.
   */
  async leafHashes(partition: TrailPartition, treeSize: number): Promise<Buffer[]> {
    const rows = this.#statements
      .get(`SELECT leaf_first AS first, leaf_last AS last, leaf_hashes AS hashes FROM delivered_log_files WHERE ${PARTITION} AND leaf_first < ? ORDER BY leaf_first`)
      .all(...keyOf(partition), treeSize) as { first: number; last: number; hashes: Buffer }[];
    return joinLeafHashes(rows, partition, treeSize);
  }
}
