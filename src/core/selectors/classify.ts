/**
 * What kind of event a record is, read from the record the way selectors need it.
 *
 * Records are loose (real ones come from many eventVersions and from other tools), so every
 * reader here accepts absent or oddly typed fields and answers "unknown" rather than guessing.
 */
import type { CloudTrailRecord, RecordResource } from '../record.js';

/**
 * - `management`, `data`, `networkActivity`: CloudTrail's event categories.
 * - `insight`: Insights events (never selected by event selectors; Insights have their own).
 * - `custom`: events put through a channel (eventCategory ActivityAuditLog).
 * - `other`: anything else (an unknown eventCategory, or a record too odd to place).
 */
export type EventKind = 'management' | 'data' | 'networkActivity' | 'insight' | 'custom' | 'other';

// A Map, not an object, so that eventCategory values such as "constructor" find nothing.
const KIND_OF_CATEGORY: ReadonlyMap<string, EventKind> = new Map([
  ['Management', 'management'],
  ['Data', 'data'],
  ['NetworkActivity', 'networkActivity'],
  ['Insight', 'insight'],
  ['ActivityAuditLog', 'custom'],
]);

/** The eventCategory value each kind stands for (used when a record predates eventCategory). */
export const CATEGORY_OF_KIND: Readonly<Record<EventKind, string | undefined>> = {
  management: 'Management',
  data: 'Data',
  networkActivity: 'NetworkActivity',
  insight: 'Insight',
  custom: 'ActivityAuditLog',
  other: undefined,
};

/**
 * Classifies a record. eventCategory (eventVersion ≥ 1.07) decides when present, because it is
 * the field CloudTrail itself keys selectors on. Older records fall back to managementEvent
 * (≥ 1.06): false with resources is a data event. Records older than both (1.05 and before)
 * are management events: data events carry eventCategory or managementEvent false, so a record
 * with neither cannot be one.
 */
export function eventKindOf(record: CloudTrailRecord): EventKind {
  const category: unknown = record.eventCategory;
  if (typeof category === 'string') return KIND_OF_CATEGORY.get(category) ?? 'other';
  // Insights records have carried eventCategory since they exist; this only guards a stripped one.
  if (record.eventType === 'AwsCloudTrailInsight') return 'insight';
  const management = booleanOf(record.managementEvent);
  if (management === true) return 'management';
  if (management === false) return resourcesOf(record).length > 0 ? 'data' : 'other';
  return 'management';
}

/** True for management events only (the default trail configuration logs exactly these). */
export function isManagementEvent(record: CloudTrailRecord): boolean {
  return eventKindOf(record) === 'management';
}

/** The record's readOnly as a boolean (records and tools write it as a boolean or "true"/"false"); undefined when unknown. */
export function readOnlyOf(record: CloudTrailRecord): boolean | undefined {
  return booleanOf(record.readOnly);
}

/** The record's resources that are objects; absent or malformed `resources` is no resources. */
export function resourcesOf(record: CloudTrailRecord): RecordResource[] {
  const resources: unknown = record.resources;
  if (!Array.isArray(resources)) return [];
  return resources.filter((resource): resource is RecordResource => resource !== null && typeof resource === 'object');
}

/**
 * The ARN a resource is matched by. S3 bucket-level data events (ListObjects and the like)
 * describe the objects they touch with `ARNPrefix` (`arn:aws:s3:::bucket/`) instead of `ARN`, as
 * real records do, so the prefix stands in for the ARN.
 */
export function resourceArnOf(resource: RecordResource): string | undefined {
  if (typeof resource.ARN === 'string') return resource.ARN;
  return typeof resource.ARNPrefix === 'string' ? resource.ARNPrefix : undefined;
}

function booleanOf(value: unknown): boolean | undefined {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return undefined;
}
