/**
 * The Merkle-ledger port: the log files each trail delivered, with their leaf hashes, and the
 * state of each Merkle tree of a trail, one per partition (account and region,
 * ./trail-partition.ts). Digests are built from it and proofs computed from it. It is written
 * only when a batch completes (DeliveryCursorStore.completeBatch), in the same transaction that
 * moves the delivery cursor.
 */
import type { PartitionOfTrail, TrailPartition } from './trail-partition.js';

/** A log file a trail delivered: what its digest lists and what proofs are computed from. */
export interface DeliveredFile {
  /** The account whose events it holds (the trail's own, or a member's for an organization trail). */
  accountId: string;
  region: string;
  bucket: string;
  key: string;
  /** Lowercase hex SHA-256 of the uncompressed file. */
  sha256: string;
  newestEventTime: string;
  oldestEventTime: string;
  deliveredAt: number;
  /** Leaf indices (inclusive) of its records in its partition's Merkle tree. */
  leafFirst: number;
  leafLast: number;
  /** The records' leaf hashes, 32 bytes each, in file order. */
  leafHashes: Buffer;
}

/** A partition's Merkle tree: its size and compact frontier (CompactTree JSON). */
export interface TreeState {
  accountId: string;
  region: string;
  size: number;
  frontier: string;
}

export interface MerkleLedger {
  treeState(partition: TrailPartition): Promise<TreeState | undefined>;
  /** The partitions the trail has delivered to (has a tree in), by account then region. */
  treePartitions(trailArn: string): Promise<PartitionOfTrail[]>;
  /**
   * Files recorded with ids in (afterId, untilId], in tree order. Ids follow recording order, so
   * a file finished after a digest was planned goes into the next digest, never into none.
   */
  deliveredFiles(partition: TrailPartition, afterId: number, untilId: number): Promise<DeliveredFile[]>;
  /** The newest file id recorded for the partition (0 when none). */
  lastFileId(partition: TrailPartition): Promise<number>;
  /** Tree size after the files up to this id. */
  treeSizeAt(partition: TrailPartition, fileId: number): Promise<number>;
  /**
   * The first `treeSize` leaf hashes of the partition's tree, in order (32 bytes each). Throws
   * when the ledger holds fewer, or files that do not follow each other leaf by leaf.
   */
  leafHashes(partition: TrailPartition, treeSize: number): Promise<Buffer[]>;
  /**
   * RFC 6962 proofs and roots of the partition's tree at `treeSize` (up to its stored size),
   * from the perfect subtree roots stored with each batch (merkle-nodes.ts): O(log n) stored
   * hashes read, whatever the leaf's age. Throw when the ledger lacks what they need.
   */
  inclusionProof(partition: TrailPartition, leafIndex: number, treeSize: number): Promise<Buffer[]>;
  consistencyProof(partition: TrailPartition, oldSize: number, newSize: number): Promise<Buffer[]>;
  rootAt(partition: TrailPartition, treeSize: number): Promise<Buffer>;
  /**
   * The index of a leaf with this hash among the first `treeSize` (undefined when none): the
   * first in the files searched. `eventTime` (the event's ISO time) narrows the search to the
   * files whose records span it; all files are searched when those do not hold it.
   */
  leafIndexOf(partition: TrailPartition, leafHash: Buffer, treeSize: number, eventTime?: string): Promise<number | undefined>;
  /** The delivered file holding a leaf of the partition's tree. */
  fileForLeaf(partition: TrailPartition, leafIndex: number): Promise<DeliveredFile | undefined>;
}

/** What proofs read of the ledger (request handlers get no more). */
export type MerkleLedgerReader = Pick<MerkleLedger, 'inclusionProof' | 'consistencyProof' | 'rootAt' | 'leafIndexOf' | 'fileForLeaf'>;
