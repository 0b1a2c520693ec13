/** The trail port on SQLite. */
import type { DeliveredFile, DeliveryCursor, DeliveryStatus, DigestChain, DigestRecord, Trail, TrailStore, TreeState } from '../trail-store.js';
import type { SqliteDatabase } from './database.js';
import { StatementCache } from './statement-cache.js';

interface TrailRow {
  trail_arn: string;
  account_id: string;
  home_region: string;
  name: string;
  config: string;
  selectors: string | null;
  tags: string;
  is_logging: number;
  start_logging_time: number | null;
  stop_logging_time: number | null;
  status: string;
  created_at: number;
}

function toTrail(row: TrailRow): Trail {
  return {
    trailArn: row.trail_arn,
    accountId: row.account_id,
    homeRegion: row.home_region,
    name: row.name,
    config: JSON.parse(row.config) as Trail['config'],
    ...(row.selectors !== null && { selectors: JSON.parse(row.selectors) as NonNullable<Trail['selectors']> }),
    tags: JSON.parse(row.tags) as Trail['tags'],
    isLogging: row.is_logging === 1,
    ...(row.start_logging_time !== null && { startLoggingTime: row.start_logging_time }),
    ...(row.stop_logging_time !== null && { stopLoggingTime: row.stop_logging_time }),
    status: JSON.parse(row.status) as DeliveryStatus,
    createdAt: row.created_at,
  };
}

/**
 * Transactions here are BEGIN IMMEDIATE: the event log's writer thread writes to the same
 * database, and a deferred transaction that read first could not upgrade to a write.
 */
