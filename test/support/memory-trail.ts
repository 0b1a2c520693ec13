/**
 * A trail's delivered files in memory, written the way the
 * digest worker writes them (log files, chained signed digests with the Merkle extension), and
 * an object store double to tamper with.
 */
import { buildLogFile, digestKey, logFileKey } from '../../src/core/log-file.js';
import { buildSignedDigest } from '../../src/integrity/digest/digest-writer.js';
import type { PreviousDigest, SignedDigest } from '../../src/integrity/digest/digest-writer.js';
import type { SigningKey } from '../../src/integrity/keys/signing-key.js';
import { leafHash, rootOf, toHex } from '../../src/integrity/merkle/index.js';
import type { ObjectReader, PublicKey } from '../../src/integrity/validate/types.js';
import { compareKeys } from '../../src/objects/object-store.js';
import type { StoredObject } from '../../src/objects/object-store.js';

export const ACCOUNT = '111122223333';
export const REGION = 'us-east-1';
export const TRAIL = 'unit-trail';
export const TRAIL_ARN = `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/${TRAIL}`;
export const BUCKET = 'unit-bucket';
export const HOUR = 3_600_000;
/** Digest i covers [T0 + i h, T0 + (i + 1) h]. */
export const T0 = Date.UTC(2026, 0, 5, 0, 0, 0);

export class MemoryObjects implements ObjectReader {
  readonly objects = new Map<string, StoredObject>();
  reads = 0;

  put(bucket: string, key: string, body: Buffer, metadata: Record<string, string> = {}): void {
    this.objects.set(`${bucket}/${key}`, { body: Buffer.from(body), metadata: { ...metadata } });
  }

  get(bucket: string, key: string): StoredObject {
    const object = this.objects.get(`${bucket}/${key}`);
    if (object === undefined) throw new Error(`no object ${bucket}/${key}`);
    return object;
  }

  delete(bucket: string, key: string): void {
    if (!this.objects.delete(`${bucket}/${key}`)) throw new Error(`no object ${bucket}/${key}`);
  }

  move(bucket: string, from: string, to: string): void {
    this.put(bucket, to, this.get(bucket, from).body, this.get(bucket, from).metadata);
    this.delete(bucket, from);
  }

  async getObject(bucket: string, key: string): Promise<StoredObject | undefined> {
    this.reads++;
    const object = this.objects.get(`${bucket}/${key}`);
    return Promise.resolve(object === undefined ? undefined : { body: Buffer.from(object.body), metadata: { ...object.metadata } });
  }

  async listKeys(bucket: string, prefix: string): Promise<string[]> {
    const keys = [...this.objects.keys()].filter((id) => id.startsWith(`${bucket}/${prefix}`)).map((id) => id.slice(bucket.length + 1));
    return Promise.resolve(keys.sort(compareKeys));
  }
}

export interface LogFileInfo {
  key: string;
  records: string[];
  first: number;
  last: number;
}

export interface PeriodInfo {
  digest: SignedDigest;
  files: LogFileInfo[];
  treeSize: number;
}

export interface MemoryTrail {
  objects: MemoryObjects;
  periods: PeriodInfo[];
  publicKeys: PublicKey[];
}

export interface TrailPlan {
  /** Per digest period, the record count of each log file ([] for an empty period). */
  periods: number[][];
  /** Periods that start a new chain (logging was stopped and started again before them). */
  chainStarts?: number[];
  signingKey: SigningKey;
  /** Lets a test sign a bad digest: changes the input of period i before it is signed. */
  edit?: (i: number, input: Parameters<typeof buildSignedDigest>[0]) => void;
}

function record(period: number, file: number, n: number, timeMs: number): string {
  const time = new Date(timeMs).toISOString().replace(/\.\d+Z$/, 'Z');
  // Spacing and a float kept as written: leaves hash the exact text.
  return `{"eventVersion":"1.08","eventTime":"${time}","eventName":"Call","eventID":"e-${period}-${file}-${n}", "bytes":0.0}`;
}

export function buildMemoryTrail(plan: TrailPlan): MemoryTrail {
  const objects = new MemoryObjects();
  const leaves: Buffer[] = [];
  const periods: PeriodInfo[] = [];
  let previous: PreviousDigest | undefined;
  plan.periods.forEach((counts, i) => {
    if (plan.chainStarts?.includes(i)) previous = undefined;
    const files = counts.map((count, j): LogFileInfo => {
      const deliveryTimeMs = T0 + i * HOUR + (10 + j) * 60_000;
      const records = Array.from({ length: count }, (_, n) => record(i, j, n, deliveryTimeMs - 60_000));
      const unique = `u${String(i).padStart(3, '0')}f${String(j).padStart(3, '0')}xxxxxxxx`.slice(0, 16);
      const key = logFileKey({ accountId: ACCOUNT, region: REGION, deliveryTimeMs, unique });
      objects.put(BUCKET, key, buildLogFile(records).gzip);
      const first = leaves.length;
      for (const r of records) leaves.push(leafHash(Buffer.from(r, 'utf8')));
      return { key, records, first, last: leaves.length - 1 };
    });
    const endTimeMs = T0 + (i + 1) * HOUR;
    const key = digestKey({ accountId: ACCOUNT, region: REGION, trailName: TRAIL, homeRegion: REGION, endTimeMs });
    const input: Parameters<typeof buildSignedDigest>[0] = {
      accountId: ACCOUNT,
      startTimeMs: T0 + i * HOUR,
      endTimeMs,
      bucket: BUCKET,
      key,
      ...(previous !== undefined && { previous }),
      logFiles: files.map((f) => {
        const built = buildLogFile(f.records);
        const time = new Date(T0 + i * HOUR).toISOString();
        return { s3Bucket: BUCKET, s3Object: f.key, hashValue: built.sha256, newestEventTime: time, oldestEventTime: time, leafRange: { first: f.first, last: f.last } };
      }),
      merkle: { treeSize: leaves.length, rootHash: toHex(rootOf(leaves)) },
    };
    plan.edit?.(i, input);
    const digest = buildSignedDigest(input, plan.signingKey);
    objects.put(BUCKET, input.key, digest.gzip, digest.metadata);
    periods.push({ digest, files, treeSize: leaves.length });
    previous = digest.asPrevious;
  });
  return { objects, periods, publicKeys: [{ fingerprint: plan.signingKey.fingerprint, der: plan.signingKey.publicKeyDer }] };
}
