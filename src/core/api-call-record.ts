/**
 * Builds the CloudTrail record of one API call made to OpenTrail itself, successful, failed or
 * denied. Field order follows the records CloudTrail writes, so log files read naturally.
 */
import type { CloudTrailRecord, RecordResource, UserIdentity } from './record.js';
import { EVENT_VERSION } from './record.js';
import { isoSeconds } from './time-format.js';

export interface ApiCallFacts {
  identity: UserIdentity;
  /** The account whose history receives the record. */
  recipientAccountId: string;
  region: string;
  eventSource: string;
  eventName: string;
  timeMs: number;
  sourceIPAddress: string;
  userAgent: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  error?: { code: string; message: string };
  requestId: string;
  eventId: string;
  readOnly: boolean;
  resources?: RecordResource[];
  tls?: { tlsVersion: string; cipherSuite: string; clientProvidedHostHeader: string };
  /** Joins the copies of one call recorded in several accounts (a role assumed across accounts). */
  sharedEventId?: string;
  /** Made from the web console with a session: CloudTrail marks such calls `sessionCredentialFromConsole`. */
  fromConsole?: boolean;
  /** A data event (CloudWatch Logs' reads and writes of log events), not a management event. */
  dataEvent?: boolean;
}

export function apiCallRecord(facts: ApiCallFacts): CloudTrailRecord {
  const error = facts.error === undefined ? {} : { errorCode: facts.error.code, errorMessage: facts.error.message };
  const resources = facts.resources !== undefined && facts.resources.length > 0 ? { resources: facts.resources } : {};
  const tls = facts.tls === undefined ? {} : { tlsDetails: facts.tls };
  return {
    eventVersion: EVENT_VERSION,
    userIdentity: facts.identity,
    eventTime: isoSeconds(facts.timeMs),
    eventSource: facts.eventSource,
    eventName: facts.eventName,
    awsRegion: facts.region,
    sourceIPAddress: facts.sourceIPAddress,
    userAgent: facts.userAgent,
    ...error,
    requestParameters: facts.requestParameters,
    responseElements: facts.responseElements,
    requestID: facts.requestId,
    eventID: facts.eventId,
    readOnly: facts.readOnly,
    ...resources,
    eventType: 'AwsApiCall',
    managementEvent: facts.dataEvent !== true,
    recipientAccountId: facts.recipientAccountId,
    ...(facts.sharedEventId !== undefined && { sharedEventID: facts.sharedEventId }),
    eventCategory: facts.dataEvent === true ? 'Data' : 'Management',
    ...tls,
    ...(facts.fromConsole === true && { sessionCredentialFromConsole: 'true' }),
  };
}

/** Operations whose names mark them read-only in CloudTrail's sense. */
export function isReadOnlyOperation(operation: string): boolean {
  return /^(Get|Describe|List|Lookup|Search)/.test(operation);
}

/**
 * Request members as CloudTrail records them: lowerCamelCase names (`S3BucketName` becomes
 * `s3BucketName`), values unchanged.
 */
export function recordMembers(value: unknown, depth = 0): unknown {
  if (depth > 32 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => recordMembers(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
    out[key.charAt(0).toLowerCase() + key.slice(1)] = recordMembers(member, depth + 1);
  }
  return out;
}
