/**
 * `validate-logs` for one trail in one region: the stock CLI's walk and checks over the requested
 * range (same discovery, same fallbacks, same reasons and counts), plus:
 *
 * - strict reading (one gzip member, nothing after it) and previous-pointer hashes;
 * - the Merkle tree rebuilt from leaf 0, which may need digests and log files from before the
 *   range (walked further back, reported as "outside" the range) and, with a trusted digest,
 *   the digests after it;
 * - parallel I/O and hashing under one bound (digests are prefetched, log files checked as soon
 *   as their digest is valid).
 */
import type { ParsedDigest } from '../digest/digest-reader.js';
import { walkChain } from './chain-walk.js';
import type { WalkEvents } from './chain-walk.js';
import { checkDigest } from './digest-check.js';
import { digestKeyDate, digestKeyPattern, digestListPrefix, displayTime, keyDate, parseTrailArn } from './digest-keys.js';
import type { DigestTarget } from './digest-keys.js';
import pLimit from 'p-limit';
import { checkLogFile } from './log-file-check.js';
import { longestPeriod, lostDigests } from './lost-digests.js';
import type { ChainHole } from './lost-digests.js';
import type { LogFileResult } from './log-file-check.js';
import { checkMerkle } from './merkle-check.js';
import type { MerkleDigest, TrustedHead } from './merkle-check.js';
import { PublicKeyBook } from './public-keys.js';
import { readTrustedDigest } from './trusted-digest.js';
import { findUnlistedLogs, otherTrailDigest } from './unlisted-logs.js';
import type { TrustedDigestInput } from './trusted-digest.js';
import type { DigestOutcome, Entry, ObjectReader, PublicKeySource, Scope, Tally, ValidationResult, VerifiedDigest } from './types.js';

const HOUR = 3_600_000;
export const DEFAULT_CONCURRENCY = 16;

/** A run that cannot start (the CLI stops with the same messages). */
export class ValidationAbort extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValidationAbort';
  }
}

export interface ValidateOptions {
  reader: ObjectReader;
  publicKeys: PublicKeySource;
  trailArn: string;
  /** The trail's bucket and key prefix (DescribeTrails, or --s3-bucket / --s3-prefix). */
  bucket: string;
  prefix?: string | undefined;
  /** Default: the ARN's account. */
  accountId?: string | undefined;
  /** For an organization trail: its organization (files under AWSLogs/<o-id>/<acct>/). */
  organizationId?: string | undefined;
  /** Default: the ARN's region. */
  sourceRegion?: string | undefined;
  startMs: number;
  endMs: number;
  trusted?: TrustedDigestInput | undefined;
  /** Reads and hashes at once (default 16). */
  concurrency?: number | undefined;
  /** Called as files are checked; `total` grows as digests lead to more files. */
  onProgress?: ((done: number, total: number) => void) | undefined;
  /** Look for log files of the range that no valid digest lists (default true). */
  checkUnlisted?: boolean | undefined;
}

type Step =
  | { kind: 'valid'; scope: Scope; verified: VerifiedDigest }
  | { kind: 'invalid'; scope: Scope; bucket: string; key: string; reason: string }
  | { kind: 'gap'; scope: Scope; nextEndMs: number; lastStartMs: number }
  | { kind: 'hole'; scope: Scope; hole: ChainHole };

const id = (bucket: string, key: string) => `${bucket}/${key}`;

/** Lowest leaf a digest vouches for: its first file's, or its tree size when it lists none. */
function lowestLeaf(digest: ParsedDigest): number {
  const firsts = digest.logFiles.map((f) => f.openTrailLeafRange?.first ?? Number.POSITIVE_INFINITY);
  return Math.min(digest.openTrailMerkle?.treeSize ?? 0, ...firsts);
}

