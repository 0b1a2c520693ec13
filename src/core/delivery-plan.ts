/**
 * What one delivery batch of a trail becomes: which events the trail selects, grouped into one
 * log file per account and region (a trail logs one account; an organization trail every
 * account of its organization), with CloudTrail's keys. A pure function of (trail, its
 * organization's accounts, range of the log, delivery time), so redoing a batch after a crash
 * writes identical objects under identical keys.
 */
import type { BuiltLogFile } from './log-file.js';
import { buildLogFile, insightFileKey, logFileKey, uniqueSuffix } from './log-file.js';
import type { CloudTrailRecord } from './record.js';
import { trailAsksForInsight } from './insights/insight-record.js';
import { leafHash } from '../integrity/merkle/index.js';
import { DEFAULT_SELECTORS, selects } from './selectors/index.js';
import type { LogEntry } from '../store/event-store.js';
import type { Trail } from '../store/trail-store.js';
import { comparePartitions } from '../store/trail-partition.js';

/**
 * Services whose calls are "global service events" (CloudTrail logs them in us-east-1); a trail
 * with IncludeGlobalServiceEvents false leaves them out.
 */
const GLOBAL_SERVICES = new Set(['iam.amazonaws.com', 'sts.amazonaws.com', 'cloudfront.amazonaws.com', 'route53.amazonaws.com', 'organizations.amazonaws.com']);

/** What an organization trail logs: its organization's accounts, each from the time it joined. */
export interface OrganizationScope {
  organizationId: string;
  /** Account id → when it joined the organization (epoch ms). */
  joinedAt: ReadonlyMap<string, number>;
}

export interface PlannedFile {
  /** Whose events the file holds. */
  accountId: string;
  region: string;
  key: string;
  file: BuiltLogFile;
  eventCount: number;
  /** RFC 6962 leaf hashes of the records, in file order: the file's leaves in its partition's tree (account and region). */
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

/** Whether the entry is one of the accounts the trail logs, at a time it logs it. */
function inScope(trail: Trail, entry: LogEntry, organization: OrganizationScope | undefined): boolean {
  if (organization === undefined) return entry.accountId === trail.accountId;
  const joinedAt = organization.joinedAt.get(entry.accountId);
  // An account that joined later is logged from then on, not before: from the second it joined,
  // since records carry their eventTime to the second.
  return joinedAt !== undefined && entry.timeMs >= Math.floor(joinedAt / 1000) * 1000;
}

/** The entries of a batch that the trail logs (its accounts, regions and selectors), with their records. */
export function trailEntries(trail: Trail, entries: readonly LogEntry[], organization?: OrganizationScope): { entry: LogEntry; record: CloudTrailRecord }[] {
  const selected: { entry: LogEntry; record: CloudTrailRecord }[] = [];
  for (const entry of entries) {
    if (!entry.deliverToTrails || !inScope(trail, entry, organization)) continue;
    const record = JSON.parse(entry.json) as CloudTrailRecord;
    if (trailSelects(trail, entry.region, record)) selected.push({ entry, record });
  }
  return selected;
}

/**
 * The log files for the entries of a batch (firstSeq..lastSeq of the log range it covers).
 * `organization` is given for an organization trail (in an organization).
 */
export function planFiles(
  trail: Trail,
  entries: readonly LogEntry[],
  range: { firstSeq: number; lastSeq: number },
  deliveryTimeMs: number,
  organization?: OrganizationScope,
): PlannedFile[] {
  const byPartition = new Map<string, { accountId: string; region: string; records: string[]; times: string[] }>();
  for (const { entry, record } of trailEntries(trail, entries, organization)) {
    const id = `${entry.accountId}/${entry.region}`;
    const selected = byPartition.get(id) ?? { accountId: entry.accountId, region: entry.region, records: [], times: [] };
    selected.records.push(entry.json);
    selected.times.push(record.eventTime);
    byPartition.set(id, selected);
  }
  return [...byPartition.values()]
    .sort((a, b) => comparePartitions(a, b))
    .map(({ accountId, region, records, times }) => ({
      accountId,
      region,
      key: logFileKey({
        ...(trail.config.S3KeyPrefix !== undefined && trail.config.S3KeyPrefix !== '' && { prefix: trail.config.S3KeyPrefix }),
        ...(organization !== undefined && { organizationId: organization.organizationId }),
        accountId,
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

/** An Insights file of a batch: its records are in no digest (CloudTrail's digests cover log files only). */
export interface PlannedInsightFile {
  accountId: string;
  region: string;
  key: string;
  file: BuiltLogFile;
  eventCount: number;
}

/**
 * Whether the trail delivers an Insights record: one of its own account's (an organization
 * trail gets its management account's), in a region it logs, of a type and category its
 * insight selectors ask for.
 */
export function trailSelectsInsight(trail: Trail, entry: LogEntry, record: CloudTrailRecord): boolean {
  if (record.eventCategory !== 'Insight' && record.eventType !== 'AwsCloudTrailInsight') return false;
  if (entry.accountId !== trail.accountId) return false;
  if (!trail.config.IsMultiRegionTrail && entry.region !== trail.homeRegion) return false;
  return trailAsksForInsight(trail.insightSelectors, record);
}

/** The batch's Insights files: one per region, under CloudTrail-Insight/. */
export function planInsightFiles(trail: Trail, entries: readonly LogEntry[], range: { firstSeq: number; lastSeq: number }, deliveryTimeMs: number): PlannedInsightFile[] {
  if ((trail.insightSelectors ?? []).length === 0) return [];
  const byRegion = new Map<string, string[]>();
  for (const entry of entries) {
    if (!entry.deliverToTrails || !entry.json.includes('"AwsCloudTrailInsight"')) continue;
    if (!trailSelectsInsight(trail, entry, JSON.parse(entry.json) as CloudTrailRecord)) continue;
    byRegion.set(entry.region, [...(byRegion.get(entry.region) ?? []), entry.json]);
  }
  return [...byRegion]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([region, records]) => ({
      accountId: trail.accountId,
      region,
      key: insightFileKey({
        ...(trail.config.S3KeyPrefix !== undefined && trail.config.S3KeyPrefix !== '' && { prefix: trail.config.S3KeyPrefix }),
        accountId: trail.accountId,
        region,
        deliveryTimeMs,
        unique: uniqueSuffix(`${trail.trailArn}#insight`, region, range.firstSeq, range.lastSeq),
      }),
      file: buildLogFile(records),
      eventCount: records.length,
    }));
}
