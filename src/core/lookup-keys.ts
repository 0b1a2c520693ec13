/**
 * What the event history indexes of a record: the eight LookupEvents attributes plus time and
 * category. One pure function so the store, tests and any future backend agree on the mapping.
 */
import type { CloudTrailRecord } from './record.js';
import { lookupResourcesOf } from './lookup-resources.js';
import { parseEventTime } from './time-format.js';

export const LOOKUP_ATTRIBUTE_KEYS = [
  'EventId',
  'EventName',
  'ReadOnly',
  'Username',
  'ResourceType',
  'ResourceName',
  'EventSource',
  'AccessKeyId',
] as const;
export type LookupAttributeKey = (typeof LOOKUP_ATTRIBUTE_KEYS)[number];

export interface LookupResource {
  type: string | null;
  name: string | null;
}

export interface LookupKeys {
  eventId: string;
  eventName: string | null;
  /** 'true' / 'false' as LookupEvents compares and returns it; null when the record has none. */
  readOnly: 'true' | 'false' | null;
  username: string | null;
  eventSource: string | null;
  accessKeyId: string | null;
  resources: LookupResource[];
  eventTimeMs: number;
  /** Insights events live apart from the rest of the history (EventCategory=insight). */
  isInsight: boolean;
  /**
   * False for data and network-activity events: CloudTrail's event history (LookupEvents)
   * holds management, Insights and custom events only. The others stay in the log for trails.
   */
  inEventHistory: boolean;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * The Username of the event history: the IAM user name; for an assumed role the session name
 * (last segment of the assumed-role ARN); `root` for the root user.
 */
export function usernameOf(record: CloudTrailRecord): string | null {
  const identity = record.userIdentity;
  if (identity === null || typeof identity !== 'object') return null;
  if (identity.type === 'Root') return str(identity.userName) ?? 'root';
  if (identity.type === 'AssumedRole') {
    const arn = str(identity.arn);
    if (arn !== null) return arn.slice(arn.lastIndexOf('/') + 1);
  }
  return str(identity.userName);
}

/**
 * Whether LookupEvents shows the record. eventCategory decides (since eventVersion 1.07); older
 * records without it are data events when `managementEvent` is false (since 1.06); records with
 * neither (1.05 and before) are management events, as only those were logged then.
 */
export function inEventHistory(record: CloudTrailRecord): boolean {
  const category = record.eventCategory;
  if (category === 'Data' || category === 'NetworkActivity') return false;
  if (category !== undefined && category !== null) return true;
  return record.managementEvent !== false && record.managementEvent !== 'false';
}

function readOnlyOf(value: unknown): 'true' | 'false' | null {
  if (value === true || value === 'true') return 'true';
  if (value === false || value === 'false') return 'false';
  return null;
}

/**
 * Custom events (eventCategory ActivityAuditLog) carry their caller's fields inside eventData:
 * EventName and EventSource come from there, and Username is eventData.userIdentity.principalId.
 * They have no ReadOnly, AccessKeyId or Resources.
 */
function activityLogKeysOf(record: CloudTrailRecord): LookupKeys {
  const data = (record.eventData ?? {}) as Record<string, unknown>;
  const identity = (data.userIdentity ?? {}) as Record<string, unknown>;
  return {
    eventId: record.eventID,
    eventName: str(data.eventName),
    readOnly: null,
    username: str(identity.principalId),
    eventSource: str(data.eventSource),
    accessKeyId: null,
    resources: [],
    eventTimeMs: parseEventTime(record.eventTime),
    isInsight: false,
    inEventHistory: true,
  };
}

/**
 * Insights events keep the API they are about inside insightDetails: EventName and EventSource
 * come from there (the only attributes, besides EventId, an Insights lookup takes).
 */
function insightKeysOf(record: CloudTrailRecord): LookupKeys {
  const details = (record.insightDetails ?? {}) as Record<string, unknown>;
  return {
    eventId: record.eventID,
    eventName: str(details.eventName),
    readOnly: null,
    username: null,
    eventSource: str(details.eventSource),
    accessKeyId: null,
    resources: [],
    eventTimeMs: parseEventTime(record.eventTime),
    isInsight: true,
    inEventHistory: true,
  };
}

export function lookupKeysOf(record: CloudTrailRecord): LookupKeys {
  if (record.eventCategory === 'ActivityAuditLog') return activityLogKeysOf(record);
  if (record.eventType === 'AwsCloudTrailInsight' || record.eventCategory === 'Insight') return insightKeysOf(record);
  const resources = lookupResourcesOf(record);
  const identity = record.userIdentity as CloudTrailRecord['userIdentity'] | null | undefined;
  return {
    eventId: record.eventID,
    eventName: str(record.eventName),
    readOnly: readOnlyOf(record.readOnly),
    username: usernameOf(record),
    eventSource: str(record.eventSource),
    accessKeyId: identity ? str(identity.accessKeyId) : null,
    resources,
    eventTimeMs: parseEventTime(record.eventTime),
    isInsight: false,
    inEventHistory: inEventHistory(record),
  };
}