export async function validateTrail(options: ValidateOptions): Promise<ValidationResult> {
  const { reader, startMs, endMs } = options;
  let arn: ReturnType<typeof parseTrailArn>;
  try {
    arn = parseTrailArn(options.trailArn);
  } catch (error) {
    throw new ValidationAbort((error as Error).message);
  }
  if (startMs > endMs) throw new ValidationAbort('Invalid time range specified: start-time must occur before end-time');
  const target: DigestTarget = {
    prefix: options.prefix,
    organizationId: options.organizationId,
    accountId: options.accountId ?? arn.accountId,
    sourceRegion: options.sourceRegion ?? arn.homeRegion,
    homeRegion: arn.homeRegion,
    trailName: arn.trailName,
  };
  const pattern = digestKeyPattern(target);
  const listed = async (bucket: string) => (await reader.listKeys(bucket, digestListPrefix(target))).filter((key) => pattern.test(key));
  const low = keyDate(startMs);
  const high = keyDate(endMs + HOUR);
  const inRange = (key: string) => digestKeyDate(key) >= low && digestKeyDate(key) <= high;
  const everyDigestKey = await reader.listKeys(options.bucket, digestListPrefix(target));
  const all = everyDigestKey.filter((key) => pattern.test(key));

  const keyBook = new PublicKeyBook(options.publicKeys);
  if ((await keyBook.load(startMs, endMs + 2 * HOUR)).length === 0) {
    throw new ValidationAbort(`No public keys found between ${displayTime(startMs)} and ${displayTime(endMs + 2 * HOUR)}`);
  }

  const limit = pLimit(options.concurrency ?? DEFAULT_CONCURRENCY);
  let done = 0;
  let total = 0;
  const track = async <T>(work: Promise<T>): Promise<T> => {
    total++;
    options.onProgress?.(done, total);
    return work.finally(() => options.onProgress?.(++done, total));
  };

  // Digests: read once, never rejected (a read error makes the digest invalid).
  const digests = new Map<string, Promise<DigestOutcome>>();
  const loadDigest = async (bucket: string, key: string): Promise<DigestOutcome> => {
    let outcome = digests.get(id(bucket, key));
    if (outcome === undefined) {
      outcome = track(
        limit(async (): Promise<DigestOutcome> => {
          try {
            const object = await reader.getObject(bucket, key);
            if (object === undefined) return { status: 'missing' };
            return await checkDigest(object, { bucket, key, homeRegion: target.homeRegion }, keyBook.lookup);
          } catch (error) {
            return { status: 'invalid', reason: `could not be read: ${error instanceof Error ? error.message : String(error)}` };
          }
        }),
      );
      digests.set(id(bucket, key), outcome);
    }
    return outcome;
  };
  const prefetch = (keys: readonly string[]) => keys.forEach((key) => void loadDigest(options.bucket, key));

  // Log files: checked as soon as a digest listing them is valid.
  const logs = new Map<string, Promise<LogFileResult>>();
  const checkLogs = (verified: VerifiedDigest) => {
    const wantLeaves = verified.digest.openTrailMerkle !== null;
    for (const file of verified.digest.logFiles) {
      const fileId = id(file.s3Bucket, file.s3Object);
      if (logs.has(fileId)) continue;
      logs.set(fileId, track(limit(async () => checkLogFile(reader, { bucket: file.s3Bucket, key: file.s3Object, hashValue: file.hashValue }, wantLeaves))));
    }
  };

  const steps: Step[] = [];
  const holes: ChainHole[] = [];
  const reported = new Set<string>();
  const valid: { scope: Scope; verified: VerifiedDigest }[] = [];
  const recorder = (scope: Scope): WalkEvents => {
    /** True the first time a digest is reported: a later walk may reach it again. */
    const once = (bucket: string, key: string): boolean => {
      if (reported.has(id(bucket, key))) return false;
      reported.add(id(bucket, key));
      return true;
    };
    return {
      valid(verified) {
        if (!once(verified.bucket, verified.key)) return;
        steps.push({ kind: 'valid', scope, verified });
        valid.push({ scope, verified });
        checkLogs(verified);
      },
      missing(bucket, key) {
        if (once(bucket, key)) steps.push({ kind: 'invalid', scope, bucket, key, reason: 'not found' });
      },
      invalid(bucket, key, reason) {
        if (once(bucket, key)) steps.push({ kind: 'invalid', scope, bucket, key, reason });
      },
      gap(nextEndMs, lastStartMs) {
        steps.push({ kind: 'gap', scope, nextEndMs, lastStartMs });
      },
      hole(newer, older, reportedBetween) {
        if (reported.has(id(older.bucket, older.key))) return; // a later walk meets the same hole again
        const hole = { newer, older, reported: reportedBetween };
        holes.push(hole);
        steps.push({ kind: 'hole', scope, hole });
      },
      loop(verified, previous) {
        // The digest it chained to is gone (counted like a missing one); named by its pointer.
        const reason =
          previous.bucket === verified.bucket && previous.key === verified.key
            ? 'overwritten: the digest now at this key names this key as its previous digest'
            : `the previous digest pointer of s3://${verified.bucket}/${verified.key} leads back to a digest already checked`;
        steps.push({ kind: 'invalid', scope, bucket: previous.bucket, key: previous.key, reason });
      },
    };
  };
  const walk = async (keys: string[], scope: Scope, proceed: (key: string, lastStartMs: number) => boolean, first?: { bucket: string; key: string; via: VerifiedDigest }) =>
    walkChain({ keys, bucket: options.bucket, proceed, load: loadDigest, relist: async (bucket) => (await listed(bucket)).filter(inRange), events: recorder(scope), ...(first && { first }) });

  let trusted: TrustedHead | undefined;
  const trustedEntries: Entry[] = [];
  if (options.trusted !== undefined) {
    const head = await readTrustedDigest(options.trusted, { bucket: options.bucket, keyPattern: pattern, homeRegion: target.homeRegion }, keyBook.lookup);
    if ('problem' in head) trustedEntries.push({ kind: 'trusted', path: options.trusted.path, valid: false, reason: head.problem });
    else {
      trusted = head;
      trustedEntries.push({ kind: 'trusted', path: options.trusted.path, valid: true, location: head.location, treeSize: head.treeSize });
    }
  }

  // 1. The requested range, exactly as the CLI walks it.
  const rangeKeys = all.filter(inRange);
  prefetch(rangeKeys);
  await walk([...rangeKeys], 'range', (_key, lastStartMs) => startMs <= lastStartMs);

  // 2. With a trusted digest: the digests after the range, down to it (the tail must reach the trusted head).
  if (trusted !== undefined) {
    const later = all.filter((key) => digestKeyDate(key) > high);
    prefetch(later);
    await walk(later, 'outside', (key) => digestKeyDate(key) > high);
  }

  // 3. The Merkle tree starts at leaf 0: walk back past the range until a valid digest vouches for it.
  const merkleWanted = valid.some((d) => d.scope === 'range') || trusted !== undefined;
  const treeDigests = () => valid.map((d) => d.verified).filter((v) => v.digest.openTrailMerkle !== null);
  const lowest = () => Math.min(...treeDigests().map((v) => lowestLeaf(v.digest)));
  if (merkleWanted && valid.length > 0 && treeDigests().length === valid.length && lowest() > 0) {
    const oldest = valid.map((d) => d.verified).reduce((a, b) => (b.endMs < a.endMs ? b : a));
    const earlier = all.filter((key) => digestKeyDate(key) < digestKeyDate(oldest.key) && !reported.has(id(options.bucket, key)));
    prefetch(earlier);
    const { previousDigestS3Bucket: bucket, previousDigestS3Object: key } = oldest.digest;
    const first = bucket !== null && key !== null && !reported.has(id(bucket, key)) ? { bucket, key, via: oldest } : undefined;
    await walk(earlier, 'outside', () => lowest() > 0, first);
  }

  // Results, in the CLI's order: each digest, then its log files.
  const results = new Map<string, LogFileResult>();
  await Promise.all([...logs].map(async ([fileId, result]) => results.set(fileId, await result)));
  const entries: Entry[] = [...trustedEntries];
  const tally = (): Record<Scope, Tally> => ({ range: { valid: 0, invalid: 0 }, outside: { valid: 0, invalid: 0 } });
  const digestTally = tally();
  const logTally = tally();
  let foundStartMs: number | undefined;
  let foundEndMs: number | undefined;
  const periodMs = longestPeriod(valid.map((d) => d.verified));
  for (const step of steps) {
    if (step.kind === 'hole') {
      const { newer, older } = step.hole;
      for (const lost of lostDigests(step.hole, periodMs)) {
        digestTally[step.scope].invalid++;
        entries.push({ kind: 'lost', scope: step.scope, bucket: older.bucket, estimatedEndMs: lost.estimatedEndMs, afterKey: older.key, beforeKey: newer.digest.previousDigestS3Object ?? newer.key });
      }
    } else if (step.kind === 'gap') {
      entries.push({ kind: 'gap', scope: step.scope, nextEndMs: step.nextEndMs, lastStartMs: step.lastStartMs });
    } else if (step.kind === 'invalid') {
      digestTally[step.scope].invalid++;
      entries.push({ kind: 'digest', scope: step.scope, bucket: step.bucket, key: step.key, valid: false, reason: step.reason });
    } else {
      const { scope, verified } = step;
      digestTally[scope].valid++;
      entries.push({ kind: 'digest', scope, bucket: verified.bucket, key: verified.key, valid: true });
      if (scope === 'range') {
        foundStartMs = Math.min(foundStartMs ?? Number.POSITIVE_INFINITY, Math.max(verified.startMs, startMs));
        foundEndMs = Math.max(foundEndMs ?? Number.NEGATIVE_INFINITY, Math.min(verified.endMs, endMs));
      }
      for (const file of verified.digest.logFiles) {
        const result = results.get(id(file.s3Bucket, file.s3Object))!;
        logTally[scope][result.valid ? 'valid' : 'invalid']++;
        entries.push(
          result.valid
            ? { kind: 'log', scope, bucket: file.s3Bucket, key: file.s3Object, valid: true }
            : { kind: 'log', scope, bucket: file.s3Bucket, key: file.s3Object, valid: false, reason: result.reason },
        );
      }
    }
  }

  if (options.checkUnlisted !== false && valid.length > 0) {
    // Log file keys do not name their trail: with another trail's files under the same prefix, none can be told apart.
    const other = otherTrailDigest(everyDigestKey, pattern);
    if (other !== undefined) {
      entries.push({ kind: 'unlisted', status: 'not checked', reason: `another trail's digests share this bucket and prefix (s3://${options.bucket}/${other}), and log file keys do not name their trail` });
    } else {
      const unlisted = await findUnlistedLogs({ reader, bucket: options.bucket, target, startMs, endMs, valid: valid.map((d) => d.verified), holes, limit });
      for (const { key, reason } of unlisted) {
        logTally.range.invalid++;
        entries.push({ kind: 'log', scope: 'range', bucket: options.bucket, key, valid: false, reason });
      }
    }
  }

  let merkleOk = true;
  if (merkleWanted) {
    const merkleDigests: MerkleDigest[] = valid.map(({ verified }) => ({
      verified,
      files: verified.digest.logFiles.map((f) => ({
        bucket: f.s3Bucket,
        key: f.s3Object,
        range: f.openTrailLeafRange,
        result: results.get(id(f.s3Bucket, f.s3Object))!,
      })),
    }));
    const merkle = checkMerkle(merkleDigests, trusted);
    const region = target.sourceRegion;
    if (merkle.status === 'valid') entries.push({ kind: 'merkle', region, status: 'valid', leaves: merkle.leaves });
    else if (merkle.status === 'unavailable') entries.push({ kind: 'merkle', region, status: 'unavailable', reason: merkle.reason });
    else {
      merkleOk = false;
      for (const reason of merkle.reasons) entries.push({ kind: 'merkle', region, status: 'invalid', reason });
    }
  }

  const invalidCount = digestTally.range.invalid + digestTally.outside.invalid + logTally.range.invalid + logTally.outside.invalid;
  const trustedOk = trustedEntries.every((e) => e.kind === 'trusted' && e.valid);
  return {
    entries,
    digests: digestTally,
    logs: logTally,
    ...(foundStartMs !== undefined && { foundStartMs }),
    ...(foundEndMs !== undefined && { foundEndMs }),
    ok: invalidCount === 0 && merkleOk && trustedOk,
  };
}
