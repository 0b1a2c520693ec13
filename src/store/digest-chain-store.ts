/**
 * The digest-chain port: each trail+region chain of digests (where it stands, the digest being
 * written) and the digests written, whose tree heads proofs are checked against.
 */

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

export interface DigestChainStore {
  digestChain(trailArn: string, region: string): Promise<DigestChain | undefined>;
  /** Fixes the next digest (end time, last file) before it is built: a crash rebuilds the same one. */
  planDigest(trailArn: string, region: string, pending: { endTime: number; maxFileId: number }): Promise<void>;
  /** The planned digest is written: the chain moves on (and ends after a final digest). */
  completeDigest(trailArn: string, region: string, digest: DigestRecord & { previous: NonNullable<DigestChain['previous']>; maxFileId: number }, final: boolean): Promise<void>;
  /** The digests written for the trail+region, oldest first. */
  digests(trailArn: string, region: string): Promise<DigestRecord[]>;
}

/** What proofs read of the digests (request handlers get no more). */
export type DigestChainReader = Pick<DigestChainStore, 'digests'>;
