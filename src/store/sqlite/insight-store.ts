/**
 * The insights port on SQLite: insight_minutes and insight_error_minutes (counts per API and
 * minute), insight_detector (the detector's position), insight_partitions and insight_incidents.
 * Written from the main thread by the insights worker: its own bookkeeping, not a call's effect.
 */
import type { InsightCategory, InsightType } from '../../core/insights/insight-types.js';
import type {
  DetectorPosition,
  InsightMetricQuery,
  InsightStore,
  MinuteCounts,
  SeriesKey,
  StoredIncident,
  StoredMinute,
} from '../insights/insight-store.js';
import type { SqliteDatabase } from './database.js';
import { StatementCache } from './statement-cache.js';

const SERIES_COLUMNS = 'account_id, region, event_source, event_name, category';

export interface MinuteRow {
  account_id: string;
  region: string;
  event_source: string;
  event_name: string;
  category: InsightCategory;
  minute: number;
  calls: number;
  errors: number;
}

export interface IncidentRow {
  account_id: string;
  region: string;
  event_source: string;
  event_name: string;
  category: InsightCategory;
  insight_type: InsightType;
  state: string;
}

export class SqliteInsightStore implements InsightStore {
  readonly #db: SqliteDatabase;
  readonly #sql: StatementCache;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#sql = new StatementCache(db);
  }

  async minuteValues(query: InsightMetricQuery): Promise<{ minuteMs: number; value: number }[]> {
    // Calls, all errors, or one error code's; the same API may appear as management and data events: its series sum both.
    const [table, column, byCode] =
      query.insightType === 'ApiCallRateInsight' ? ['insight_minutes', 'calls', false] : query.errorCode === undefined ? ['insight_minutes', 'errors', false] : ['insight_error_minutes', 'count', true];
    const rows = this.#sql
      .get(
        `SELECT minute, SUM(${column}) AS value FROM ${table}
         WHERE account_id = ? AND region = ? AND event_source = ? AND event_name = ? AND minute >= ? AND minute < ?${byCode ? ' AND error_code = ?' : ''}
         GROUP BY minute HAVING value > 0 ORDER BY minute`,
      )
      .all(query.accountId, query.region, query.eventSource, query.eventName, query.startMs, query.endMs, ...(byCode ? [query.errorCode] : [])) as { minute: number; value: number }[];
    return Promise.resolve(rows.map((r) => ({ minuteMs: r.minute, value: r.value })));
  }

  async position(): Promise<DetectorPosition> {
    const row = this.#sql.get('SELECT last_seq, evaluated_minute FROM insight_detector WHERE id = 1').get() as
      | { last_seq: number; evaluated_minute: number | null }
      | undefined;
    if (row === undefined) return Promise.resolve({ lastSeq: 0 });
    return Promise.resolve({ lastSeq: row.last_seq, ...(row.evaluated_minute !== null && { evaluatedMinute: row.evaluated_minute }) });
  }

  async partitions(): Promise<{ accountId: string; region: string; firstMinute: number }[]> {
    const rows = this.#sql.get('SELECT account_id, region, first_minute FROM insight_partitions').all() as { account_id: string; region: string; first_minute: number }[];
    return Promise.resolve(rows.map((r) => ({ accountId: r.account_id, region: r.region, firstMinute: r.first_minute })));
  }

  async commitCounts(batch: {
    lastSeq: number;
    counts: readonly MinuteCounts[];
    partitions: readonly { accountId: string; region: string; firstMinute: number }[];
  }): Promise<void> {
    const addMinute = this.#sql.get(
      `INSERT INTO insight_minutes (${SERIES_COLUMNS}, minute, calls, errors) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET calls = calls + excluded.calls, errors = errors + excluded.errors`,
    );
    const addError = this.#sql.get(
      `INSERT INTO insight_error_minutes (${SERIES_COLUMNS}, error_code, minute, count) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET count = count + excluded.count`,
    );
    const addPartition = this.#sql.get('INSERT INTO insight_partitions (account_id, region, first_minute) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
    const move = this.#sql.get(
      'INSERT INTO insight_detector (id, last_seq) VALUES (1, ?) ON CONFLICT DO UPDATE SET last_seq = excluded.last_seq',
    );
    this.#db.transaction(() => {
      for (const c of batch.counts) {
        let errors = 0;
        for (const [code, count] of Object.entries(c.errors)) {
          errors += count;
          addError.run(c.accountId, c.region, c.eventSource, c.eventName, c.category, code, c.minuteMs, count);
        }
        addMinute.run(c.accountId, c.region, c.eventSource, c.eventName, c.category, c.minuteMs, c.calls, errors);
      }
      for (const p of batch.partitions) addPartition.run(p.accountId, p.region, p.firstMinute);
      move.run(batch.lastSeq);
    }).immediate();
    return Promise.resolve();
  }

  async minutesFrom(fromMs: number): Promise<StoredMinute[]> {
    const rows = this.#sql
      .get(`SELECT ${SERIES_COLUMNS}, minute, calls, errors FROM insight_minutes WHERE minute >= ? ORDER BY ${SERIES_COLUMNS}, minute`)
      .all(fromMs) as MinuteRow[];
    return Promise.resolve(
      rows.map((r) => ({
        accountId: r.account_id,
        region: r.region,
        eventSource: r.event_source,
        eventName: r.event_name,
        category: r.category,
        minuteMs: r.minute,
        calls: r.calls,
        errors: r.errors,
      })),
    );
  }

  async incidents<State>(): Promise<StoredIncident<State>[]> {
    const rows = this.#sql.get(`SELECT ${SERIES_COLUMNS}, insight_type, state FROM insight_incidents`).all() as IncidentRow[];
    return Promise.resolve(
      rows.map((r) => ({
        key: { accountId: r.account_id, region: r.region, eventSource: r.event_source, eventName: r.event_name, category: r.category, insightType: r.insight_type },
        state: JSON.parse(r.state) as State,
      })),
    );
  }

  async commitEvaluation<State>(evaluation: { evaluatedMinute: number; incidents: readonly { key: SeriesKey; state: State | undefined }[] }): Promise<void> {
    const put = this.#sql.get(
      `INSERT INTO insight_incidents (${SERIES_COLUMNS}, insight_type, state) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET state = excluded.state`,
    );
    const remove = this.#sql.get(
      'DELETE FROM insight_incidents WHERE account_id = ? AND region = ? AND event_source = ? AND event_name = ? AND category = ? AND insight_type = ?',
    );
    const move = this.#sql.get(
      `INSERT INTO insight_detector (id, last_seq, evaluated_minute) VALUES (1, 0, ?)
       ON CONFLICT DO UPDATE SET evaluated_minute = excluded.evaluated_minute`,
    );
    this.#db.transaction(() => {
      for (const { key: k, state } of evaluation.incidents) {
        if (state === undefined) remove.run(k.accountId, k.region, k.eventSource, k.eventName, k.category, k.insightType);
        else put.run(k.accountId, k.region, k.eventSource, k.eventName, k.category, k.insightType, JSON.stringify(state));
      }
      move.run(evaluation.evaluatedMinute);
    }).immediate();
    return Promise.resolve();
  }

  async purgeBefore(cutoffMs: number): Promise<number> {
    const minutes = this.#sql.get('DELETE FROM insight_minutes WHERE minute < ?').run(cutoffMs).changes;
    const errors = this.#sql.get('DELETE FROM insight_error_minutes WHERE minute < ?').run(cutoffMs).changes;
    return Promise.resolve(minutes + errors);
  }
}
