/**
 * The insights port on PostgreSQL (as sqlite/insight-store.ts): per-minute call and error
 * counts, the detector's position, partitions and incidents. Written by the insights worker,
 * which runs on one node at a time (its lease); counts add in upserts all the same.
 */
import type { Pool } from 'pg';
import type { DetectorPosition, InsightMetricQuery, InsightStore, MinuteCounts, SeriesKey, StoredIncident, StoredMinute } from '../insights/insight-store.js';
import type { IncidentRow, MinuteRow } from '../sqlite/insight-store.js';
import { inTransaction } from './pool.js';

const SERIES_COLUMNS = 'account_id, region, event_source, event_name, category';
const SERIES_KEY = '(account_id, region, event_source, event_name, category';

export class PostgresInsightStore implements InsightStore {
  readonly #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  async minuteValues(query: InsightMetricQuery): Promise<{ minuteMs: number; value: number }[]> {
    // Calls, all errors, or one error code's; the same API may appear as management and data events: its series sum both.
    const [table, column, byCode] =
      query.insightType === 'ApiCallRateInsight' ? ['insight_minutes', 'calls', false] : query.errorCode === undefined ? ['insight_minutes', 'errors', false] : ['insight_error_minutes', 'count', true];
    const rows = (
      await this.#pool.query<{ minute: number; value: number }>(
        `SELECT minute, SUM(${column})::bigint AS value FROM ${table}
          WHERE account_id = $1 AND region = $2 AND event_source = $3 AND event_name = $4 AND minute >= $5 AND minute < $6${byCode ? ' AND error_code = $7' : ''}
          GROUP BY minute HAVING SUM(${column}) > 0 ORDER BY minute`,
        [query.accountId, query.region, query.eventSource, query.eventName, query.startMs, query.endMs, ...(byCode ? [query.errorCode] : [])],
      )
    ).rows;
    return rows.map((r) => ({ minuteMs: r.minute, value: r.value }));
  }

  async position(): Promise<DetectorPosition> {
    const row = (await this.#pool.query<{ last_seq: number; evaluated_minute: number | null }>('SELECT last_seq, evaluated_minute FROM insight_detector WHERE id = 1')).rows[0];
    if (row === undefined) return { lastSeq: 0 };
    return { lastSeq: row.last_seq, ...(row.evaluated_minute !== null && { evaluatedMinute: row.evaluated_minute }) };
  }

  async partitions(): Promise<{ accountId: string; region: string; firstMinute: number }[]> {
    const rows = (await this.#pool.query<{ account_id: string; region: string; first_minute: number }>('SELECT account_id, region, first_minute FROM insight_partitions')).rows;
    return rows.map((r) => ({ accountId: r.account_id, region: r.region, firstMinute: r.first_minute }));
  }

  async commitCounts(batch: { lastSeq: number; counts: readonly MinuteCounts[]; partitions: readonly { accountId: string; region: string; firstMinute: number }[] }): Promise<void> {
    await inTransaction(this.#pool, async (client) => {
      for (const c of batch.counts) {
        let errors = 0;
        for (const [code, count] of Object.entries(c.errors)) {
          errors += count;
          await client.query(
            `INSERT INTO insight_error_minutes (${SERIES_COLUMNS}, error_code, minute, count) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT ${SERIES_KEY}, error_code, minute) DO UPDATE SET count = insight_error_minutes.count + EXCLUDED.count`,
            [c.accountId, c.region, c.eventSource, c.eventName, c.category, code, c.minuteMs, count],
          );
        }
        await client.query(
          `INSERT INTO insight_minutes (${SERIES_COLUMNS}, minute, calls, errors) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT ${SERIES_KEY}, minute) DO UPDATE SET calls = insight_minutes.calls + EXCLUDED.calls, errors = insight_minutes.errors + EXCLUDED.errors`,
          [c.accountId, c.region, c.eventSource, c.eventName, c.category, c.minuteMs, c.calls, errors],
        );
      }
      for (const p of batch.partitions) {
        await client.query('INSERT INTO insight_partitions (account_id, region, first_minute) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [p.accountId, p.region, p.firstMinute]);
      }
      await client.query('INSERT INTO insight_detector (id, last_seq) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET last_seq = EXCLUDED.last_seq', [batch.lastSeq]);
    });
  }

  async minutesFrom(fromMs: number): Promise<StoredMinute[]> {
    const rows = (
      await this.#pool.query<MinuteRow>(
        `SELECT ${SERIES_COLUMNS}, minute, calls, errors FROM insight_minutes WHERE minute >= $1
          ORDER BY account_id COLLATE "C", region COLLATE "C", event_source COLLATE "C", event_name COLLATE "C", category COLLATE "C", minute`,
        [fromMs],
      )
    ).rows;
    return rows.map((r) => ({
      accountId: r.account_id,
      region: r.region,
      eventSource: r.event_source,
      eventName: r.event_name,
      category: r.category,
      minuteMs: r.minute,
      calls: r.calls,
      errors: r.errors,
    }));
  }

  async incidents<State>(): Promise<StoredIncident<State>[]> {
    const rows = (await this.#pool.query<IncidentRow>(`SELECT ${SERIES_COLUMNS}, insight_type, state FROM insight_incidents`)).rows;
    return rows.map((r) => ({
      key: { accountId: r.account_id, region: r.region, eventSource: r.event_source, eventName: r.event_name, category: r.category, insightType: r.insight_type },
      state: JSON.parse(r.state) as State,
    }));
  }

  async commitEvaluation<State>(evaluation: { evaluatedMinute: number; incidents: readonly { key: SeriesKey; state: State | undefined }[] }): Promise<void> {
    await inTransaction(this.#pool, async (client) => {
      for (const { key: k, state } of evaluation.incidents) {
        const key = [k.accountId, k.region, k.eventSource, k.eventName, k.category, k.insightType];
        if (state === undefined) {
          await client.query('DELETE FROM insight_incidents WHERE account_id = $1 AND region = $2 AND event_source = $3 AND event_name = $4 AND category = $5 AND insight_type = $6', key);
        } else {
          await client.query(
            `INSERT INTO insight_incidents (${SERIES_COLUMNS}, insight_type, state) VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT ${SERIES_KEY}, insight_type) DO UPDATE SET state = EXCLUDED.state`,
            [...key, JSON.stringify(state)],
          );
        }
      }
      await client.query(
        'INSERT INTO insight_detector (id, last_seq, evaluated_minute) VALUES (1, 0, $1) ON CONFLICT (id) DO UPDATE SET evaluated_minute = EXCLUDED.evaluated_minute',
        [evaluation.evaluatedMinute],
      );
    });
  }

  async purgeBefore(cutoffMs: number): Promise<number> {
    const minutes = (await this.#pool.query('DELETE FROM insight_minutes WHERE minute < $1', [cutoffMs])).rowCount ?? 0;
    const errors = (await this.#pool.query('DELETE FROM insight_error_minutes WHERE minute < $1', [cutoffMs])).rowCount ?? 0;
    return minutes + errors;
  }
}
