/** The metric port on PostgreSQL (as sqlite/metric-store.ts): metric_minutes, one row per metric and minute. */
import type { Pool } from 'pg';
import type { MetricKey, MetricListFilter, MetricSample, MetricStore, MinuteAggregate } from '../monitoring/metrics.js';
import { dimensionsText } from '../monitoring/metrics.js';
import { listedMetric, metricIdentity, parseMetricPosition } from '../sqlite/metric-store.js';
import type { MetricRow } from '../sqlite/metric-store.js';
import { addMetricSamples } from './metric-minutes.js';
import { inTransaction } from './pool.js';

const PAGE = 500;

export class PostgresMetricStore implements MetricStore {
  readonly #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  async add(samples: readonly MetricSample[]): Promise<void> {
    await inTransaction(this.#pool, async (client) => addMetricSamples(client, samples));
  }

  async minutes(key: MetricKey, startMs: number, endMs: number): Promise<MinuteAggregate[]> {
    const result = await this.#pool.query<{ minute: number; sample_count: number; sum: number; minimum: number; maximum: number }>(
      `SELECT minute, sample_count, sum, minimum, maximum FROM metric_minutes
        WHERE account_id = $1 AND region = $2 AND namespace = $3 AND metric_name = $4 AND dimensions = $5 AND minute >= $6 AND minute < $7
        ORDER BY minute`,
      [key.accountId, key.region, key.namespace, key.metricName, dimensionsText(key.dimensions), startMs, endMs],
    );
    return result.rows.map((r) => ({ minuteMs: r.minute, sampleCount: r.sample_count, sum: r.sum, minimum: r.minimum, maximum: r.maximum }));
  }

  async list(accountId: string, region: string, filter: MetricListFilter, limit: number, after?: string): Promise<{ metrics: MetricKey[]; next?: string }> {
    const out: MetricKey[] = [];
    let position = parseMetricPosition(after);
    for (;;) {
      const rows = (
        await this.#pool.query<MetricRow>(
          `SELECT namespace, metric_name, dimensions, MAX(minute) AS last_minute FROM metric_minutes
            WHERE account_id = $1 AND region = $2 AND ($3::text IS NULL OR namespace = $3) AND ($4::text IS NULL OR metric_name = $4)
              AND (namespace, metric_name, dimensions) > ($5, $6, $7)
            GROUP BY namespace, metric_name, dimensions ORDER BY namespace, metric_name, dimensions LIMIT ${PAGE}`,
          [accountId, region, filter.namespace ?? null, filter.metricName ?? null, ...position],
        )
      ).rows;
      for (const row of rows) {
        const metric = listedMetric(row, filter, accountId, region);
        if (metric === undefined) continue;
        if (out.length === limit) {
          const last = out[out.length - 1]!;
          return { metrics: out, next: metricIdentity(last.namespace, last.metricName, dimensionsText(last.dimensions)) };
        }
        out.push(metric);
      }
      if (rows.length < PAGE) return { metrics: out };
      const last = rows[rows.length - 1]!;
      position = [last.namespace, last.metric_name, last.dimensions];
    }
  }

  async purgeBefore(cutoffMs: number): Promise<number> {
    return (await this.#pool.query('DELETE FROM metric_minutes WHERE minute < $1', [cutoffMs])).rowCount ?? 0;
  }
}
