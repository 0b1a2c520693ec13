/**
 * The trail port: trails, their settings, logging state and delivery status. What delivery and
 * digests keep beside each trail has ports of its own: delivery-cursor-store.ts (how far each
 * trail delivered), merkle-ledger.ts (the files it delivered and their Merkle trees) and
 * digest-chain-store.ts (its digests and their chains).
 */
import type { InsightSelector } from '../core/insights/insight-types.js';
import type { SelectorConfig } from '../core/selectors/index.js';

/** A trail's settings, as CreateTrail/UpdateTrail give them (validated and normalised). */
export interface TrailConfig {
  S3BucketName: string;
  S3KeyPrefix?: string;
  SnsTopicName?: string;
  IncludeGlobalServiceEvents: boolean;
  IsMultiRegionTrail: boolean;
  LogFileValidationEnabled: boolean;
  CloudWatchLogsLogGroupArn?: string;
  CloudWatchLogsRoleArn?: string;
  /** Full KMS key ARN. */
  KmsKeyId?: string;
  /**
   * An organization trail: owned by the organization's management account, it logs every
   * account of the organization. Absent means false (configs stored before it existed).
   */
  IsOrganizationTrail?: boolean;
}

/** What GetTrailStatus reports besides logging state; epoch ms. */
export interface DeliveryStatus {
  latestDeliveryTime?: number;
  latestDeliveryAttemptTime?: number;
  latestDeliveryError?: string;
  latestNotificationTime?: number;
  latestNotificationAttemptTime?: number;
  latestNotificationError?: string;
  latestDigestDeliveryTime?: number;
  latestDigestDeliveryError?: string;
  /** The last batch forwarded to the trail's CloudWatch Logs group, and the last failure to. */
  latestCloudWatchLogsDeliveryTime?: number;
  latestCloudWatchLogsDeliveryError?: string;
}

export interface TrailTag {
  Key: string;
  Value?: string;
}

export interface Trail {
  trailArn: string;
  accountId: string;
  homeRegion: string;
  name: string;
  config: TrailConfig;
  /** undefined: never configured, CloudTrail's default selectors apply. */
  selectors?: SelectorConfig;
  /** PutInsightSelectors' list; undefined or empty: Insights off. */
  insightSelectors?: InsightSelector[];
  tags: TrailTag[];
  isLogging: boolean;
  startLoggingTime?: number;
  stopLoggingTime?: number;
  status: DeliveryStatus;
  createdAt: number;
}

/**
 * Trails as workers and handlers see them. Trails are created, changed and deleted only by API
 * calls, through staged state changes (./state-change.ts) committed with the call's record;
 * what this port writes is the workers' own bookkeeping: the delivery status.
 */
export interface TrailStore {
  get(trailArn: string): Promise<Trail | undefined>;
  /** Trails of an account: all regions, or those homed in one region. */
  list(accountId: string, homeRegion?: string): Promise<Trail[]>;
  /** Trails with events to deliver: logging, or stopped with delivery not yet at the stop. */
  listDeliverable(): Promise<Trail[]>;
  /** Every trail, across accounts (the digest worker also finishes chains of stopped trails). */
  listAll(): Promise<Trail[]>;
  /** Merges fields into the trail's delivery status; null removes a field (an error cleared). */
  updateStatus(trailArn: string, changes: { [K in keyof DeliveryStatus]?: DeliveryStatus[K] | null }): Promise<void>;
}

/** What request handlers may read of trails: their settings and state, nothing they could write. */
export type TrailReader = Pick<TrailStore, 'get' | 'list'>;
