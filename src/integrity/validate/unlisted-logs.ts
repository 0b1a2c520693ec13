/**
 * Log files in the bucket that no valid digest lists: a file copied in under a new key, a
 * forged one, or the files of deleted digests. The CLI checks only the files digests name, so
 * an added file passes unseen, yet every reader of the bucket takes it as delivered.
 *
 * When a file must be listed is decided by time. A log file key carries its delivery minute; a
 * file whose whole minute lies within what the chain covers (the periods of valid digests, and
 * the holes left by deleted ones) was delivered while digests were written, so one should list
 * it. Files outside (delivered after the newest digest, not yet in one; or while validation was
 * off) are left alone, unless they are byte for byte a copy of a listed file: that is never a
 * delivery, whenever it claims to be.
 */
import { createHash } from 'node:crypto';
import { parseLogFileKey } from '../../core/log-file.js';
import { accountFolder } from './digest-keys.js';
import type { DigestTarget } from './digest-keys.js';
import { gunzipMember } from './gzip-member.js';
import type { LimitFunction } from 'p-limit';
import type { ChainHole } from './lost-digests.js';
import type { ObjectReader, VerifiedDigest } from './types.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

export interface UnlistedLog {
  key: string;
  reason: string;
}

export interface UnlistedInput {
  reader: ObjectReader;
  bucket: string;
  target: DigestTarget;
  startMs: number;
  endMs: number;
  /** Every valid digest read, in or outside the range. */
  valid: readonly VerifiedDigest[];
  holes: readonly ChainHole[];
  limit: LimitFunction;
}

type Interval = [number, number];

/** The time the chain vouches for: valid digests' periods and the holes between them, merged. */
export function coverage(valid: readonly VerifiedDigest[], holes: readonly ChainHole[]): Interval[] {
  const spans: Interval[] = [...valid.map((d): Interval => [d.startMs, d.endMs]), ...holes.map((h): Interval => [h.older.endMs, h.newer.startMs])];
  spans.sort((a, b) => a[0] - b[0]);
  const merged: Interval[] = [];
  for (const [from, to] of spans) {
    const last = merged.at(-1);
    // A chain's digests touch (each starts where the previous ended): one span.
    if (last !== undefined && from <= last[1]) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged;
}

/** Whether a file delivered within the minute starting at `minuteMs` was certainly delivered inside the coverage. */
export function mustBeListed(minuteMs: number, covered: readonly Interval[]): boolean {
  return covered.some(([from, to]) => from <= minuteMs && minuteMs + MINUTE <= to);
}

/** `[prefix/]AWSLogs/[<o-id>/]<acct>/CloudTrail/<region>/YYYY/MM/DD/` for each UTC day the range touches. */
export function logDayPrefixes(target: DigestTarget, startMs: number, endMs: number): string[] {
  const base = `${accountFolder(target)}CloudTrail/${target.sourceRegion}/`;
  const prefixes: string[] = [];
  for (let day = Math.floor(startMs / DAY) * DAY; day <= endMs; day += DAY) {
    prefixes.push(`${base}${new Date(day).toISOString().slice(0, 10).replace(/-/g, '/')}/`);
  }
  return prefixes;
}

async function contentSha256(reader: ObjectReader, bucket: string, key: string): Promise<string | undefined> {
  try {
    const object = await reader.getObject(bucket, key);
    if (object === undefined) return undefined;
    return createHash('sha256').update(await gunzipMember(object.body)).digest('hex');
  } catch {
    return undefined; // unreadable or not one gzip member: judged by its time alone
  }
}

export async function findUnlistedLogs(input: UnlistedInput): Promise<UnlistedLog[]> {
  const { reader, bucket, target } = input;
  const listed = new Map<string, string>(); // hashValue → a key that lists it
  const listedKeys = new Set<string>();
  for (const d of input.valid) {
    for (const file of d.digest.logFiles) {
      if (file.s3Bucket !== bucket) continue;
      listedKeys.add(file.s3Object);
      if (!listed.has(file.hashValue)) listed.set(file.hashValue, file.s3Object);
    }
  }
  const covered = coverage(input.valid, input.holes);
  const prefix = target.prefix === undefined || target.prefix === '' ? undefined : target.prefix;
  const candidates = (await Promise.all(logDayPrefixes(target, input.startMs, input.endMs).map(async (p) => input.limit(async () => reader.listKeys(bucket, p))))).flat().filter((key) => {
    if (listedKeys.has(key)) return false;
    const parts = parseLogFileKey(key);
    return (
      parts !== undefined &&
      parts.accountId === target.accountId &&
      parts.organizationId === target.organizationId &&
      parts.region === target.sourceRegion &&
      parts.prefix === prefix
    );
  });
  const found = await Promise.all(
    candidates.map(async (key) =>
      input.limit(async (): Promise<UnlistedLog | undefined> => {
        const minuteMs = parseLogFileKey(key)!.deliveryTimeMs;
        if (minuteMs + MINUTE <= input.startMs || minuteMs > input.endMs) return undefined;
        const original = listed.get((await contentSha256(reader, bucket, key)) ?? '');
        if (original !== undefined) return { key, reason: `not listed in any valid digest: a copy of s3://${bucket}/${original}` };
        return mustBeListed(minuteMs, covered) ? { key, reason: 'not listed in any valid digest' } : undefined;
      }),
    ),
  );
  return found.filter((f): f is UnlistedLog => f !== undefined).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** A digest key under the same prefix that belongs to another trail (or home region), if any. */
export function otherTrailDigest(keys: readonly string[], ownPattern: RegExp): string | undefined {
  return keys.find((key) => /_CloudTrail-Digest_/.test(key) && !ownPattern.test(key) && !key.endsWith('_backfill.json.gz'));
}
