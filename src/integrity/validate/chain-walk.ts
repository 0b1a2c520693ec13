/**
 * The digest chain walk of `aws cloudtrail validate-logs` (the AWS CLI's `cloudtrail validate-logs` (AWS CLI Command Reference, and the behaviour of the stock CLI)): start at the newest
 * listed key, follow each valid digest's previous pointer, and fall back to the next older
 * listed key when a digest is missing, invalid, or starts a chain (a logging gap). Two additions:
 * a digest reached through a pointer must be the one the pointer signed (its SHA-256 equals
 * `previousDigestHashValue`, its signature equals `previousDigestSignature`), and a pointer back
 * to a digest this walk already visited is reported and not followed: the CLI follows it forever.
 * (A digest that names its own key as previous is what a digest overwritten at the same key
 * leaves behind: two digests ending in the same second share a key.)
 */
import { digestKeyDate, keyDateMs } from './digest-keys.js';
import type { DigestOutcome, VerifiedDigest } from './types.js';

export interface WalkEvents {
  valid(verified: VerifiedDigest): void;
  missing(bucket: string, key: string): void;
  invalid(bucket: string, key: string, reason: string): void;
  gap(nextEndMs: number, lastStartMs: number): void;
  /** `verified` points back to `previous`, a digest this walk already visited. */
  loop(verified: VerifiedDigest, previous: { bucket: string; key: string }): void;
  /**
   * The chain is broken between two valid digests: `newer` pointed to a digest that is missing
   * or invalid, and falling back reached `older`. Whatever `newer` chained to, and any digests
   * before it back to `older`, are gone; this is what they covered. `reported`: how many digests
   * in between were reported (missing or invalid). Called before valid(older).
   */
  hole(newer: VerifiedDigest, older: VerifiedDigest, reported: number): void;
}

export interface WalkOptions {
  /** Listed keys to fall back to, ascending; popped from the end as the CLI does (mutated). */
  keys: string[];
  bucket: string;
  /** Where to start instead of the newest listed key: a pointer of an already verified digest. */
  first?: { bucket: string; key: string; via: VerifiedDigest };
  /** Asked before each visit, with the key and the start time of the last valid digest. */
  proceed(key: string, lastStartMs: number): boolean;
  load(bucket: string, key: string): Promise<DigestOutcome>;
  /** The listed keys of another bucket, when a pointer leads there. */
  relist(bucket: string): Promise<string[]>;
  events: WalkEvents;
}

/** The newest listed key dated before `before` (the newest of all without it), popping the skipped ones. */
function nextOlder(keys: string[], before?: string): string | undefined {
  const limit = before === undefined ? undefined : digestKeyDate(before);
  while (keys.length > 0) {
    const key = keys.pop()!;
    if (limit === undefined || digestKeyDate(key) < limit) return key;
  }
  return undefined;
}

function pointerProblem(via: VerifiedDigest, reached: VerifiedDigest): string | undefined {
  const from = `s3://${via.bucket}/${via.key}`;
  if (via.digest.previousDigestHashValue !== reached.sha256) return `hash value doesn't match the previousDigestHashValue of ${from}`;
  if (via.digest.previousDigestSignature?.toLowerCase() !== reached.signature.toLowerCase()) {
    return `signature doesn't match the previousDigestSignature of ${from}`;
  }
  return undefined;
}

export async function walkChain(options: WalkOptions): Promise<void> {
  const { events } = options;
  let keys = options.keys;
  let bucket = options.first?.bucket ?? options.bucket;
  let key = options.first?.key ?? nextOlder(keys);
  let via = options.first?.via;
  let lastStartMs = via?.startMs ?? (key === undefined ? Number.NaN : keyDateMs(key));
  const seen = new Set<string>();
  /** The valid digest whose pointer led to a missing or invalid one, until a valid one is reached. */
  let brokenAt: VerifiedDigest | undefined;
  let reportedSinceBreak = 0;

  const fallBack = (): void => {
    key = nextOlder(keys, key);
    via = undefined;
  };
  const fallBackFromBroken = (): void => {
    brokenAt ??= via;
    if (brokenAt !== undefined) reportedSinceBreak++;
    fallBack();
  };

  while (key !== undefined && options.proceed(key, lastStartMs)) {
    seen.add(`${bucket}/${key}`);
    const outcome = await options.load(bucket, key);
    if (outcome.status === 'missing') {
      events.missing(bucket, key);
      fallBackFromBroken();
      continue;
    }
    if (outcome.status === 'invalid') {
      events.invalid(bucket, key, outcome.reason);
      fallBackFromBroken();
      continue;
    }
    const verified = outcome.verified;
    const problem = via === undefined ? undefined : pointerProblem(via, verified);
    if (problem !== undefined) {
      events.invalid(bucket, key, problem);
      fallBackFromBroken();
      continue;
    }
    lastStartMs = verified.startMs;
    if (brokenAt !== undefined) events.hole(brokenAt, verified, reportedSinceBreak);
    brokenAt = undefined;
    reportedSinceBreak = 0;
    events.valid(verified);
    const { previousDigestS3Bucket: previousBucket, previousDigestS3Object: previousKey } = verified.digest;
    const loops = previousBucket !== null && previousKey !== null && seen.has(`${previousBucket}/${previousKey}`);
    if (loops) events.loop(verified, { bucket: previousBucket, key: previousKey });
    if (previousBucket === null || previousKey === null || loops) {
      fallBack();
      if (key !== undefined && previousKey === null) events.gap(keyDateMs(key), lastStartMs);
      continue;
    }
    key = previousKey;
    via = verified;
    if (previousBucket !== bucket) {
      bucket = previousBucket;
      keys = await options.relist(bucket);
    }
  }
}
