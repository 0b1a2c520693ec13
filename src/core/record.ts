/**
 * The CloudTrail event record: the unit of everything OpenTrail stores and delivers.
 * Records keep every field they arrive with (real records carry fields we do not model),
 * so the type names what we read and lets the rest through.
 */
export interface UserIdentity {
  type?: string;
  principalId?: string;
  arn?: string;
  accountId?: string;
  accessKeyId?: string;
  userName?: string;
  [field: string]: unknown;
}

export interface RecordResource {
  ARN?: string;
  accountId?: string;
  type?: string;
  [field: string]: unknown;
}

/**
 * eventSource, eventName and userIdentity are optional: Insights records keep theirs inside
 * insightDetails, and custom (ActivityAuditLog) records inside eventData.
 */
export interface CloudTrailRecord {
  eventVersion: string;
  userIdentity?: UserIdentity;
  eventTime: string;
  eventSource?: string;
  eventName?: string;
  awsRegion: string;
  eventID: string;
  readOnly?: boolean;
  resources?: RecordResource[];
  eventCategory?: string;
  [field: string]: unknown;
}

/** The eventVersion OpenTrail writes for records it creates. */
export const EVENT_VERSION = '1.11';
