/**
 * Which account owns a bucket behind the gateway. Written only through the event log (the
 * claimBucket / releaseBucket changes of a CreateBucket / DeleteBucket record), read by the
 * gateway to refuse one account another's bucket, as S3 refuses it without a bucket policy.
 */
export interface BucketOwners {
  /** The owning account, or undefined for a bucket not made through the gateway. */
  ownerOf(bucket: string): Promise<string | undefined>;
  /** The buckets made through the gateway by any other account than this one. */
  ownedByOthers(accountId: string): Promise<Set<string>>;
}
