/**
 * The objects one trail delivers in a UTC day with hourly digests, built with the writers the
 * server delivers with (src/core/log-file.ts, src/integrity/digest/digest-writer.ts): log files
 * of 5-50 synthetic records spread over the day, and 24 signed, chained digests, each listing the
 * files delivered in its hour with their Merkle leaf ranges and the tree head at its end.
 *
 * Generating the day directly is what makes it a day: a real server would need 24 hours to write
 * digests whose periods span one, and with short periods its digests list a file or two each.
 */
import type { KeyObject } from 'node:crypto';
import { buildLogFile, digestKey, logFileKey, uniqueSuffix } from '../../src/core/log-file.js';
import { isoSeconds } from '../../src/core/time-format.js';
import { buildSignedDigest } from '../../src/integrity/digest/digest-writer.js';
import type { DigestLogFile, PreviousDigest } from '../../src/integrity/digest/digest-writer.js';
import { CompactTree, leafHash, toHex } from '../../src/integrity/merkle/index.js';
import type { PreparedEvent } from '../../src/store/event-store.js';
import { syntheticEvents } from './synthetic.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
export const DAY = 86_400_000;
/** A file is delivered this long after its newest event (CloudTrail's average is about 5 minutes). */
const DELIVERY_DELAY = 5 * MINUTE;

export interface DayObject {
  key: string;
  body: Buffer;
  metadata: Record<string, string>;
}

export interface DayFilesOptions {
  accountId: string;
  region: string;
  trailName: string;
  bucket: string;
  /** 00:00 UTC of the day. */
  dayStartMs: number;
  /** Log files in the day (on average this many / 24 per digest). */
  logFiles: number;
  signingKey: { privateKey: KeyObject; fingerprint: string };
  seed?: number;
}

export interface DayFiles {
  logs: DayObject[];
  digests: DayObject[];
  records: number;
}

/** Deterministic record counts of 5-50 per file. */
function recordCounts(files: number, seed: number): number[] {
  let state = seed >>> 0;
  return Array.from({ length: files }, () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return 5 + (state % 46);
  });
}

export function buildDayFiles(options: DayFilesOptions): DayFiles {
  const { accountId, region, trailName, bucket, dayStartMs } = options;
  const trailArn = `arn:aws:cloudtrail:${region}:${accountId}:trail/${trailName}`;
  const counts = recordCounts(options.logFiles, options.seed ?? 1);
  const records = counts.reduce((a, b) => a + b, 0);
  // Event times run evenly through the day, offset so every file is delivered within it.
  const events = syntheticEvents(records, dayStartMs - DELIVERY_DELAY + 1000, DAY - 2000, options.seed ?? 1);
  const tree = CompactTree.empty();
  const byHour: DigestLogFile[][] = Array.from({ length: 24 }, () => []);
  // The tree head each hour's digest signs: the tree after the files delivered up to its end.
  const heads: { treeSize: number; rootHash: string }[] = [];
  const closeHoursBefore = (hour: number) => {
    while (heads.length < hour) heads.push({ treeSize: tree.size, rootHash: toHex(tree.root()) });
  };
  const logs: DayObject[] = [];
  for (const count of counts) {
    const texts: string[] = [];
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const event = events.next().value as PreparedEvent;
      texts.push(event.json);
      times.push(Date.parse((JSON.parse(event.json) as { eventTime: string }).eventTime));
    }
    const newest = Math.max(...times);
    const deliveredMs = newest + DELIVERY_DELAY;
    const hour = Math.floor((deliveredMs - dayStartMs) / HOUR);
    // Event times grow with the file index, so files come in delivery order.
    closeHoursBefore(hour);
    const first = tree.size;
    for (const text of texts) tree.append(leafHash(Buffer.from(text, 'utf8')));
    const file = buildLogFile(texts);
    const key = logFileKey({ accountId, region, deliveryTimeMs: deliveredMs, unique: uniqueSuffix(trailArn, region, first, tree.size - 1) });
    logs.push({ key, body: file.gzip, metadata: {} });
    byHour[hour]!.push({
      s3Bucket: bucket,
      s3Object: key,
      hashValue: file.sha256,
      newestEventTime: isoSeconds(newest),
      oldestEventTime: isoSeconds(Math.min(...times)),
      leafRange: { first, last: tree.size - 1 },
    });
  }
  closeHoursBefore(24);
  const digests: DayObject[] = [];
  let previous: PreviousDigest | undefined;
  for (let hour = 0; hour < 24; hour++) {
    const endTimeMs = dayStartMs + (hour + 1) * HOUR;
    const key = digestKey({ accountId, region, trailName, homeRegion: region, endTimeMs });
    const digest = buildSignedDigest(
      {
        accountId,
        startTimeMs: dayStartMs + hour * HOUR,
        endTimeMs,
        bucket,
        key,
        ...(previous !== undefined && { previous }),
        logFiles: byHour[hour]!,
        merkle: heads[hour]!,
      },
      options.signingKey,
    );
    digests.push({ key, body: digest.gzip, metadata: digest.metadata });
    previous = digest.asPrevious;
  }
  return { logs, digests, records };
}
