/**
 * The metric port on SQLite: metric_minutes, one row per metric and minute (sample count, sum,
 * minimum, maximum). PutMetricData's samples arrive as staged changes (./alarm-changes.ts) and
 * metric filters' with their log events; `add` is for callers outside a call's commit.
 */
import type { MetricKey, MetricListFilter, MetricStore, MinuteAggregate, MetricSample } from '../monitoring/metrics.js';
import { dimensionsText } from '../monitoring/metrics.js';
import type { SqliteDatabase } from './database.js';
import { addMetricSamples } from './metric-minutes.js';
import { StatementCache } from './statement-cache.js';

export interface MetricRow {
  namespace: string;
  metric_name: string;
  dimensions: string;
  last_minute: number;
}

const SEPARATOR = '\u0000';
const PAGE = 500;

/** A metric's identity as a paging position: namespace, name and dimensions text. */
export function metricIdentity(namespace: string, metricName: string, dimensions: string): string {
  return [namespace, metricName, dimensions].join(SEPARATOR);
}

/** The paging position `metricIdentity` made, back as its parts. */
export function parseMetricPosition(after: string | undefined): [string, string, string] {
  if (after === undefined) return ['', '', ''];
  const parts = after.split(SEPARATOR);
  return [parts[0] ?? '', parts[1] ?? '', parts[2] ?? ''];
}

/** A metric_minutes group as ListMetrics shows it, or undefined when the filter leaves it out. */
export function listedMetric(row: MetricRow, filter: MetricListFilter, accountId: string, region: string): MetricKey | undefined {
  if (filter.activeSinceMs !== undefined && row.last_minute + 60_000 <= filter.activeSinceMs) return undefined;
  const dimensions = (JSON.parse(row.dimensions) as [string, string][]).map(([name, value]) => ({ name, value }));
  const wanted = filter.dimensions ?? [];
  if (!wanted.every((w) => dimensions.some((d) => d.name === w.name && (w.value === undefined || d.value === w.value)))) return undefined;
  return { accountId, region, namespace: row.namespace, metricName: row.metric_name, dimensions };
}

export class SqliteMetricStore implements MetricStore {
  readonly #db: SqliteDatabase;
  readonly #sql: StatementCache;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#sql = new StatementCache(db);
  }

  async add(samples: readonly MetricSample[]): Promise<void> {
    this.#db.transaction(() => addMetricSamples(this.#sql, samples)).immediate();
  }

  async minutes(key: MetricKey, startMs: number, endMs: number): Promise<MinuteAggregate[]> {
    const rows = this.#sql
      .get(
        `SELECT minute, sample_count, sum, minimum, maximum FROM metric_minutes
         WHERE account_id = ? AND region = ? AND namespace = ? AND metric_name = ? AND dimensions = ? AND minute >= ? AND minute < ?
         ORDER BY minute`,
      )
      .all(key.accountId, key.region, key.namespace, key.metricName, dimensionsText(key.dimensions), startMs, endMs) as {
      minute: number;
      sample_count: number;
      sum: number;
      minimum: number;
      maximum: number;
    }[];
    return rows.map((r) => ({ minuteMs: r.minute, sampleCount: r.sample_count, sum: r.sum, minimum: r.minimum, maximum: r.maximum }));
  }

  async list(accountId: string, region: string, filter: MetricListFilter, limit: number, after?: string): Promise<{ metrics: MetricKey[]; next?: string }> {
    const page = this.#sql.get(
      `SELECT namespace, metric_name, dimensions, MAX(minute) AS last_minute FROM metric_minutes
       WHERE account_id = ? AND region = ? AND (? IS NULL OR namespace = ?) AND (? IS NULL OR metric_name = ?)
       AND (namespace, metric_name, dimensions) > (?, ?, ?)
       GROUP BY namespace, metric_name, dimensions ORDER BY namespace, metric_name, dimensions LIMIT ${PAGE}`,
    );
    const out: MetricKey[] = [];
    let position = parseMetricPosition(after);
    for (;;) {
      const rows = page.all(
        accountId,
        region,
        filter.namespace ?? null,
        filter.namespace ?? null,
        filter.metricName ?? null,
        filter.metricName ?? null,
        ...position,
      ) as MetricRow[];
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
    return this.#sql.get('DELETE FROM metric_minutes WHERE minute < ?').run(cutoffMs).changes;
  }
}
