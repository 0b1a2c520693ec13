/**
 * Changes that calls to the hosted CloudWatch Logs and CloudWatch APIs make, as data: staged by
 * their handlers and applied by the event log's writer thread in the transaction of the call's
 * record (../state-change.ts), like every other change of state.
 */
import type { AlarmHistoryItem, AlarmState, MetricAlarm } from './alarms.js';
import type { IngestTarget, LogEventInput, LogGroup, MetricFilter } from './log-groups.js';
import type { MetricSample } from './metrics.js';

export type LogsChange =
  | { kind: 'createLogGroup'; group: LogGroup }
  /** Its streams, events and metric filters go with it. */
  | { kind: 'deleteLogGroup'; accountId: string; region: string; name: string }
  /** null: keep events forever (DeleteRetentionPolicy). */
  | { kind: 'setLogGroupRetention'; accountId: string; region: string; name: string; retentionInDays: number | null }
  /** Creates or replaces the filter of that name on the group. */
  | { kind: 'putMetricFilter'; filter: MetricFilter }
  | { kind: 'deleteMetricFilter'; accountId: string; region: string; logGroupName: string; filterName: string }
  /** A stream of a user's own (CreateLogStream); 'exists' when it is there already, 'missing' without its group. */
  | { kind: 'createLogStream'; accountId: string; region: string; logGroupName: string; logStreamName: string; createdAt: number }
  /**
   * PutLogEvents: the events go into an existing stream with the same work as LogStore.ingest
   * (the group's metric filters add their samples), in the transaction of the call's record.
   * 'missing' when the group or the stream is gone by then.
   */
  | { kind: 'putLogEvents'; target: IngestTarget; events: LogEventInput[]; nowMs: number };

export type AlarmChange =
  /** Creates or replaces the alarm; a replaced alarm keeps its state (CloudWatch does). */
  | { kind: 'putMetricAlarm'; alarm: MetricAlarm; history: AlarmHistoryItem }
  /** Each alarm must exist at commit; a ConfigurationUpdate history item records each deletion. */
  | { kind: 'deleteAlarms'; accountId: string; region: string; alarmNames: string[]; history: AlarmHistoryItem[] }
  /** The alarm must exist at commit; a new state value also owes the new state's actions (AlarmStore's outbox). */
  | { kind: 'setAlarmState'; accountId: string; region: string; alarmName: string; state: AlarmState; history: AlarmHistoryItem }
  /** PutMetricData's samples: data, committed with the call's record like any change. */
  | { kind: 'putMetricData'; samples: MetricSample[] };

const LOGS_CHANGE_KINDS: ReadonlySet<string> = new Set<LogsChange['kind']>([
  'createLogGroup',
  'deleteLogGroup',
  'setLogGroupRetention',
  'putMetricFilter',
  'deleteMetricFilter',
  'createLogStream',
  'putLogEvents',
]);
const ALARM_CHANGE_KINDS: ReadonlySet<string> = new Set<AlarmChange['kind']>(['putMetricAlarm', 'deleteAlarms', 'setAlarmState', 'putMetricData']);

export function isLogsChange(change: { kind: string }): change is LogsChange {
  return LOGS_CHANGE_KINDS.has(change.kind);
}

export function isAlarmChange(change: { kind: string }): change is AlarmChange {
  return ALARM_CHANGE_KINDS.has(change.kind);
}
