/**
 * Applies the CloudWatch alarms' staged changes (../monitoring/monitoring-change.ts) in
 * the writer thread, in the transaction of the call's record.
 */
import type { AlarmChange } from '../monitoring/monitoring-change.js';
import { transitionNotifies } from '../monitoring/alarms.js';
import { alarmConfigText, alarmOfRow, insertHistory, insertPendingAction } from './alarm-store.js';
import type { AlarmRow } from './alarm-store.js';
import { ChangeConflict, changed } from './change-sql.js';
import type { SqliteDatabase } from './database.js';
import { addMetricSamples } from './metric-minutes.js';
import { StatementCache } from './statement-cache.js';

export class AlarmChangeWriter {
  readonly #sql: StatementCache;

  constructor(db: SqliteDatabase) {
    this.#sql = new StatementCache(db);
  }

  apply(change: AlarmChange): void {
    const sql = this.#sql;
    switch (change.kind) {
      case 'putMetricAlarm': {
        const a = change.alarm;
        // A replaced alarm keeps its state; only a new one starts with the staged state.
        sql
          .get(
            `INSERT INTO metric_alarms (account_id, region, alarm_name, config, state_value, state_reason, state_reason_data, state_timestamp)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (account_id, region, alarm_name) DO UPDATE SET config = excluded.config`,
          )
          .run(a.accountId, a.region, a.alarmName, alarmConfigText(a), a.state.value, a.state.reason, a.state.reasonData ?? null, a.state.timestampMs);
        insertHistory(sql, change.history);
        return;
      }
      case 'deleteAlarms':
        for (const name of change.alarmNames) {
          changed(sql.get('DELETE FROM metric_alarms WHERE account_id = ? AND region = ? AND alarm_name = ?'), change.accountId, change.region, name);
        }
        for (const item of change.history) insertHistory(sql, item);
        return;
      case 'setAlarmState': {
        const row = sql.get('SELECT * FROM metric_alarms WHERE account_id = ? AND region = ? AND alarm_name = ?').get(change.accountId, change.region, change.alarmName) as
          | AlarmRow
          | undefined;
        if (row === undefined) throw new ChangeConflict('missing');
        const alarm = alarmOfRow(row);
        const s = change.state;
        sql
          .get('UPDATE metric_alarms SET state_value = ?, state_reason = ?, state_reason_data = ?, state_timestamp = ? WHERE account_id = ? AND region = ? AND alarm_name = ?')
          .run(s.value, s.reason, s.reasonData ?? null, s.timestampMs, change.accountId, change.region, change.alarmName);
        insertHistory(sql, change.history);
        // Its actions run as an evaluated transition's do: owed from this commit on.
        const transition = { alarm, oldState: alarm.state.value, newState: s };
        if (transitionNotifies(transition)) insertPendingAction(sql, transition);
        return;
      }
      case 'putMetricData':
        addMetricSamples(sql, change.samples);
        return;
    }
  }
}
