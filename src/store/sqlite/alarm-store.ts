/**
 * The alarm port on SQLite: metric_alarms (configuration as JSON, state in columns),
 * alarm_history, and alarm_action_outbox (what transitions still owe). API calls change alarms
 * through staged AlarmChanges (./alarm-changes.ts, in the writer thread); the evaluator's own
 * transitions are written here, each a compare-and-set in a BEGIN IMMEDIATE transaction (the
 * writer thread writes to the same database).
 */
import type {
  AlarmFilter,
  AlarmHistoryItem,
  AlarmHistoryQuery,
  AlarmKey,
  AlarmState,
  AlarmStateValue,
  AlarmStore,
  AlarmTransition,
  MetricAlarm,
  PendingAlarmAction,
} from '../monitoring/alarms.js';
import type { SqliteDatabase } from './database.js';
import { StatementCache } from './statement-cache.js';

export interface AlarmRow {
  account_id: string;
  region: string;
  alarm_name: string;
  config: string;
  state_value: string;
  state_reason: string;
  state_reason_data: string | null;
  state_timestamp: number;
}

export interface HistoryRow {
  id: number;
  account_id: string;
  region: string;
  alarm_name: string;
  timestamp: number;
  item_type: string;
  summary: string;
  data: string;
}

/** The configuration column: the alarm without its key and state. */
export function alarmConfigText(alarm: MetricAlarm): string {
  const { accountId: _a, region: _r, alarmName: _n, state: _s, ...config } = alarm;
  return JSON.stringify(config);
}

export function alarmOfRow(row: AlarmRow): MetricAlarm {
  const config = JSON.parse(row.config) as Omit<MetricAlarm, 'accountId' | 'region' | 'alarmName' | 'state'>;
  return {
    ...config,
    accountId: row.account_id,
    region: row.region,
    alarmName: row.alarm_name,
    state: {
      value: row.state_value as AlarmStateValue,
      reason: row.state_reason,
      ...(row.state_reason_data !== null && { reasonData: row.state_reason_data }),
      timestampMs: row.state_timestamp,
    },
  };
}

export function historyOfRow(row: HistoryRow): AlarmHistoryItem {
  return {
    accountId: row.account_id,
    region: row.region,
    alarmName: row.alarm_name,
    timestampMs: row.timestamp,
    historyItemType: row.item_type as AlarmHistoryItem['historyItemType'],
    historySummary: row.summary,
    historyData: row.data,
  };
}

