/**
 * CloudWatch metrics, kept as per-minute aggregates (sample count, sum, minimum, maximum) per
 * metric: what metric filters produce (in the transaction of the log events they matched) and
 * what alarms and GetMetricData/GetMetricStatistics read.
 */

export interface MetricDimension {
  name: string;
  value: string;
}

export interface MetricKey {
  accountId: string;
  region: string;
  namespace: string;
  metricName: string;
  /** Sorted by name; at most 30 (CloudWatch's limit). */
  dimensions: readonly MetricDimension[];
}

/** Samples aggregated into one minute: one value is `{ sampleCount: 1, sum: v, minimum: v, maximum: v }`. */
export interface MetricSample {
  key: MetricKey;
  timestampMs: number;
  sampleCount: number;
  sum: number;
  minimum: number;
  maximum: number;
}

export interface MinuteAggregate {
  /** Start of the minute, epoch ms. */
  minuteMs: number;
  sampleCount: number;
  sum: number;
  minimum: number;
  maximum: number;
}

export function singleValueSample(key: MetricKey, timestampMs: number, value: number): MetricSample {
  return { key, timestampMs, sampleCount: 1, sum: value, minimum: value, maximum: value };
}

/** The canonical text of a metric's dimensions: its identity in the store. */
export function dimensionsText(dimensions: readonly MetricDimension[]): string {
  return JSON.stringify([...dimensions].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((d) => [d.name, d.value]));
}

export interface MetricListFilter {
  namespace?: string;
  metricName?: string;
  /** Each must be among the metric's dimensions; without a value, any value matches. */
  dimensions?: readonly { name: string; value?: string }[];
  /** Only metrics with a sample at or after this time (ListMetrics' RecentlyActive: PT3H). */
  activeSinceMs?: number;
}

export interface MetricStore {
  add(samples: readonly MetricSample[]): Promise<void>;
  /** The metric's minutes in [startMs, endMs), oldest first. */
  minutes(key: MetricKey, startMs: number, endMs: number): Promise<MinuteAggregate[]>;
  /** Metrics of an account and region, ordered by namespace, name and dimensions, after `after` (a metric's identity). */
  list(accountId: string, region: string, filter: MetricListFilter, limit: number, after?: string): Promise<{ metrics: MetricKey[]; next?: string }>;
  /** Drops minutes older than this (CloudWatch keeps one-minute data 15 days). */
  purgeBefore(cutoffMs: number): Promise<number>;
}
