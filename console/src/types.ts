// The few CloudTrail and OpenTrail shapes the console reads and sends (copied from the API model;
// the console bundle does not import server code).

export const LOOKUP_KEYS = ['EventName', 'Username', 'EventSource', 'ResourceType', 'ResourceName', 'ReadOnly', 'AccessKeyId', 'EventId'] as const;
export type LookupKey = (typeof LOOKUP_KEYS)[number];

export interface LookupAttribute {
  AttributeKey: LookupKey;
  AttributeValue: string;
}

export interface EventQuery {
  LookupAttributes?: LookupAttribute[];
  StartTime?: number;
  EndTime?: number;
  EventCategory?: 'insight';
}

export interface CloudTrailEventSummary {
  EventId?: string;
  EventName?: string;
  ReadOnly?: string;
  AccessKeyId?: string;
  EventTime?: number;
  EventSource?: string;
  Username?: string;
  Resources?: { ResourceType?: string; ResourceName?: string }[];
  CloudTrailEvent?: string;
}

export interface LookupEventsResponse {
  Events?: CloudTrailEventSummary[];
  NextToken?: string;
}

export interface EventVolume {
  Period: number;
  Buckets: { StartTime: number; Count: number }[];
}

export interface Trail {
  Name?: string;
  S3BucketName?: string;
  S3KeyPrefix?: string;
  SnsTopicName?: string;
  SnsTopicARN?: string;
  IncludeGlobalServiceEvents?: boolean;
  IsMultiRegionTrail?: boolean;
  HomeRegion?: string;
  TrailARN?: string;
  LogFileValidationEnabled?: boolean;
  CloudWatchLogsLogGroupArn?: string;
  CloudWatchLogsRoleArn?: string;
  KmsKeyId?: string;
  HasCustomEventSelectors?: boolean;
  HasInsightSelectors?: boolean;
  IsOrganizationTrail?: boolean;
}

export interface TrailStatus {
  IsLogging?: boolean;
  LatestDeliveryError?: string;
  LatestDeliveryTime?: number;
  LatestDigestDeliveryTime?: number;
  LatestDigestDeliveryError?: string;
  StartLoggingTime?: number;
  StopLoggingTime?: number;
}

export type ReadWriteType = 'ReadOnly' | 'WriteOnly' | 'All';

export interface EventSelector {
  ReadWriteType?: ReadWriteType;
  IncludeManagementEvents?: boolean;
  DataResources?: { Type?: string; Values?: string[] }[];
  ExcludeManagementEventSources?: string[];
}

export interface GetEventSelectorsResponse {
  TrailARN?: string;
  EventSelectors?: EventSelector[];
  AdvancedEventSelectors?: unknown[];
}

export type InsightType = 'ApiCallRateInsight' | 'ApiErrorRateInsight';

export interface GetInsightSelectorsResponse {
  TrailARN?: string;
  InsightSelectors?: { InsightType?: InsightType }[];
}

export interface InsightsMetricData {
  EventSource?: string;
  EventName?: string;
  InsightType?: string;
  ErrorCode?: string;
  Timestamps?: number[];
  Values?: number[];
  NextToken?: string;
}

export interface DigestChain {
  AccountId: string;
  Region: string;
  Active: boolean;
  DigestCount: number;
  LatestDigestEndTime?: number;
  LatestDigestS3Bucket?: string;
  LatestDigestKey?: string;
  TreeSize?: number;
}

export interface ValidateResult {
  ok: boolean;
  digests: { valid: number; invalid: number };
  logFiles: { valid: number; invalid: number };
  /** What was checked outside the range asked (the chain's neighbours). */
  outsideRange?: { digests: { valid: number; invalid: number }; logFiles: { valid: number; invalid: number } };
  /** "<key>: <reason>" each. */
  problems: string[];
  /** What `opentrail validate-logs` would print. */
  report?: string;
}
