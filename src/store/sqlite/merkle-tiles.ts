/**
 * merkle_tiles on SQLite: the table (../merkle-nodes.ts), appending a batch's nodes to their
 * tiles, and the migration that creates it and fills it for trees delivered before it.
 */
import { completedNodes } from '../../integrity/merkle/index.js';
import { LOWEST_STORED_LEVEL, tileWrites } from '../merkle-nodes.js';
import type { TileWrite } from '../merkle-nodes.js';
import type { TrailPartition } from '../trail-partition.js';
import type { SqliteDatabase } from './database.js';
import { StatementCache } from './statement-cache.js';

const KEY = 'trail_arn = ? AND account_id = ? AND region = ? AND band = ? AND idx = ?';

/**
 * Appends to each tile what the batch completes in it: a tile's first nodes make a new row; later
 * ones extend the stored prefix (read and written back whole: SQLite's || would turn the bytes
 * into text). A tile that lacks the nodes before them (a gapped ledger) is left as it is.
 */
export function appendTiles(statements: StatementCache, partition: TrailPartition, writes: readonly TileWrite[]): void {
  const key = [partition.trailArn, partition.accountId, partition.region];
  for (const write of writes) {
    let hashes: Buffer = write.hashes;
    if (write.position > 0) {
      const stored = statements.get(`SELECT hashes FROM merkle_tiles WHERE ${KEY}`).pluck().get(...key, write.band, write.index) as Buffer | undefined;
      if (stored === undefined || stored.length < write.position * 32) continue;
      hashes = Buffer.concat([stored.subarray(0, write.position * 32), write.hashes]);
    }
    statements.get('INSERT OR REPLACE INTO merkle_tiles (trail_arn, account_id, region, band, idx, hashes) VALUES (?, ?, ?, ?, ?, ?)').run(...key, write.band, write.index, hashes);
  }
}

/**
 * The migration: merkle_tiles created, and filled from the leaf hashes already in
 * delivered_log_files, so that proofs over trees delivered before it read stored nodes as later
 * ones do. A tree is filled while its files follow each other leaf by leaf; past a gap (a ledger
 * already inconsistent) nothing is written, and proofs there fail as they did before.
 */
export function createMerkleTiles(db: SqliteDatabase): void {
  db.exec(`
  -- The perfect subtree roots of each trail partition's Merkle tree from level 4 up, in tiles of
  -- 8 levels (store/merkle-nodes.ts, integrity/merkle/tiles.ts): hashes holds the tile's nodes
  -- complete so far, 32 bytes each, in completion order. Written with the batch whose leaves
  -- complete them (merkle-ledger.ts), read by proofs.
  CREATE TABLE merkle_tiles (
    trail_arn TEXT NOT NULL REFERENCES trails (trail_arn) ON DELETE CASCADE,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    band INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    hashes BLOB NOT NULL,
    PRIMARY KEY (trail_arn, account_id, region, band, idx)
  ) WITHOUT ROWID;
  `);
  const statements = new StatementCache(db);
  const partitions = db.prepare('SELECT DISTINCT trail_arn AS trailArn, account_id AS accountId, region FROM delivered_log_files').all() as TrailPartition[];
  // File by file (a tree's leaves may not fit in memory), each the one starting where the tree ends.
  const fileAt = db.prepare('SELECT leaf_last, leaf_hashes FROM delivered_log_files WHERE trail_arn = ? AND account_id = ? AND region = ? AND leaf_first = ?').raw();
  for (const partition of partitions) {
    let size = 0;
    let frontier: Buffer[] = [];
    for (;;) {
      const file = fileAt.get(partition.trailArn, partition.accountId, partition.region, size) as [number, Buffer] | undefined;
      if (file === undefined) break;
      const [last, hashes] = file;
      if (hashes.length !== (last - size + 1) * 32) break;
      const appended = completedNodes(size, frontier, hashes, LOWEST_STORED_LEVEL);
      appendTiles(statements, partition, tileWrites(appended.nodes));
      ({ size, frontier } = appended);
    }
  }
}
