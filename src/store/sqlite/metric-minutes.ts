/**
 * Adding samples to metric_minutes, synchronously on a given connection: the log store calls it
 * inside the transaction that stores the log events the samples come from, so a metric counts
 * each event exactly once; the metric store calls it for PutMetricData.
 */
import type { MetricSample } from '../monitoring/metrics.js';
import { dimensionsText } from '../monitoring/metrics.js';
import type { StatementCache } from './statement-cache.js';

const MINUTE_MS = 60_000;

export function addMetricSamples(sql: StatementCache, samples: readonly MetricSample[]): void {
  const upsert = sql.get(
    `INSERT INTO metric_minutes (account_id, region, namespace, metric_name, dimensions, minute, sample_count, sum, minimum, maximum)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT DO UPDATE SET sample_count = sample_count + excluded.sample_count, sum = sum + excluded.sum,
       minimum = MIN(minimum, excluded.minimum), maximum = MAX(maximum, excluded.maximum)`,
  );
  for (const s of samples) {
    const minute = Math.floor(s.timestampMs / MINUTE_MS) * MINUTE_MS;
    upsert.run(s.key.accountId, s.key.region, s.key.namespace, s.key.metricName, dimensionsText(s.key.dimensions), minute, s.sampleCount, s.sum, s.minimum, s.maximum);
  }
}
