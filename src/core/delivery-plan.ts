/**
 * What one delivery batch of a trail becomes: which events the trail selects, grouped into one
 * log file per region, with CloudTrail's keys. A pure function of (trail, range of the log,
 * delivery time), so redoing a batch after a crash writes identical objects under identical keys.
 */
import type { BuiltLogFile } from './log-file.js';
import { buildLogFile, logFileKey, uniqueSuffix } from './log-file.js';
import type { CloudTrailRecord } from './record.js';
import { leafHash } from '../integrity/merkle/index.js';
import { DEFAULT_SELECTORS, selects } from './selectors/index.js';
import type { LogEntry } from '../store/event-store.js';
import type { Trail } from '../store/trail-store.js';

/**
 * Services whose calls are "global service events" (CloudTrail logs them in us-east-1); a trail
 * with IncludeGlobalServiceEvents false leaves them out.
 */
const GLOBAL_SERVICES = new Set(['iam.amazonaws.com', 'sts.amazonaws.com', 'cloudfront.amazonaws.com', 'route53.amazonaws.com', 'organizations.amazonaws.com']);

export interface PlannedFile {
  region: string;
  key: string;
  file: BuiltLogFile;
  eventCount: number;
  /** RFC 6962 leaf hashes of the records, in file order: the file's leaves in the trail+region tree. */
  leafHashes: Buffer[];
  newestEventTime: string;
  oldestEventTime: string;
}

export function trailSelects(trail: Trail, region: string, record: CloudTrailRecord): boolean {
  if (!trail.config.IsMultiRegionTrail && region !== trail.homeRegion) return false;
  // Insights events go to their own files (CloudTrail-Insight/), not the log files.
  if (record.eventCategory === 'Insight' || record.eventType === 'AwsCloudTrailInsight') return false;
  if (!trail.config.IncludeGlobalServiceEvents && record.eventSource !== undefined && GLOBAL_SERVICES.has(record.eventSource)) return false;
  return selects(trail.selectors ?? DEFAULT_SELECTORS, record);
}

/** How far a new batch reaches: entries are cut so no region's file exceeds maxFileBytes. */
export function batchEnd(entries: readonly LogEntry[], maxFileBytes: number): number {
  const bytesByRegion = new Map<string, number>();
  let end = entries[0]!.seq;
  for (const entry of entries) {
    // History-only events go in no file: they take no room, and the batch still moves past them.
    const bytes = (bytesByRegion.get(entry.region) ?? 0) + (entry.deliverToTrails ? entry.json.length + 1 : 0);
    if (bytes > maxFileBytes && end !== entries[0]!.seq) break;
    bytesByRegion.set(entry.region, bytes);
    end = entry.seq;
  }
  return end;
}

/** The log files for the entries of a batch (firstSeq..lastSeq of the log range it covers). */
export function planFiles(trail: Trail, entries: readonly LogEntry[], range: { firstSeq: number; lastSeq: number }, deliveryTimeMs: number): PlannedFile[] {
  const byRegion = new Map<string, { records: string[]; times: string[] }>();
  for (const entry of entries) {
    if (!entry.deliverToTrails) continue;
    const record = JSON.parse(entry.json) as CloudTrailRecord;
    if (!trailSelects(trail, entry.region, record)) continue;
    const selected = byRegion.get(entry.region) ?? { records: [], times: [] };
    selected.records.push(entry.json);
    selected.times.push(record.eventTime);
    byRegion.set(entry.region, selected);
  }
  return [...byRegion.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([region, { records, times }]) => ({
      region,
      key: logFileKey({
        ...(trail.config.S3KeyPrefix !== undefined && trail.config.S3KeyPrefix !== '' && { prefix: trail.config.S3KeyPrefix }),
        accountId: trail.accountId,
        region,
        deliveryTimeMs,
        unique: uniqueSuffix(trail.trailArn, region, range.firstSeq, range.lastSeq),
      }),
      file: buildLogFile(records),
      eventCount: records.length,
      leafHashes: records.map((r) => leafHash(Buffer.from(r, 'utf8'))),
      // ISO 8601 UTC times of one format compare as strings.
      newestEventTime: times.reduce((a, b) => (b > a ? b : a)),
      oldestEventTime: times.reduce((a, b) => (b < a ? b : a)),
    }));
}
