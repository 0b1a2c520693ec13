/**
 * The CloudWatch Logs and alarm changes on PostgreSQL, in the transaction of the call's record
 * (mirrors sqlite/logs-changes.ts and sqlite/alarm-changes.ts). Conflicts are ChangeConflicts
 * that roll the call back with its record.
 */
import type { PoolClient } from 'pg';
import { transitionNotifies } from '../monitoring/alarms.js';
import { MAX_FILTERS_PER_GROUP, MAX_REGEX_FILTERS_PER_GROUP } from '../monitoring/log-groups.js';
import type { AlarmChange, LogsChange } from '../monitoring/monitoring-change.js';
import { alarmConfigText, alarmOfRow } from '../sqlite/alarm-store.js';
import type { AlarmRow } from '../sqlite/alarm-store.js';
import { regexCountOf } from '../sqlite/log-store.js';
import { insertHistory, insertPendingAction } from './alarm-store.js';
import { ChangeConflict, changed, inserted } from './change-sql.js';
import { ingestLogEvents } from './log-ingester.js';
import { addMetricSamples } from './metric-minutes.js';

export async function applyLogsChange(client: PoolClient, change: LogsChange): Promise<void> {
  switch (change.kind) {
    case 'createLogGroup': {
      const g = change.group;
      return inserted(client, 'INSERT INTO log_groups (account_id, region, name, arn, created_at, retention_days, kms_key_id, tags) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
        g.accountId,
        g.region,
        g.name,
        g.arn,
        g.createdAt,
        g.retentionInDays ?? null,
        g.kmsKeyId ?? null,
        JSON.stringify(g.tags),
      ]);
    }
    case 'deleteLogGroup':
      // Streams, events and metric filters go with it (ON DELETE CASCADE).
      return changed(client, 'DELETE FROM log_groups WHERE account_id = $1 AND region = $2 AND name = $3', [change.accountId, change.region, change.name]);
    case 'setLogGroupRetention':
      return changed(client, 'UPDATE log_groups SET retention_days = $1 WHERE account_id = $2 AND region = $3 AND name = $4', [
        change.retentionInDays,
        change.accountId,
        change.region,
        change.name,
      ]);
    case 'putMetricFilter': {
      const f = change.filter;
      await inserted(
        client,
        `INSERT INTO metric_filters (account_id, region, group_name, filter_name, pattern, transformations, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (account_id, region, group_name, filter_name) DO UPDATE SET pattern = EXCLUDED.pattern, transformations = EXCLUDED.transformations, created_at = EXCLUDED.created_at`,
        [f.accountId, f.region, f.logGroupName, f.filterName, f.filterPattern, JSON.stringify(f.metricTransformations), f.createdAt],
      );
      return checkFilterQuotas(client, f.accountId, f.region, f.logGroupName);
    }
    case 'deleteMetricFilter':
      return changed(client, 'DELETE FROM metric_filters WHERE account_id = $1 AND region = $2 AND group_name = $3 AND filter_name = $4', [
        change.accountId,
        change.region,
        change.logGroupName,
        change.filterName,
      ]);
    case 'createLogStream':
      return inserted(client, 'INSERT INTO log_streams (account_id, region, group_name, name, created_at) VALUES ($1, $2, $3, $4, $5)', [
        change.accountId,
        change.region,
        change.logGroupName,
        change.logStreamName,
        change.createdAt,
      ]);
    case 'putLogEvents': {
      const result = await ingestLogEvents(client, change.target, change.events, change.nowMs, { createStream: false });
      if (result === 'noGroup' || result === 'noStream') throw new ChangeConflict('missing');
      return;
    }
  }
}

/**
 * The group's quotas, re-checked at commit: a racing PutMetricFilter may have taken the last
 * place since the handler counted. 'exists': the room it would take is taken already.
 */
async function checkFilterQuotas(client: PoolClient, accountId: string, region: string, groupName: string): Promise<void> {
  const patterns = (await client.query<{ pattern: string }>('SELECT pattern FROM metric_filters WHERE account_id = $1 AND region = $2 AND group_name = $3', [accountId, region, groupName])).rows.map(
    (r) => r.pattern,
  );
  if (patterns.length > MAX_FILTERS_PER_GROUP) throw new ChangeConflict('exists');
  if (patterns.filter((p) => regexCountOf(p) > 0).length > MAX_REGEX_FILTERS_PER_GROUP) throw new ChangeConflict('exists');
}

export async function applyAlarmChange(client: PoolClient, change: AlarmChange): Promise<void> {
  switch (change.kind) {
    case 'putMetricAlarm': {
      const a = change.alarm;
      // A replaced alarm keeps its state; only a new one starts with the staged state.
      await client.query(
        `INSERT INTO metric_alarms (account_id, region, alarm_name, config, state_value, state_reason, state_reason_data, state_timestamp)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (account_id, region, alarm_name) DO UPDATE SET config = EXCLUDED.config`,
        [a.accountId, a.region, a.alarmName, alarmConfigText(a), a.state.value, a.state.reason, a.state.reasonData ?? null, a.state.timestampMs],
      );
      await insertHistory(client, change.history);
      return;
    }
    case 'deleteAlarms':
      for (const name of change.alarmNames) {
        await changed(client, 'DELETE FROM metric_alarms WHERE account_id = $1 AND region = $2 AND alarm_name = $3', [change.accountId, change.region, name]);
      }
      for (const item of change.history) await insertHistory(client, item);
      return;
    case 'setAlarmState': {
      const row = (
        await client.query<AlarmRow>('SELECT * FROM metric_alarms WHERE account_id = $1 AND region = $2 AND alarm_name = $3 FOR UPDATE', [change.accountId, change.region, change.alarmName])
      ).rows[0];
      if (row === undefined) throw new ChangeConflict('missing');
      const alarm = alarmOfRow(row);
      const s = change.state;
      await client.query(
        'UPDATE metric_alarms SET state_value = $1, state_reason = $2, state_reason_data = $3, state_timestamp = $4 WHERE account_id = $5 AND region = $6 AND alarm_name = $7',
        [s.value, s.reason, s.reasonData ?? null, s.timestampMs, change.accountId, change.region, change.alarmName],
      );
      await insertHistory(client, change.history);
      // Its actions run as an evaluated transition's do: owed from this commit on.
      const transition = { alarm, oldState: alarm.state.value, newState: s };
      if (transitionNotifies(transition)) await insertPendingAction(client, transition);
      return;
    }
    case 'putMetricData':
      return addMetricSamples(client, change.samples);
  }
}
