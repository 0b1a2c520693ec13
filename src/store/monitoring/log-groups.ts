/**
 * The hosted CloudWatch Logs port: log groups, their streams and events, and the metric filters
 * on them. Groups, retention and metric filters change only through API calls (staged
 * LogsChange, ./monitoring-change.ts); events arrive through `ingest`, which trails'
 * CloudWatch Logs forwarding calls (workers/cloudwatch-logs/).
 */
import type { MetricKey } from './metrics.js';

/** CloudWatch Logs' quotas of metric filters per log group: in all, and with regular expressions. */
export const MAX_FILTERS_PER_GROUP = 100;
export const MAX_REGEX_FILTERS_PER_GROUP = 5;

/** What CloudWatch counts for an event's storage (storedBytes, PutLogEvents' batch size): its message's UTF-8 bytes plus 26. */
export function eventSize(message: string): number {
  return Buffer.byteLength(message, 'utf8') + 26;
}

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

/** A group as DescribeLogGroups lists it: with its metric filter count and stored bytes. */
export interface LogGroupSummary extends LogGroup {
  metricFilterCount: number;
  storedBytes: number;
}

/** A position in a stream's or group's events: ordered by (timestamp, id). */
export interface LogEventPosition {
  timestamp: number;
  id: number;
}

export interface LogGroupQuery {
  prefix?: string;
  /** Case-insensitive substring of the name (logGroupNamePattern). */
  pattern?: string;
  /** Names after this one only (paging). */
  after?: string;
  limit: number;
}

export interface LogStreamQuery {
  prefix?: string;
  orderBy: 'LogStreamName' | 'LastEventTime';
  descending: boolean;
  /** The sort key of the last stream of the previous page. */
  after?: { lastEventTimestamp: number; name: string };
  limit: number;
}

export interface StreamEventQuery {
  startTime?: number;
  endTime?: number;
  /** forward: events after `from` (or from the start), oldest first; backward: events before `from` (or from the end), newest first. */
  direction: 'forward' | 'backward';
  from?: LogEventPosition;
  limit: number;
}

export interface GroupEventQuery {
  streamNames?: readonly string[];
  streamPrefix?: string;
  startTime?: number;
  endTime?: number;
  /** Events after this position only, oldest first. */
  after?: LogEventPosition;
  limit: number;
}

export interface MetricFilterQuery {
  logGroupName?: string;
  filterNamePrefix?: string;
  metricName?: string;
  metricNamespace?: string;
  /** (group, filter) after this one only (paging). */
  after?: { logGroupName: string; filterName: string };
  limit: number;
}

/** What handlers read (api/operation-context.ts HandlerServices): no writes. */
export interface LogReader {
  group(accountId: string, region: string, name: string): Promise<LogGroup | undefined>;
  /** The account's groups in the region by name. */
  groups(accountId: string, region: string, query: LogGroupQuery): Promise<LogGroupSummary[]>;
  stream(accountId: string, region: string, groupName: string, streamName: string): Promise<LogStream | undefined>;
  streams(accountId: string, region: string, groupName: string, query: LogStreamQuery): Promise<LogStream[]>;
  /** One stream's events in [startTime, endTime), in the query's direction. */
  streamEvents(accountId: string, region: string, groupName: string, streamName: string, query: StreamEventQuery): Promise<StoredLogEvent[]>;
  /** A group's events in [startTime, endTime) across its streams (or the named ones), oldest first. */
  groupEvents(accountId: string, region: string, groupName: string, query: GroupEventQuery): Promise<StoredLogEvent[]>;
  /** Metric filters by group name, then filter name. */
  metricFilters(accountId: string, region: string, query: MetricFilterQuery): Promise<MetricFilter[]>;
}

export interface LogStore extends LogReader {
  /**
   * Stores the events in the stream (made on first use), skipping any whose dedupeKey the
   * stream holds already, and adds the samples of the group's metric filters for the stored
   * ones, all in one transaction: a crash leaves either all of it or none. Throws
   * LogGroupMissingError when the group does not exist.
   */
  ingest(target: IngestTarget, events: readonly LogEventInput[], nowMs: number): Promise<IngestResult>;
  /** Removes the events older than their group's retentionInDays; answers how many. */
  purgeExpired(nowMs: number): Promise<number>;
}
