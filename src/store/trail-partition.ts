/**
 * What one Merkle tree and one digest chain cover: a trail's delivery of one account's events in
 * one region. A trail logs its own account, so it has one partition per region; an organization
 * trail logs every account of its organization, each in its own partitions (its files and
 * digests lie under AWSLogs/<org-id>/<account-id>/, and each account validates its own chain).
 */
export interface TrailPartition {
  trailArn: string;
  /** The account whose events the partition holds. */
  accountId: string;
  region: string;
}

/** A partition within a trail: its account and region. */
export type PartitionOfTrail = Omit<TrailPartition, 'trailArn'>;

/** Partitions in a stable order: by account, then region. */
export function comparePartitions(a: PartitionOfTrail, b: PartitionOfTrail): number {
  if (a.accountId !== b.accountId) return a.accountId < b.accountId ? -1 : 1;
  return a.region < b.region ? -1 : a.region > b.region ? 1 : 0;
}
