/**
 * The digest-chain port: each chain of digests of a trail, one per partition (account and
 * region, ./trail-partition.ts): where it stands, the digest being written, and the digests
 * written, whose tree heads proofs are checked against.
 */
import type { PartitionOfTrail, TrailPartition } from './trail-partition.js';

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
  accountId: string;
  region: string;
  endTime: number;
  bucket: string;
  key: string;
  treeSize: number;
  rootHash: string;
}

export interface DigestChainStore {
  digestChain(partition: TrailPartition): Promise<DigestChain | undefined>;
  /** Fixes the next digest (end time, last file) before it is built: a crash rebuilds the same one. */
  planDigest(partition: TrailPartition, pending: { endTime: number; maxFileId: number }): Promise<void>;
  /** The planned digest is written: the chain moves on (and ends after a final digest). */
  completeDigest(partition: TrailPartition, digest: Omit<DigestRecord, 'accountId' | 'region'> & { previous: NonNullable<DigestChain['previous']>; maxFileId: number }, final: boolean): Promise<void>;
  /** The digests written for the partition, oldest first. */
  digests(partition: TrailPartition): Promise<DigestRecord[]>;
  /** Every chain of a trail, by account then region, with its latest digest (ListDigestChains). */
  chainsOfTrail(trailArn: string): Promise<DigestChainSummary[]>;
}

export interface DigestChainSummary extends PartitionOfTrail {
  active: boolean;
  digestCount: number;
  latest?: DigestRecord;
}

/** What request handlers read of the digests: proofs, and the chains' status. */
export type DigestChainReader = Pick<DigestChainStore, 'digests' | 'chainsOfTrail'>;
