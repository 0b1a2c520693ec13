/**
 * The hosted CloudWatch Logs port: log groups, their streams and events, and the metric filters
 * on them. Groups, retention and metric filters change only through API calls (staged
 * LogsChange, ./monitoring-change.ts); events arrive through `ingest`, which trails'
 * CloudWatch Logs forwarding calls (workers/cloudwatch-logs/).
 */
import type { MetricKey } from './metrics.js';

export interface LogGroup {
  accountId: string;
  region: string;
  name: string;
  /** `arn:aws:logs:<region>:<account>:log-group:<name>` (DescribeLogGroups adds `:*` to `arn`). */
  arn: string;
  createdAt: number;
  /** Absent: events are kept forever (CloudWatch's default). */
  retentionInDays?: number;
  kmsKeyId?: string;
  tags: Record<string, string>;
}

export interface LogStream {
  name: string;
  createdAt: number;
  firstEventTimestamp?: number;
  lastEventTimestamp?: number;
  lastIngestionTime?: number;
  storedBytes: number;
}

export interface MetricTransformation {
  metricName: string;
  metricNamespace: string;
  /** A number, or a selector of the pattern (`$.latency`, a space-delimited field name). */
  metricValue: string;
  defaultValue?: number;
  /** Dimension name → selector. */
  dimensions?: Record<string, string>;
  unit?: string;
}

export interface MetricFilter {
  accountId: string;
  region: string;
  logGroupName: string;
  filterName: string;
  filterPattern: string;
  metricTransformations: MetricTransformation[];
  createdAt: number;
}

export interface StoredLogEvent {
  /** Ingestion order within the store: the paging position. */
  id: number;
  logStreamName: string;
  timestamp: number;
  ingestionTime: number;
  message: string;
}

/** An event to ingest; `dedupeKey` (unique per stream) makes a redone ingest harmless. */
export interface LogEventInput {
  timestamp: number;
  message: string;
  dedupeKey?: string;
}

export interface IngestTarget {
  accountId: string;
  region: string;
  logGroupName: string;
  logStreamName: string;
}

export interface IngestResult {
  /** Events stored now (those whose dedupeKey was already in the stream are not counted). */
  inserted: number;
  /** Metrics that the group's metric filters produced samples for, in the same transaction. */
  metrics: MetricKey[];
}

/** The group named by an ingest is gone (deleted after the trail was pointed at it). */
export class LogGroupMissingError extends Error {
  constructor(target: Pick<IngestTarget, 'accountId' | 'region' | 'logGroupName'>) {
    super(`The specified log group does not exist: ${target.logGroupName} (account ${target.accountId}, ${target.region})`);
    this.name = 'LogGroupMissingError';
  }
}

export interface LogStore {
  group(accountId: string, region: string, name: string): Promise<LogGroup | undefined>;
  /**
   * Stores the events in the stream (made on first use), skipping any whose dedupeKey the
   * stream holds already, and adds the samples of the group's metric filters for the stored
   * ones, all in one transaction: a crash leaves either all of it or none. Throws
   * LogGroupMissingError when the group does not exist.
   */
  ingest(target: IngestTarget, events: readonly LogEventInput[], nowMs: number): Promise<IngestResult>;
}
