/**
 * The trail port: trails, their logging state, delivery status and delivery cursors.
 */
import type { SelectorConfig } from '../core/selectors/index.js';

/** A trail's settings, as CreateTrail/UpdateTrail give them (validated and normalised). */
export interface TrailConfig {
  S3BucketName: string;
  S3KeyPrefix?: string;
  SnsTopicName?: string;
  IncludeGlobalServiceEvents: boolean;
  IsMultiRegionTrail: boolean;
  LogFileValidationEnabled: boolean;
  CloudWatchLogsLogGroupArn?: string;
  CloudWatchLogsRoleArn?: string;
  /** Full KMS key ARN. */
  KmsKeyId?: string;
}

/** What GetTrailStatus reports besides logging state; epoch ms. */
export interface DeliveryStatus {
  latestDeliveryTime?: number;
  latestDeliveryAttemptTime?: number;
  latestDeliveryError?: string;
  latestNotificationTime?: number;
  latestNotificationAttemptTime?: number;
  latestNotificationError?: string;
  latestDigestDeliveryTime?: number;
  latestDigestDeliveryError?: string;
}

export interface TrailTag {
  Key: string;
  Value?: string;
}

export interface Trail {
  trailArn: string;
  accountId: string;
  homeRegion: string;
  name: string;
  config: TrailConfig;
  /** undefined: never configured, CloudTrail's default selectors apply. */
  selectors?: SelectorConfig;
  tags: TrailTag[];
  isLogging: boolean;
  startLoggingTime?: number;
  stopLoggingTime?: number;
  status: DeliveryStatus;
  createdAt: number;
}

export interface DeliveryCursor {
  trailArn: string;
  /** Events with seq <= lastSeq are delivered (or were skipped). */
  lastSeq: number;
  /** Set by StopLogging: events after it are not delivered... */
  untilSeq?: number;
  /** ...until StartLogging: delivery resumes after this position (the gap is skipped). */
  resumeSeq?: number;
  /** A planned batch not yet confirmed: (lastSeq, batchLastSeq] at batchDeliveryTime. */
  batch?: { lastSeq: number; deliveryTime: number };
}

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

export interface DigestChain {
  active: boolean;
  lastEndTime?: number;
  /** Files recorded up to this id are covered by a digest already. */
  lastFileId: number;
  /** The last digest of the chain: the next one points to it. */
  previous?: { bucket: string; key: string; hashValue: string; signature: string };
  /** A digest planned (its end time and last file fixed) but not yet confirmed written. */
  pending?: { endTime: number; maxFileId: number };
}

export interface DigestRecord {
  region: string;
  endTime: number;
  bucket: string;
  key: string;
  treeSize: number;
  rootHash: string;
}

/**
 * Trails as workers and handlers see them. Trails are created, changed and deleted only by API
 * calls, through staged state changes (../state-change.ts) committed with the call's record;
 * what this port writes is the workers' own bookkeeping (cursors, status, ledger, chains).
 */
export interface TrailStore {
  get(trailArn: string): Promise<Trail | undefined>;
  /** Trails of an account: all regions, or those homed in one region. */
  list(accountId: string, homeRegion?: string): Promise<Trail[]>;
  /** Trails with events to deliver: logging, or stopped with delivery not yet at the stop. */
  listDeliverable(): Promise<Trail[]>;
  /** Merges fields into the trail's delivery status; null removes a field (an error cleared). */
  updateStatus(trailArn: string, changes: { [K in keyof DeliveryStatus]?: DeliveryStatus[K] | null }): Promise<void>;
  cursor(trailArn: string): Promise<DeliveryCursor | undefined>;
  /** Records the batch about to be delivered, so a crash redoes exactly it. */
  planBatch(trailArn: string, batchLastSeq: number, deliveryTime: number): Promise<void>;
  /**
   * The planned batch is delivered: in one transaction the cursor moves to its end, the files
   * are recorded, and the trees take their new states.
   */
  completeBatch(trailArn: string, batchLastSeq: number, delivered: { files: DeliveredFile[]; trees: TreeState[] }): Promise<void>;
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
  /** The first `treeSize` leaf hashes of the trail+region tree, in order (32 bytes each). */
  leafHashes(trailArn: string, region: string, treeSize: number): Promise<Buffer[]>;
  digestChain(trailArn: string, region: string): Promise<DigestChain | undefined>;
  /** Fixes the next digest (end time, last file) before it is built: a crash rebuilds the same one. */
  planDigest(trailArn: string, region: string, pending: { endTime: number; maxFileId: number }): Promise<void>;
  /** The planned digest is written: the chain moves on (and ends after a final digest). */
  completeDigest(trailArn: string, region: string, digest: DigestRecord & { previous: NonNullable<DigestChain['previous']>; maxFileId: number }, final: boolean): Promise<void>;
  /** Every trail, across accounts (the digest worker also finishes chains of stopped trails). */
  listAll(): Promise<Trail[]>;
  digests(trailArn: string, region: string): Promise<DigestRecord[]>;
  /** The delivered file holding a leaf of the trail+region tree. */
  fileForLeaf(trailArn: string, region: string, leafIndex: number): Promise<DeliveredFile | undefined>;
  /** Delivery reached the stop position and logging was restarted: skip the stopped gap. */
  skipGap(trailArn: string): Promise<void>;
}

/** What request handlers may read of trails: settings and the integrity ledger, nothing they could write. */
export type TrailReader = Pick<TrailStore, 'get' | 'list' | 'digests' | 'leafHashes' | 'fileForLeaf'>;
