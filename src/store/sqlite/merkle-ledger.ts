/**
 * The Merkle-ledger port on SQLite: delivered_log_files (one row per delivered file, with its
 * leaf range and leaf hashes; file_id follows recording order) and trail_trees (each
 * trail+region tree's size and frontier). Rows are written only by `insertLedgerRows`, inside
 * the transaction that completes a delivery batch (./delivery-cursor-store.ts).
 */
import type { DeliveredFile, MerkleLedger, TreeState } from '../merkle-ledger.js';
import type { SqliteDatabase } from './database.js';
import { StatementCache } from './statement-cache.js';

/** The columns of delivered_log_files as a DeliveredFile. */
const DELIVERED_FILE_COLUMNS = `region, bucket, key, sha256, newest_event_time AS newestEventTime, oldest_event_time AS oldestEventTime, delivered_at AS deliveredAt,
       leaf_first AS leafFirst, leaf_last AS leafLast, leaf_hashes AS leafHashes`;

/**
 * Records a batch's files and the trees' new states. The caller runs it inside its own
 * transaction, so the ledger never gets ahead of (or behind) the delivery cursor.
 */
export function insertLedgerRows(statements: StatementCache, trailArn: string, delivered: { files: DeliveredFile[]; trees: TreeState[] }): void {
  for (const f of delivered.files) {
    statements
      .get(
        `INSERT OR REPLACE INTO delivered_log_files (trail_arn, region, bucket, key, sha256, newest_event_time, oldest_event_time, delivered_at, leaf_first, leaf_last, leaf_hashes)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(trailArn, f.region, f.bucket, f.key, f.sha256, f.newestEventTime, f.oldestEventTime, f.deliveredAt, f.leafFirst, f.leafLast, f.leafHashes);
  }
  for (const t of delivered.trees) {
    statements.get('INSERT OR REPLACE INTO trail_trees (trail_arn, region, size, frontier) VALUES (?, ?, ?, ?)').run(trailArn, t.region, t.size, t.frontier);
  }
}

export class SqliteMerkleLedger implements MerkleLedger {
  readonly #statements: StatementCache;

  constructor(db: SqliteDatabase) {
    this.#statements = new StatementCache(db);
  }

  async treeState(trailArn: string, region: string): Promise<TreeState | undefined> {
    const row = this.#statements.get('SELECT region, size, frontier FROM trail_trees WHERE trail_arn = ? AND region = ?').get(trailArn, region) as TreeState | undefined;
    return Promise.resolve(row);
  }

  async treeRegions(trailArn: string): Promise<string[]> {
    return Promise.resolve(this.#statements.get('SELECT region FROM trail_trees WHERE trail_arn = ? ORDER BY region').pluck().all(trailArn) as string[]);
  }

  async deliveredFiles(trailArn: string, region: string, afterId: number, untilId: number): Promise<DeliveredFile[]> {
    const rows = this.#statements
      .get(`SELECT ${DELIVERED_FILE_COLUMNS} FROM delivered_log_files WHERE trail_arn = ? AND region = ? AND file_id > ? AND file_id <= ? ORDER BY leaf_first`)
      .all(trailArn, region, afterId, untilId) as DeliveredFile[];
    return Promise.resolve(rows);
  }

  async lastFileId(trailArn: string, region: string): Promise<number> {
    return Promise.resolve(
      this.#statements.get('SELECT COALESCE(MAX(file_id), 0) FROM delivered_log_files WHERE trail_arn = ? AND region = ?').pluck().get(trailArn, region) as number,
    );
  }

  async treeSizeAt(trailArn: string, region: string, fileId: number): Promise<number> {
    return Promise.resolve(
      this.#statements
        .get('SELECT COALESCE(MAX(leaf_last) + 1, 0) FROM delivered_log_files WHERE trail_arn = ? AND region = ? AND file_id <= ?')
        .pluck()
        .get(trailArn, region, fileId) as number,
    );
  }

  async fileForLeaf(trailArn: string, region: string, leafIndex: number): Promise<DeliveredFile | undefined> {
    return Promise.resolve(
      this.#statements
        .get(`SELECT ${DELIVERED_FILE_COLUMNS} FROM delivered_log_files WHERE trail_arn = ? AND region = ? AND leaf_first <= ? AND leaf_last >= ?`)
        .get(trailArn, region, leafIndex, leafIndex) as DeliveredFile | undefined,
    );
  }

  /**
   * Throws when the ledger holds fewer than `treeSize` leaves, or files that do not follow each
   * other leaf by leaf: a root or proof over a shorter or gapped tree would be signed as if whole.
   */
  async leafHashes(trailArn: string, region: string, treeSize: number): Promise<Buffer[]> {
    const rows = this.#statements
      .get('SELECT leaf_first AS first, leaf_last AS last, leaf_hashes AS hashes FROM delivered_log_files WHERE trail_arn = ? AND region = ? AND leaf_first < ? ORDER BY leaf_first')
      .all(trailArn, region, treeSize) as { first: number; last: number; hashes: Buffer }[];
    const leaves: Buffer[] = [];
    for (const row of rows) {
      if (row.first !== leaves.length || row.hashes.length !== (row.last - row.first + 1) * 32) {
        throw new Error(`the Merkle ledger of ${trailArn} in ${region} is inconsistent at leaf ${leaves.length} (a file holds leaves ${row.first}-${row.last} with ${row.hashes.length} bytes of hashes)`);
      }
      for (let i = 0; i < row.hashes.length && leaves.length < treeSize; i += 32) leaves.push(row.hashes.subarray(i, i + 32));
    }
    if (leaves.length < treeSize) {
      throw new Error(`the Merkle ledger of ${trailArn} in ${region} holds ${leaves.length} leaves, not the ${treeSize} asked for`);
    }
    return leaves;
  }
}
