/**
 * The alarm port on PostgreSQL (as sqlite/alarm-store.ts): metric_alarms, alarm_history and
 * alarm_action_outbox. The evaluator's transitions are compare-and-set updates, so two nodes
 * evaluating at once (one of them stalled past its lease) cannot both make the same transition.
 */
import type { Pool } from 'pg';
import type {
  AlarmFilter,
  AlarmHistoryItem,
  AlarmHistoryQuery,
  AlarmKey,
  AlarmState,
  AlarmStore,
  AlarmTransition,
  MetricAlarm,
  PendingAlarmAction,
} from '../monitoring/alarms.js';
import { alarmMatcher, alarmOfRow, historyOfRow } from '../sqlite/alarm-store.js';
import type { AlarmRow, HistoryRow } from '../sqlite/alarm-store.js';
import type { Queryable } from './metric-minutes.js';
import { inTransaction } from './pool.js';

const PAGE = 500;

export async function insertHistory(db: Queryable, item: AlarmHistoryItem): Promise<void> {
  await db.query('INSERT INTO alarm_history (account_id, region, alarm_name, timestamp, item_type, summary, data) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
    item.accountId,
    item.region,
    item.alarmName,
    item.timestampMs,
    item.historyItemType,
    item.historySummary,
    item.historyData,
  ]);
}

export async function insertPendingAction(db: Queryable, transition: AlarmTransition): Promise<void> {
  const a = transition.alarm;
  await db.query('INSERT INTO alarm_action_outbox (account_id, region, alarm_name, created_at, transition) VALUES ($1, $2, $3, $4, $5)', [
    a.accountId,
    a.region,
    a.alarmName,
    transition.newState.timestampMs,
    JSON.stringify(transition),
  ]);
}

export class PostgresAlarmStore implements AlarmStore {
  readonly #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  async get(key: AlarmKey): Promise<MetricAlarm | undefined> {
    const row = (await this.#pool.query<AlarmRow>('SELECT * FROM metric_alarms WHERE account_id = $1 AND region = $2 AND alarm_name = $3', [key.accountId, key.region, key.alarmName])).rows[0];
    return row === undefined ? undefined : alarmOfRow(row);
  }

  async count(accountId: string, region: string): Promise<number> {
    return (await this.#pool.query<{ n: number }>('SELECT count(*) AS n FROM metric_alarms WHERE account_id = $1 AND region = $2', [accountId, region])).rows[0]!.n;
  }

  async list(accountId: string, region: string, filter: AlarmFilter, limit: number, after?: string): Promise<{ alarms: MetricAlarm[]; next?: string }> {
    const matches = alarmMatcher(filter);
    const out: MetricAlarm[] = [];
    let cursor = after ?? '';
    for (;;) {
      const rows = (
        await this.#pool.query<AlarmRow>(
          `SELECT * FROM metric_alarms WHERE account_id = $1 AND region = $2 AND alarm_name > $3 AND ($4::text IS NULL OR state_value = $4)
            ORDER BY alarm_name LIMIT ${PAGE}`,
          [accountId, region, cursor, filter.stateValue ?? null],
        )
      ).rows;
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
    const rows = (
      await this.#pool.query<HistoryRow>(
        `SELECT * FROM alarm_history WHERE account_id = $1 AND region = $2
            AND ($3::text IS NULL OR alarm_name = $3) AND ($4::text IS NULL OR item_type = $4)
            AND timestamp >= $5 AND timestamp <= $6 AND ($7::bigint IS NULL OR id ${past} $7)
          ORDER BY timestamp ${order}, id ${order} LIMIT $8`,
        [accountId, region, query.alarmName ?? null, query.itemType ?? null, query.startMs ?? Number.MIN_SAFE_INTEGER, query.endMs ?? Number.MAX_SAFE_INTEGER, after ?? null, limit + 1],
      )
    ).rows;
    const items = rows.slice(0, limit).map(historyOfRow);
    return rows.length > limit ? { items, next: rows[limit - 1]!.id } : { items };
  }

  async all(): Promise<MetricAlarm[]> {
    return (await this.#pool.query<AlarmRow>('SELECT * FROM metric_alarms ORDER BY account_id, region, alarm_name')).rows.map(alarmOfRow);
  }

  async transition(key: AlarmKey, expected: Pick<AlarmState, 'value' | 'timestampMs'>, next: AlarmState, history: AlarmHistoryItem, action?: AlarmTransition): Promise<boolean> {
    return inTransaction(this.#pool, async (client) => {
      const result = await client.query(
        `UPDATE metric_alarms SET state_value = $1, state_reason = $2, state_reason_data = $3, state_timestamp = $4
          WHERE account_id = $5 AND region = $6 AND alarm_name = $7 AND state_value = $8 AND state_timestamp = $9`,
        [next.value, next.reason, next.reasonData ?? null, next.timestampMs, key.accountId, key.region, key.alarmName, expected.value, expected.timestampMs],
      );
      if (result.rowCount === 0) return false;
      await insertHistory(client, history);
      if (action !== undefined) await insertPendingAction(client, action);
      return true;
    });
  }

  async pendingActions(): Promise<PendingAlarmAction[]> {
    const rows = (await this.#pool.query<{ id: number; transition: string }>('SELECT id, transition FROM alarm_action_outbox ORDER BY id')).rows;
    return rows.map((row) => ({ id: row.id, transition: JSON.parse(row.transition) as AlarmTransition }));
  }

  async completeAction(id: number, outcomes: readonly AlarmHistoryItem[]): Promise<void> {
    await inTransaction(this.#pool, async (client) => {
      // Recorded once: a second completion of the same action (two passes racing) adds nothing.
      if ((await client.query('DELETE FROM alarm_action_outbox WHERE id = $1', [id])).rowCount === 0) return;
      for (const item of outcomes) await insertHistory(client, item);
    });
  }

  async purgeHistoryBefore(cutoffMs: number): Promise<number> {
    return (await this.#pool.query('DELETE FROM alarm_history WHERE timestamp < $1', [cutoffMs])).rowCount ?? 0;
  }
}