export function insertHistory(sql: StatementCache, item: AlarmHistoryItem): void {
  sql
    .get('INSERT INTO alarm_history (account_id, region, alarm_name, timestamp, item_type, summary, data) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(item.accountId, item.region, item.alarmName, item.timestampMs, item.historyItemType, item.historySummary, item.historyData);
}

export function insertPendingAction(sql: StatementCache, transition: AlarmTransition): void {
  const a = transition.alarm;
  sql
    .get('INSERT INTO alarm_action_outbox (account_id, region, alarm_name, created_at, transition) VALUES (?, ?, ?, ?, ?)')
    .run(a.accountId, a.region, a.alarmName, transition.newState.timestampMs, JSON.stringify(transition));
}

export function actionsOf(alarm: MetricAlarm): string[] {
  return [...alarm.okActions, ...alarm.alarmActions, ...alarm.insufficientDataActions];
}

/** DescribeAlarms' filters, tested on an alarm (names, prefix, state and action prefix). */
export function alarmMatcher(filter: AlarmFilter): (alarm: MetricAlarm) => boolean {
  const names = filter.alarmNames !== undefined && filter.alarmNames.length > 0 ? new Set(filter.alarmNames) : undefined;
  const prefix = filter.namePrefix;
  return (alarm) =>
    (names === undefined || names.has(alarm.alarmName)) &&
    (prefix === undefined || alarm.alarmName.startsWith(prefix)) &&
    (filter.stateValue === undefined || alarm.state.value === filter.stateValue) &&
    (filter.actionPrefix === undefined || actionsOf(alarm).some((action) => action.startsWith(filter.actionPrefix!)));
}

const PAGE = 500;

export class SqliteAlarmStore implements AlarmStore {
  readonly #db: SqliteDatabase;
  readonly #sql: StatementCache;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#sql = new StatementCache(db);
  }

  async get(key: AlarmKey): Promise<MetricAlarm | undefined> {
    const row = this.#sql.get('SELECT * FROM metric_alarms WHERE account_id = ? AND region = ? AND alarm_name = ?').get(key.accountId, key.region, key.alarmName) as
      | AlarmRow
      | undefined;
    return row === undefined ? undefined : alarmOfRow(row);
  }

  async count(accountId: string, region: string): Promise<number> {
    return (this.#sql.get('SELECT COUNT(*) AS n FROM metric_alarms WHERE account_id = ? AND region = ?').get(accountId, region) as { n: number }).n;
  }

  async list(accountId: string, region: string, filter: AlarmFilter, limit: number, after?: string): Promise<{ alarms: MetricAlarm[]; next?: string }> {
    const matches = alarmMatcher(filter);
    const out: MetricAlarm[] = [];
    let cursor = after ?? '';
    const page = this.#sql.get(
      `SELECT * FROM metric_alarms WHERE account_id = ? AND region = ? AND alarm_name > ?
       AND (? IS NULL OR state_value = ?) ORDER BY alarm_name LIMIT ${PAGE}`,
    );
    for (;;) {
      const rows = page.all(accountId, region, cursor, filter.stateValue ?? null, filter.stateValue ?? null) as AlarmRow[];
      for (const row of rows) {
        const alarm = alarmOfRow(row);
        if (!matches(alarm)) continue;
        if (out.length === limit) return { alarms: out, next: out[out.length - 1]!.alarmName };
        out.push(alarm);
      }
      if (rows.length < PAGE) return { alarms: out };
      cursor = rows[rows.length - 1]!.alarm_name;
    }
  }

  async history(accountId: string, region: string, query: AlarmHistoryQuery, limit: number, after?: number): Promise<{ items: AlarmHistoryItem[]; next?: number }> {
    const order = query.newestFirst ? 'DESC' : 'ASC';
    const past = query.newestFirst ? '<' : '>';
    const rows = this.#sql
      .get(
        `SELECT * FROM alarm_history WHERE account_id = ? AND region = ?
         AND (? IS NULL OR alarm_name = ?) AND (? IS NULL OR item_type = ?)
         AND timestamp >= ? AND timestamp <= ? AND (? IS NULL OR id ${past} ?)
         ORDER BY timestamp ${order}, id ${order} LIMIT ?`,
      )
      .all(
        accountId,
        region,
        query.alarmName ?? null,
        query.alarmName ?? null,
        query.itemType ?? null,
        query.itemType ?? null,
        query.startMs ?? Number.MIN_SAFE_INTEGER,
        query.endMs ?? Number.MAX_SAFE_INTEGER,
        after ?? null,
        after ?? null,
        limit + 1,
      ) as HistoryRow[];
    const items = rows.slice(0, limit).map(historyOfRow);
    return rows.length > limit ? { items, next: rows[limit - 1]!.id } : { items };
  }

  async all(): Promise<MetricAlarm[]> {
    return (this.#sql.get('SELECT * FROM metric_alarms ORDER BY account_id, region, alarm_name').all() as AlarmRow[]).map(alarmOfRow);
  }

  async transition(key: AlarmKey, expected: Pick<AlarmState, 'value' | 'timestampMs'>, next: AlarmState, history: AlarmHistoryItem, action?: AlarmTransition): Promise<boolean> {
    const sql = this.#sql;
    const apply = this.#db.transaction((): boolean => {
      const result = sql
        .get(
          `UPDATE metric_alarms SET state_value = ?, state_reason = ?, state_reason_data = ?, state_timestamp = ?
           WHERE account_id = ? AND region = ? AND alarm_name = ? AND state_value = ? AND state_timestamp = ?`,
        )
        .run(next.value, next.reason, next.reasonData ?? null, next.timestampMs, key.accountId, key.region, key.alarmName, expected.value, expected.timestampMs);
      if (result.changes === 0) return false;
      insertHistory(sql, history);
      if (action !== undefined) insertPendingAction(sql, action);
      return true;
    });
    return apply.immediate();
  }

  async pendingActions(): Promise<PendingAlarmAction[]> {
    const rows = this.#sql.get('SELECT id, transition FROM alarm_action_outbox ORDER BY id').all() as { id: number; transition: string }[];
    return rows.map((row) => ({ id: row.id, transition: JSON.parse(row.transition) as AlarmTransition }));
  }

  async completeAction(id: number, outcomes: readonly AlarmHistoryItem[]): Promise<void> {
    const sql = this.#sql;
    this.#db
      .transaction(() => {
        // Recorded once: a second completion of the same action (two passes racing) adds nothing.
        if (sql.get('DELETE FROM alarm_action_outbox WHERE id = ?').run(id).changes === 0) return;
        for (const item of outcomes) insertHistory(sql, item);
      })
      .immediate();
  }

  async purgeHistoryBefore(cutoffMs: number): Promise<number> {
    return this.#sql.get('DELETE FROM alarm_history WHERE timestamp < ?').run(cutoffMs).changes;
  }
}