export class SqliteTrailStore implements TrailStore {
  readonly #db: SqliteDatabase;
  readonly #statements: StatementCache;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#statements = new StatementCache(db);
  }


  get(trailArn: string): Promise<Trail | undefined> {
    const row = this.#statements.get('SELECT * FROM trails WHERE trail_arn = ?').get(trailArn) as TrailRow | undefined;
    return Promise.resolve(row && toTrail(row));
  }

  list(accountId: string, homeRegion?: string): Promise<Trail[]> {
    const rows = (
      homeRegion === undefined
        ? this.#statements.get('SELECT * FROM trails WHERE account_id = ? ORDER BY home_region, name').all(accountId)
        : this.#statements.get('SELECT * FROM trails WHERE account_id = ? AND home_region = ? ORDER BY name').all(accountId, homeRegion)
    ) as TrailRow[];
    return Promise.resolve(rows.map(toTrail));
  }

  listDeliverable(): Promise<Trail[]> {
    const rows = this.#statements
      .get(
        `SELECT t.* FROM trails t JOIN delivery_cursors c ON c.trail_arn = t.trail_arn
         WHERE t.is_logging = 1 OR c.last_seq < c.until_seq ORDER BY t.trail_arn`,
      )
      .all() as TrailRow[];
    return Promise.resolve(rows.map(toTrail));
  }



  updateStatus(trailArn: string, changes: { [K in keyof DeliveryStatus]?: DeliveryStatus[K] | null }): Promise<void> {
    // One statement, so concurrent updates of different fields cannot lose each other.
    this.#statements.get('UPDATE trails SET status = json_patch(status, ?) WHERE trail_arn = ?').run(JSON.stringify(changes), trailArn);
    return Promise.resolve();
  }



  cursor(trailArn: string): Promise<DeliveryCursor | undefined> {
    const row = this.#statements.get('SELECT * FROM delivery_cursors WHERE trail_arn = ?').get(trailArn) as
      | { trail_arn: string; last_seq: number; until_seq: number | null; resume_seq: number | null; batch_last_seq: number | null; batch_delivery_time: number | null }
      | undefined;
    if (row === undefined) return Promise.resolve(undefined);
    return Promise.resolve({
      trailArn: row.trail_arn,
      lastSeq: row.last_seq,
      ...(row.until_seq !== null && { untilSeq: row.until_seq }),
      ...(row.resume_seq !== null && { resumeSeq: row.resume_seq }),
      ...(row.batch_last_seq !== null && row.batch_delivery_time !== null && { batch: { lastSeq: row.batch_last_seq, deliveryTime: row.batch_delivery_time } }),
    });
  }

  planBatch(trailArn: string, batchLastSeq: number, deliveryTime: number): Promise<void> {
    this.#statements.get('UPDATE delivery_cursors SET batch_last_seq = ?, batch_delivery_time = ? WHERE trail_arn = ?').run(batchLastSeq, deliveryTime, trailArn);
    return Promise.resolve();
  }

  skipGap(trailArn: string): Promise<void> {
    this.#statements
      .get(
        `UPDATE delivery_cursors SET last_seq = MAX(last_seq, resume_seq), until_seq = NULL, resume_seq = NULL
         WHERE trail_arn = ? AND resume_seq IS NOT NULL AND last_seq >= until_seq`,
      )
      .run(trailArn);
    return Promise.resolve();
  }

  completeBatch(trailArn: string, batchLastSeq: number, delivered: { files: DeliveredFile[]; trees: TreeState[] }): Promise<void> {
    this.#db.transaction(() => {
      const moved = this.#statements
        .get('UPDATE delivery_cursors SET last_seq = ?, batch_last_seq = NULL, batch_delivery_time = NULL WHERE trail_arn = ? AND batch_last_seq = ?')
        .run(batchLastSeq, trailArn, batchLastSeq);
      // Not the planned batch (StartLogging reset it meanwhile): record nothing.
      if (moved.changes === 0) return;
      for (const f of delivered.files) {
        this.#statements
          .get(
            `INSERT OR REPLACE INTO delivered_log_files (trail_arn, region, bucket, key, sha256, newest_event_time, oldest_event_time, delivered_at, leaf_first, leaf_last, leaf_hashes)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(trailArn, f.region, f.bucket, f.key, f.sha256, f.newestEventTime, f.oldestEventTime, f.deliveredAt, f.leafFirst, f.leafLast, f.leafHashes);
      }
      for (const t of delivered.trees) {
        this.#statements.get('INSERT OR REPLACE INTO trail_trees (trail_arn, region, size, frontier) VALUES (?, ?, ?, ?)').run(trailArn, t.region, t.size, t.frontier);
      }
    }).immediate();
    return Promise.resolve();
  }

  treeState(trailArn: string, region: string): Promise<TreeState | undefined> {
    const row = this.#statements.get('SELECT region, size, frontier FROM trail_trees WHERE trail_arn = ? AND region = ?').get(trailArn, region) as TreeState | undefined;
    return Promise.resolve(row);
  }

  treeRegions(trailArn: string): Promise<string[]> {
    return Promise.resolve(this.#statements.get('SELECT region FROM trail_trees WHERE trail_arn = ? ORDER BY region').pluck().all(trailArn) as string[]);
  }

  deliveredFiles(trailArn: string, region: string, afterId: number, untilId: number): Promise<DeliveredFile[]> {
    const rows = this.#statements
      .get(
        `SELECT region, bucket, key, sha256, newest_event_time AS newestEventTime, oldest_event_time AS oldestEventTime, delivered_at AS deliveredAt,
                leaf_first AS leafFirst, leaf_last AS leafLast, leaf_hashes AS leafHashes
         FROM delivered_log_files WHERE trail_arn = ? AND region = ? AND file_id > ? AND file_id <= ? ORDER BY leaf_first`,
      )
      .all(trailArn, region, afterId, untilId) as DeliveredFile[];
    return Promise.resolve(rows);
  }

  lastFileId(trailArn: string, region: string): Promise<number> {
    return Promise.resolve(
      this.#statements.get('SELECT COALESCE(MAX(file_id), 0) FROM delivered_log_files WHERE trail_arn = ? AND region = ?').pluck().get(trailArn, region) as number,
    );
  }

  treeSizeAt(trailArn: string, region: string, fileId: number): Promise<number> {
    return Promise.resolve(
      this.#statements
        .get('SELECT COALESCE(MAX(leaf_last) + 1, 0) FROM delivered_log_files WHERE trail_arn = ? AND region = ? AND file_id <= ?')
        .pluck()
        .get(trailArn, region, fileId) as number,
    );
  }

  fileForLeaf(trailArn: string, region: string, leafIndex: number): Promise<DeliveredFile | undefined> {
    return Promise.resolve(
      this.#statements
        .get(
          `SELECT region, bucket, key, sha256, newest_event_time AS newestEventTime, oldest_event_time AS oldestEventTime, delivered_at AS deliveredAt,
                  leaf_first AS leafFirst, leaf_last AS leafLast, leaf_hashes AS leafHashes
           FROM delivered_log_files WHERE trail_arn = ? AND region = ? AND leaf_first <= ? AND leaf_last >= ?`,
        )
        .get(trailArn, region, leafIndex, leafIndex) as DeliveredFile | undefined,
    );
  }

  listAll(): Promise<Trail[]> {
    return Promise.resolve((this.#statements.get('SELECT * FROM trails ORDER BY trail_arn').all() as TrailRow[]).map(toTrail));
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

  digestChain(trailArn: string, region: string): Promise<DigestChain | undefined> {
    const row = this.#statements.get('SELECT * FROM digest_chains WHERE trail_arn = ? AND region = ?').get(trailArn, region) as
      | { active: number; last_end_time: number | null; previous: string | null; last_file_id: number; pending_end_time: number | null; pending_max_file_id: number | null }
      | undefined;
    if (row === undefined) return Promise.resolve(undefined);
    return Promise.resolve({
      active: row.active === 1,
      ...(row.last_end_time !== null && { lastEndTime: row.last_end_time }),
      ...(row.previous !== null && { previous: JSON.parse(row.previous) as NonNullable<DigestChain['previous']> }),
      lastFileId: row.last_file_id,
      ...(row.pending_end_time !== null && row.pending_max_file_id !== null && { pending: { endTime: row.pending_end_time, maxFileId: row.pending_max_file_id } }),
    });
  }

  planDigest(trailArn: string, region: string, pending: { endTime: number; maxFileId: number }): Promise<void> {
    this.#statements
      .get(
        `INSERT INTO digest_chains (trail_arn, region, active, pending_end_time, pending_max_file_id) VALUES (?, ?, 0, ?, ?)
         ON CONFLICT (trail_arn, region) DO UPDATE SET pending_end_time = excluded.pending_end_time, pending_max_file_id = excluded.pending_max_file_id`,
      )
      .run(trailArn, region, pending.endTime, pending.maxFileId);
    return Promise.resolve();
  }

  completeDigest(trailArn: string, region: string, digest: DigestRecord & { previous: NonNullable<DigestChain['previous']>; maxFileId: number }, final: boolean): Promise<void> {
    this.#db.transaction(() => {
      this.#statements
        .get('INSERT OR REPLACE INTO digests (trail_arn, region, end_time, bucket, key, tree_size, root_hash) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(trailArn, region, digest.endTime, digest.bucket, digest.key, digest.treeSize, digest.rootHash);
      // After a final digest the chain ends: the next digest starts a new one (null previous*).
      this.#statements
        .get(
          `UPDATE digest_chains SET active = ?, last_end_time = ?, previous = ?, last_file_id = ?, pending_end_time = NULL, pending_max_file_id = NULL
           WHERE trail_arn = ? AND region = ?`,
        )
        .run(final ? 0 : 1, digest.endTime, final ? null : JSON.stringify(digest.previous), digest.maxFileId, trailArn, region);
    }).immediate();
    return Promise.resolve();
  }

  digests(trailArn: string, region: string): Promise<DigestRecord[]> {
    return Promise.resolve(
      this.#statements
        .get('SELECT region, end_time AS endTime, bucket, key, tree_size AS treeSize, root_hash AS rootHash FROM digests WHERE trail_arn = ? AND region = ? ORDER BY end_time')
        .all(trailArn, region) as DigestRecord[],
    );
  }
}
