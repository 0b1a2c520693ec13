/**
 * The Merkle-ledger port: the log files each trail delivered, with their leaf hashes, and the
 * state of each trail+region Merkle tree. Digests are built from it and proofs computed from it.
 * It is written only when a batch completes (DeliveryCursorStore.completeBatch), in the same
 * transaction that moves the delivery cursor.
 */

/** A log file a trail delivered: what its digest lists and what proofs are computed from. */
export interface DeliveredFile {
  region: string;
  bucket: string;
  key: string;
  /** Lowercase hex SHA-256 of the uncompressed file. */
  sha256: string;
  newestEventTime: string;
  oldestEventTime: string;
  deliveredAt: number;
  /** Leaf indices (inclusive) of its records in the trail+region Merkle tree. */
  leafFirst: number;
  leafLast: number;
  /** The records' leaf hashes, 32 bytes each, in file order. */
  leafHashes: Buffer;
}

/** A trail+region Merkle tree: its size and compact frontier (CompactTree JSON). */
export interface TreeState {
  region: string;
  size: number;
  frontier: string;
}

export interface MerkleLedger {
  treeState(trailArn: string, region: string): Promise<TreeState | undefined>;
  /** Regions the trail has delivered to (has a tree in). */
  treeRegions(trailArn: string): Promise<string[]>;
  /**
   * Files recorded with ids in (afterId, untilId], in tree order. Ids follow recording order, so
   * a file finished after a digest was planned goes into the next digest, never into none.
   */
  deliveredFiles(trailArn: string, region: string, afterId: number, untilId: number): Promise<DeliveredFile[]>;
  /** The newest file id recorded for the trail+region (0 when none). */
  lastFileId(trailArn: string, region: string): Promise<number>;
  /** Tree size after the files up to this id. */
  treeSizeAt(trailArn: string, region: string, fileId: number): Promise<number>;
  /**
   * The first `treeSize` leaf hashes of the trail+region tree, in order (32 bytes each). Throws
   * when the ledger holds fewer, or files that do not follow each other leaf by leaf.
   */
  leafHashes(trailArn: string, region: string, treeSize: number): Promise<Buffer[]>;
  /** The delivered file holding a leaf of the trail+region tree. */
  fileForLeaf(trailArn: string, region: string, leafIndex: number): Promise<DeliveredFile | undefined>;
}

/** What proofs read of the ledger (request handlers get no more). */
export type MerkleLedgerReader = Pick<MerkleLedger, 'leafHashes' | 'fileForLeaf'>;
