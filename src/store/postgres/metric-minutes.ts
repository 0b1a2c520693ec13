/**
 * Adding samples to metric_minutes on PostgreSQL (as sqlite/metric-minutes.ts), on the pool or
 * inside a caller's transaction. Each sample adds to its minute in one upsert, so nodes adding to
 * the same minute at once never lose a sample (no read-modify-write). Samples go in key order,
 * so two transactions touching the same minutes lock them in the same order.
 */
import type { Pool, PoolClient } from 'pg';
import type { MetricSample } from '../monitoring/metrics.js';
import { dimensionsText } from '../monitoring/metrics.js';

const MINUTE_MS = 60_000;

export type Queryable = Pick<Pool | PoolClient, 'query'>;

export async function addMetricSamples(db: Queryable, samples: readonly MetricSample[]): Promise<void> {
  const rows = samples.map((s) => ({
    key: [s.key.accountId, s.key.region, s.key.namespace, s.key.metricName, dimensionsText(s.key.dimensions)] as const,
    minute: Math.floor(s.timestampMs / MINUTE_MS) * MINUTE_MS,
    s,
  }));
  rows.sort((a, b) => {
    const ka = [...a.key, String(a.minute)].join('\u0000');
    const kb = [...b.key, String(b.minute)].join('\u0000');
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  for (const { key, minute, s } of rows) {
    await db.query(
      `INSERT INTO metric_minutes (account_id, region, namespace, metric_name, dimensions, minute, sample_count, sum, minimum, maximum)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (account_id, region, namespace, metric_name, dimensions, minute) DO UPDATE SET
         sample_count = metric_minutes.sample_count + EXCLUDED.sample_count, sum = metric_minutes.sum + EXCLUDED.sum,
         minimum = LEAST(metric_minutes.minimum, EXCLUDED.minimum), maximum = GREATEST(metric_minutes.maximum, EXCLUDED.maximum)`,
      [...key, minute, s.sampleCount, s.sum, s.minimum, s.maximum],
    );
  }
}
