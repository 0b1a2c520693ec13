/**
 * The Merkle-ledger port on PostgreSQL (as sqlite/merkle-ledger.ts): delivered_log_files,
 * trail_trees and merkle_tiles, written only by `insertLedgerRows` inside the transaction that completes a
 * delivery batch (delivery-cursor-store.ts).
 */
import type { Pool, PoolClient } from 'pg';
import { tileKey } from '../../integrity/merkle/index.js';
import type { PerfectNode, TileId } from '../../integrity/merkle/index.js';
import { findLeaf, joinLeafHashes, sliceLeafHashes } from '../leaf-hashes.js';
import { filesByPartition, hashesFromTiles, nodesOfBatch, tileWrites, tilesOfNodes } from '../merkle-nodes.js';
import { consistencyProofFromNodes, inclusionProofFromNodes, rootFromNodes } from '../proofs-from-nodes.js';
import type { NodeReads } from '../proofs-from-nodes.js';
import type { LeafRow } from '../leaf-hashes.js';
import type { DeliveredFile, MerkleLedger, TreeState } from '../merkle-ledger.js';
import type { PartitionOfTrail, TrailPartition } from '../trail-partition.js';

const PARTITION = 'trail_arn = $1 AND account_id = $2 AND region = $3';

function keyOf(p: TrailPartition): [string, string, string] {
  return [p.trailArn, p.accountId, p.region];
}

const DELIVERED_FILE_COLUMNS = `account_id AS "accountId", region, bucket, key, sha256, newest_event_time AS "newestEventTime", oldest_event_time AS "oldestEventTime",
       delivered_at AS "deliveredAt", leaf_first AS "leafFirst", leaf_last AS "leafLast", leaf_hashes AS "leafHashes"`;

/**
 * A batch's files, the perfect nodes their leaves complete (from the stored frontiers, as on
 * SQLite) and the trees' new states, inside the caller's transaction.
 */
export async function insertLedgerRows(client: PoolClient, trailArn: string, delivered: { files: DeliveredFile[]; trees: TreeState[] }): Promise<void> {
  for (const [accountId, region, files] of filesByPartition(delivered.files)) {
    const partition = { trailArn, accountId, region };
    // Read before this batch's tree row is written: the tree as it was before the batch.
    const previous = (await client.query<TreeState>(`SELECT account_id AS "accountId", region, size, frontier FROM trail_trees WHERE ${PARTITION}`, keyOf(partition))).rows[0];
    for (const write of tileWrites(nodesOfBatch(previous, files))) {
      if (write.position === 0) {
        await client.query(
          `INSERT INTO merkle_tiles (trail_arn, account_id, region, band, idx, hashes) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (trail_arn, account_id, region, band, idx) DO UPDATE SET hashes = EXCLUDED.hashes`,
          [...keyOf(partition), write.band, write.index, write.hashes],
        );
      } else {
        // The stored prefix, then this batch's nodes; a tile lacking the nodes before them (a gapped ledger) is left as it is.
        await client.query(
          `UPDATE merkle_tiles SET hashes = substring(hashes FROM 1 FOR $6) || $7 WHERE ${PARTITION} AND band = $4 AND idx = $5 AND length(hashes) >= $6`,
          [...keyOf(partition), write.band, write.index, write.position * 32, write.hashes],
        );
      }
    }
  }
  for (const f of delivered.files) {
    // A batch redone after a crash records the same leaves again: the later row replaces the earlier, as on SQLite.
    await client.query(
      `INSERT INTO delivered_log_files (trail_arn, account_id, region, bucket, key, sha256, newest_event_time, oldest_event_time, delivered_at, leaf_first, leaf_last, leaf_hashes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (trail_arn, account_id, region, leaf_first) DO UPDATE SET bucket = EXCLUDED.bucket, key = EXCLUDED.key, sha256 = EXCLUDED.sha256,
         newest_event_time = EXCLUDED.newest_event_time, oldest_event_time = EXCLUDED.oldest_event_time, delivered_at = EXCLUDED.delivered_at,
         leaf_last = EXCLUDED.leaf_last, leaf_hashes = EXCLUDED.leaf_hashes`,
      [trailArn, f.accountId, f.region, f.bucket, f.key, f.sha256, f.newestEventTime, f.oldestEventTime, f.deliveredAt, f.leafFirst, f.leafLast, f.leafHashes],
    );
  }
  for (const t of delivered.trees) {
    await client.query(
      `INSERT INTO trail_trees (trail_arn, account_id, region, size, frontier) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (trail_arn, account_id, region) DO UPDATE SET size = EXCLUDED.size, frontier = EXCLUDED.frontier`,
      [trailArn, t.accountId, t.region, t.size, t.frontier],
    );
  }
}

export class PostgresMerkleLedger implements MerkleLedger {
  readonly #pool: Pool;
  readonly #reads: NodeReads;

