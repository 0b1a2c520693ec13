/**
 * A migration in code: merkle_nodes, the perfect subtree roots of each trail partition's tree
 * (../merkle-nodes.ts), created and filled from the leaf hashes already in delivered_log_files,
 * so that proofs over trees delivered before it read stored nodes as later ones do. A tree is
 * filled while its files follow each other leaf by leaf; past a gap (a ledger already
 * inconsistent) nothing is written, and proofs there fail as they did before.
 */
import { completedNodes } from '../../integrity/merkle/index.js';
import { LOWEST_STORED_LEVEL } from '../merkle-nodes.js';
import type { SqliteDatabase } from './database.js';

export const MERKLE_NODES_TABLE = `
  -- The perfect subtree roots of each trail partition's Merkle tree, from level 4 up: node
  -- (level, idx) is the root of leaves [idx * 2^level, (idx + 1) * 2^level). Written with the
  -- batch whose leaves complete it (merkle-ledger.ts), read by proofs.
  CREATE TABLE merkle_nodes (
    trail_arn TEXT NOT NULL REFERENCES trails (trail_arn) ON DELETE CASCADE,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    level INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    hash BLOB NOT NULL,
    PRIMARY KEY (trail_arn, account_id, region, level, idx)
  ) WITHOUT ROWID;
`;

export function backfillMerkleNodes(db: SqliteDatabase): void {
  db.exec(MERKLE_NODES_TABLE);
  const partitions = db.prepare('SELECT DISTINCT trail_arn, account_id, region FROM delivered_log_files').raw().all() as [string, string, string][];
  // File by file (a tree's leaves may not fit in memory), each the one starting where the tree ends.
  const fileAt = db.prepare('SELECT leaf_last, leaf_hashes FROM delivered_log_files WHERE trail_arn = ? AND account_id = ? AND region = ? AND leaf_first = ?').raw();
  const insert = db.prepare('INSERT INTO merkle_nodes (trail_arn, account_id, region, level, idx, hash) VALUES (?, ?, ?, ?, ?, ?)');
  for (const partition of partitions) {
    let size = 0;
    let frontier: Buffer[] = [];
    for (;;) {
      const file = fileAt.get(...partition, size) as [number, Buffer] | undefined;
      if (file === undefined) break;
      const [last, hashes] = file;
      if (hashes.length !== (last - size + 1) * 32) break;
      const appended = completedNodes(size, frontier, hashes, LOWEST_STORED_LEVEL);
      for (const node of appended.nodes) insert.run(...partition, node.level, node.index, node.hash);
      ({ size, frontier } = appended);
    }
  }
}
