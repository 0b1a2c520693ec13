/**
 * The Merkle-ledger port on SQLite: delivered_log_files (one row per delivered file, with its
 * leaf range and leaf hashes; file_id follows recording order), trail_trees (the size and
 * frontier of each tree, one per trail, account and region) and merkle_tiles (the trees'
 * perfect subtree roots, ../merkle-nodes.ts). Rows are written only by `insertLedgerRows`, inside
 * the transaction that completes a delivery batch (./delivery-cursor-store.ts).
 */
import type { DeliveredFile, MerkleLedger, TreeState } from '../merkle-ledger.js';
import { filesByPartition, hashesFromTiles, nodesOfBatch, tileWrites, tilesOfNodes } from '../merkle-nodes.js';
import { appendTiles } from './merkle-tiles.js';
import { findLeaf, joinLeafHashes, sliceLeafHashes } from '../leaf-hashes.js';
import type { LeafRow } from '../leaf-hashes.js';
import { consistencyProofFromNodes, inclusionProofFromNodes, rootFromNodes } from '../proofs-from-nodes.js';
import type { NodeReads } from '../proofs-from-nodes.js';
import type { LeafRange, PerfectNode, TileId } from '../../integrity/merkle/index.js';
import { HASH_SIZE, nodeKey, nodesInTile, tileKey } from '../../integrity/merkle/index.js';
import { LOWEST_STORED_LEVEL } from '../merkle-nodes.js';
import { LEAF_BLOCK, ProofNodeCache } from '../proof-node-cache.js';
import type { CacheView } from '../proof-node-cache.js';
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
 * Records a batch's files, the perfect nodes their leaves complete (merkle_tiles, computed from
 * the trees' stored frontiers and the files' leaf hashes: no earlier leaf is read) and the trees'
 * new states. The caller runs it inside its own transaction, so the ledger never gets ahead of
 * (or behind) the delivery cursor, and a crash leaves nodes and leaves of the same batches.
 */