  constructor(pool: Pool) {
    this.#pool = pool;
    this.#reads = {
      read: async (partition, nodes, leafRanges) => ({
        nodes: nodes.length === 0 ? new Map<string, Buffer>() : await this.#storedNodes(partition, nodes),
        leaves: await Promise.all(leafRanges.map(async ([lo, hi]) => this.#leafRange(partition, lo, hi))),
      }),
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
    const leaves = `SELECT leaf_first AS first, leaf_last AS last, leaf_hashes AS hashes FROM delivered_log_files WHERE ${PARTITION} AND leaf_first < $4`;
    if (eventTime !== undefined) {
      const rows = await this.#pool.query<LeafRow>(`${leaves} AND oldest_event_time <= $5 AND newest_event_time >= $5`, [...keyOf(partition), treeSize, eventTime]);
      const found = findLeaf(rows.rows, leafHash, treeSize);
      if (found !== undefined) return found;
    }
    // A page of files at a time, so that a large tree's leaves are never all in memory at once.
    let found: number | undefined;
    for (let after = -1; ; ) {
      const page = await this.#pool.query<LeafRow>(`${leaves} AND leaf_first > $5 ORDER BY leaf_first LIMIT 200`, [...keyOf(partition), treeSize, after]);
      const index = findLeaf(page.rows, leafHash, treeSize);
      if (index !== undefined) found = found === undefined ? index : Math.min(found, index);
      if (found !== undefined || page.rows.length < 200) return found;
      after = page.rows.at(-1)!.first;
    }
  }

  async #storedNodes(partition: TrailPartition, nodes: readonly PerfectNode[]): Promise<Map<string, Buffer>> {
    const tiles = tilesOfNodes(nodes);
    const result = await this.#pool.query<TileId & { hashes: Buffer }>(
      `SELECT band, idx AS index, hashes FROM merkle_tiles WHERE ${PARTITION} AND (band, idx) IN (SELECT * FROM unnest($4::int[], $5::bigint[]))`,
      [...keyOf(partition), tiles.map((t) => t.band), tiles.map((t) => t.index)],
    );
    return hashesFromTiles(nodes, new Map(result.rows.map((r) => [tileKey(r), r.hashes])));
  }

  async #leafRange(partition: TrailPartition, lo: number, hi: number): Promise<Buffer[]> {
    // The files overlapping [lo, hi): from the one holding lo (the last starting at or before it).
    const result = await this.#pool.query<LeafRow>(
      `SELECT leaf_first AS first, leaf_last AS last, leaf_hashes AS hashes FROM delivered_log_files WHERE ${PARTITION} AND leaf_first < $4
         AND leaf_first >= (SELECT MAX(leaf_first) FROM delivered_log_files WHERE ${PARTITION} AND leaf_first <= $5) ORDER BY leaf_first`,
      [...keyOf(partition), hi, lo],
    );
    return sliceLeafHashes(result.rows, partition, lo, hi);
  }

  async treeState(partition: TrailPartition): Promise<TreeState | undefined> {
    return (await this.#pool.query<TreeState>(`SELECT account_id AS "accountId", region, size, frontier FROM trail_trees WHERE ${PARTITION}`, keyOf(partition))).rows[0];
  }

  async treePartitions(trailArn: string): Promise<PartitionOfTrail[]> {
    const result = await this.#pool.query<PartitionOfTrail>(
      'SELECT account_id AS "accountId", region FROM trail_trees WHERE trail_arn = $1 ORDER BY account_id COLLATE "C", region COLLATE "C"',
      [trailArn],
    );
    return result.rows;
  }

  async deliveredFiles(partition: TrailPartition, afterId: number, untilId: number): Promise<DeliveredFile[]> {
    const result = await this.#pool.query<DeliveredFile>(
      `SELECT ${DELIVERED_FILE_COLUMNS} FROM delivered_log_files WHERE ${PARTITION} AND file_id > $4 AND file_id <= $5 ORDER BY leaf_first`,
      [...keyOf(partition), afterId, untilId],
    );
    return result.rows;
  }

  async lastFileId(partition: TrailPartition): Promise<number> {
    return (await this.#pool.query<{ id: number }>(`SELECT COALESCE(MAX(file_id), 0) AS id FROM delivered_log_files WHERE ${PARTITION}`, keyOf(partition))).rows[0]!.id;
  }

  async treeSizeAt(partition: TrailPartition, fileId: number): Promise<number> {
    const result = await this.#pool.query<{ size: number }>(
      `SELECT COALESCE(MAX(leaf_last) + 1, 0) AS size FROM delivered_log_files WHERE ${PARTITION} AND file_id <= $4`,
      [...keyOf(partition), fileId],
    );
    return result.rows[0]!.size;
  }

  async fileForLeaf(partition: TrailPartition, leafIndex: number): Promise<DeliveredFile | undefined> {
    const result = await this.#pool.query<DeliveredFile>(
      `SELECT ${DELIVERED_FILE_COLUMNS} FROM delivered_log_files WHERE ${PARTITION} AND leaf_first <= $4 AND leaf_last >= $4`,
      [...keyOf(partition), leafIndex],
    );
    return result.rows[0];
  }

  /** Throws when the ledger holds fewer than `treeSize` leaves, or files with gaps between them (leaf-hashes.ts). */
  async leafHashes(partition: TrailPartition, treeSize: number): Promise<Buffer[]> {
    const result = await this.#pool.query<LeafRow>(
      `SELECT leaf_first AS first, leaf_last AS last, leaf_hashes AS hashes FROM delivered_log_files WHERE ${PARTITION} AND leaf_first < $4 ORDER BY leaf_first`,
      [...keyOf(partition), treeSize],
    );
    return joinLeafHashes(result.rows, partition, treeSize);
  }
}
