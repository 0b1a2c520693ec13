/**
 * The trail port: trails, their logging state, delivery status and delivery cursors.
 */
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
  tags: TrailTag[];
  isLogging: boolean;
  startLoggingTime?: number;
  stopLoggingTime?: number;
  status: DeliveryStatus;
  createdAt: number;
}

export interface DeliveryCursor {
  trailArn: string;
  /** Events with seq <= lastSeq are delivered (or were skipped). */
  lastSeq: number;
  /** Set by StopLogging: events after it are not delivered... */
  untilSeq?: number;
  /** ...until StartLogging: delivery resumes after this position (the gap is skipped). */
  resumeSeq?: number;
  /** A planned batch not yet confirmed: (lastSeq, batchLastSeq] at batchDeliveryTime. */
  batch?: { lastSeq: number; deliveryTime: number };
}

export interface TrailStore {
  /** Rejects with AlreadyExistsError when the account has a trail of that name in the region. */
  create(trail: Trail): Promise<void>;
  get(trailArn: string): Promise<Trail | undefined>;
  /** Trails of an account: all regions, or those homed in one region. */
  list(accountId: string, homeRegion?: string): Promise<Trail[]>;
  /** Trails with events to deliver: logging, or stopped with delivery not yet at the stop. */
  listDeliverable(): Promise<Trail[]>;
  update(trail: Trail): Promise<void>;
  delete(trailArn: string): Promise<boolean>;
  /** Merges fields into the trail's delivery status; null removes a field (an error cleared). */
  updateStatus(trailArn: string, changes: { [K in keyof DeliveryStatus]?: DeliveryStatus[K] | null }): Promise<void>;
  /** StartLogging: deliver events after `fromSeq` (and those before a previous stop not yet delivered). */
  startLogging(trailArn: string, timeMs: number, fromSeq: number): Promise<void>;
  /** StopLogging: deliver nothing after `untilSeq`. */
  stopLogging(trailArn: string, timeMs: number, untilSeq: number): Promise<void>;
  cursor(trailArn: string): Promise<DeliveryCursor | undefined>;
  /** Records the batch about to be delivered, so a crash redoes exactly it. */
  planBatch(trailArn: string, batchLastSeq: number, deliveryTime: number): Promise<void>;
  /** The planned batch is delivered: the cursor moves to its end. */
  completeBatch(trailArn: string, batchLastSeq: number): Promise<void>;
  /** Delivery reached the stop position and logging was restarted: skip the stopped gap. */
  skipGap(trailArn: string): Promise<void>;
}