export function insertLedgerRows(statements: StatementCache, trailArn: string, delivered: { files: DeliveredFile[]; trees: TreeState[] }): void {
  // Computed before any row is written: the stored trees are still those before the batch.
  const nodes = filesByPartition(delivered.files).map(([accountId, region, files]) => {
    const partition = { trailArn, accountId, region };
    const previous = statements.get(`SELECT account_id AS accountId, region, size, frontier FROM trail_trees WHERE ${PARTITION}`).get(...keyOf(partition)) as TreeState | undefined;
    return { partition, nodes: nodesOfBatch(previous, files) };
  });
  for (const { partition, nodes: completed } of nodes) appendTiles(statements, partition, tileWrites(completed));
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

/** A proof's reads answered from the cache alone, or undefined if anything is missing from it. */
function fromCache(view: CacheView | undefined, nodes: readonly PerfectNode[], leafRanges: readonly LeafRange[]): { nodes: Map<string, Buffer>; leaves: Buffer[][] } | undefined {
  if (view === undefined) return undefined;
  const hashes = new Map<string, Buffer>();
  for (const node of nodes) {
    const hash = view.node(node);
    if (hash === undefined) return undefined;
    hashes.set(nodeKey(node), hash);
  }
  const leaves: Buffer[][] = [];
  for (const [lo, hi] of leafRanges) {
    const block = Math.floor(lo / LEAF_BLOCK);
    const blockLeaves = hi <= (block + 1) * LEAF_BLOCK ? view.block(block) : undefined;
    if (blockLeaves === undefined) return undefined;
    leaves.push(blockHashes(blockLeaves, block * LEAF_BLOCK, lo, hi));
  }
  return { nodes: hashes, leaves };
}

/** Leaves [lo, hi) from a block's concatenated hashes starting at leaf blockStart. */
function blockHashes(blockLeaves: Buffer, blockStart: number, lo: number, hi: number): Buffer[] {
  const hashes: Buffer[] = [];
  for (let i = lo; i < hi; i++) hashes.push(blockLeaves.subarray((i - blockStart) * HASH_SIZE, (i - blockStart + 1) * HASH_SIZE));
  return hashes;
}

export class SqliteMerkleLedger implements MerkleLedger {
  readonly #statements: StatementCache;
  readonly #reads: NodeReads;
  readonly #cache: ProofNodeCache;
  /** Runs a read in one transaction: the frontier that keys the cache and the rows that fill it from one snapshot. */
  readonly #inSnapshot: <T>(read: () => T) => T;

  constructor(db: SqliteDatabase, cache = new ProofNodeCache()) {
    this.#statements = new StatementCache(db);
    this.#cache = cache;
    const inTransaction = db.transaction((read: () => unknown) => read());
    this.#inSnapshot = <T>(read: () => T) => inTransaction(read) as T;
    this.#reads = {
      read: async (partition, nodes, leafRanges) => {
        // One statement when the cache holds everything; else the frontier again, with the reads that fill the cache, in one snapshot.
        const cached = fromCache(this.#cacheView(partition), nodes, leafRanges);
        if (cached !== undefined) return Promise.resolve(cached);
        return Promise.resolve(
          this.#inSnapshot(() => {
            const view = this.#cacheView(partition);
            return { nodes: this.#storedNodes(partition, view, nodes), leaves: leafRanges.map(([lo, hi]) => this.#leafRange(partition, view, lo, hi)) };
          }),
        );
      },
    };
  }

  async inclusionProof(partition: TrailPartition, leafIndex: number, treeSize: number): Promise<Buffer[]> {
    return inclusionProofFromNodes(this.#reads, partition, leafIndex, treeSize);
  }

  async consistencyProof(partition: TrailPartition, oldSize: number, newSize: number): Promise<Buffer[]> {
    return consistencyProofFromNodes(this.#reads, partition, oldSize, newSize);
  }

  async rootAt(partition: TrailPartition, treeSize: number): Promise<Buffer> {
    return rootFromNodes(this.#reads, partition, treeSize);
  }

  async leafIndexOf(partition: TrailPartition, leafHash: Buffer, treeSize: number, eventTime?: string): Promise<number | undefined> {
    const leaves = `SELECT leaf_first AS first, leaf_last AS last, leaf_hashes AS hashes FROM delivered_log_files WHERE ${PARTITION} AND leaf_first < ?`;
    if (eventTime !== undefined) {
      const rows = this.#statements.get(`${leaves} AND oldest_event_time <= ? AND newest_event_time >= ?`).all(...keyOf(partition), treeSize, eventTime, eventTime) as LeafRow[];
      const found = findLeaf(rows, leafHash, treeSize);
      if (found !== undefined) return Promise.resolve(found);
    }
    // File by file, so that a large tree's leaves are never all in memory at once.
    let found: number | undefined;
    for (const row of this.#statements.get(leaves).iterate(...keyOf(partition), treeSize) as Iterable<LeafRow>) {
      const index = findLeaf([row], leafHash, treeSize);
      if (index !== undefined && (found === undefined || index < found)) found = index;
    }
    return Promise.resolve(found);
  }

  /** The tree's cache view, or none before its first delivery. Inside a snapshot. */
  #cacheView(partition: TrailPartition): CacheView | undefined {
    const frontier = this.#statements.get(`SELECT frontier FROM trail_trees WHERE ${PARTITION}`).pluck().get(...keyOf(partition)) as string | undefined;
    return frontier === undefined ? undefined : this.#cache.view(frontier);
  }

  #storedNodes(partition: TrailPartition, view: CacheView | undefined, nodes: readonly PerfectNode[]): Map<string, Buffer> {
    const hashes = new Map<string, Buffer>();
    const missing: PerfectNode[] = [];
    for (const node of nodes) {
      const cached = view?.node(node);
      if (cached === undefined) missing.push(node);
      else hashes.set(nodeKey(node), cached);
    }
    if (missing.length === 0) return hashes;
    const tiles = this.#readTiles(partition, tilesOfNodes(missing));
    const read = hashesFromTiles(missing, new Map(tiles.map((t) => [tileKey(t), t.hashes])));
    // The whole of each tile read is kept while there is room (the next proofs nearby need its
    // other nodes); else only what this proof needed, so that reads all over a large tree do
    // not empty the cache again and again.
    for (const tile of tiles) {
      const count = tile.hashes.length / HASH_SIZE;
      if (view?.hasRoomFor(count) !== true) continue;
      nodesInTile(tile, LOWEST_STORED_LEVEL, count).forEach((node, i) => view.keepNode(node, tile.hashes.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE)));
    }
    for (const node of missing) {
      const hash = read.get(nodeKey(node));
      if (hash === undefined) continue;
      hashes.set(nodeKey(node), hash);
      view?.keepNode(node, hash);
    }
    return hashes;
  }

  #readTiles(partition: TrailPartition, tiles: readonly TileId[]): (TileId & { hashes: Buffer })[] {
    // One statement per number of tiles (a handful): one indexed read for them all.
    const sql = `SELECT band, idx AS "index", hashes FROM merkle_tiles WHERE ${PARTITION} AND (band, idx) IN (VALUES ${tiles.map(() => '(?, ?)').join(', ')})`;
    return this.#statements.get(sql).all(...keyOf(partition), ...tiles.flatMap((t) => [t.band, t.index])) as (TileId & { hashes: Buffer })[];
  }

  #leafRange(partition: TrailPartition, view: CacheView | undefined, lo: number, hi: number): Buffer[] {
    const block = Math.floor(lo / LEAF_BLOCK);
    const blockStart = block * LEAF_BLOCK;
    // Proofs ask for leaves within one block of the lowest stored level: complete blocks are cached.
    if (view === undefined || hi > blockStart + LEAF_BLOCK || !view.holdsBlock(block)) return this.#readLeafRange(partition, lo, hi);
    let leaves = view.block(block);
    if (leaves === undefined) {
      // The files holding the block are read whole: every complete block in them is kept.
      const rows = this.#leafRows(partition, blockStart, blockStart + LEAF_BLOCK);
      leaves = Buffer.concat(sliceLeafHashes(rows, partition, blockStart, blockStart + LEAF_BLOCK));
      const end = rows.at(-1)!.last + 1;
      let row = 0;
      for (let b = Math.ceil(rows[0]!.first / LEAF_BLOCK); (b + 1) * LEAF_BLOCK <= end; b++) {
        while (rows[row]!.last < b * LEAF_BLOCK) row++;
        if (b !== block && view.holdsBlock(b) && view.hasRoomFor(LEAF_BLOCK)) view.keepBlock(b, Buffer.concat(sliceLeafHashes(rows.slice(row), partition, b * LEAF_BLOCK, (b + 1) * LEAF_BLOCK)));
      }
      view.keepBlock(block, leaves);
    }
    return blockHashes(leaves, blockStart, lo, hi);
  }

  #readLeafRange(partition: TrailPartition, lo: number, hi: number): Buffer[] {
    return sliceLeafHashes(this.#leafRows(partition, lo, hi), partition, lo, hi);
  }

  /** The files overlapping [lo, hi): from the one holding lo (the last starting at or before it). */
  #leafRows(partition: TrailPartition, lo: number, hi: number): LeafRow[] {
    return this.#statements
      .get(
        `SELECT leaf_first AS first, leaf_last AS last, leaf_hashes AS hashes FROM delivered_log_files WHERE ${PARTITION} AND leaf_first < ?
           AND leaf_first >= (SELECT MAX(leaf_first) FROM delivered_log_files WHERE ${PARTITION} AND leaf_first <= ?) ORDER BY leaf_first`,
      )
      .all(...keyOf(partition), hi, ...keyOf(partition), lo) as LeafRow[];
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
