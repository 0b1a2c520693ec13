/**
 * CloudWatch metric alarms: their configuration (PutMetricAlarm, staged as an AlarmChange and
 * committed with the call's record), their state, and their history. The alarm evaluator
 * (workers/alarms/) moves states itself; those transitions are the service's own doing, not
 * API calls, so they are written here directly and appear in DescribeAlarmHistory.
 */
import type { MetricDimension } from './metrics.js';

export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface AlarmState {
  value: AlarmStateValue;
  reason: string;
  /** JSON text, as CloudWatch gives it in StateReasonData. */
  reasonData?: string;
  timestampMs: number;
}

export interface MetricAlarm {
  accountId: string;
  region: string;
  alarmName: string;
  alarmArn: string;
  alarmDescription?: string;
  actionsEnabled: boolean;
  okActions: string[];
  alarmActions: string[];
  insufficientDataActions: string[];
  namespace: string;
  metricName: string;
  dimensions: MetricDimension[];
  /** One of SampleCount, Average, Sum, Minimum, Maximum. */
  statistic: string;
  periodSeconds: number;
  unit?: string;
  evaluationPeriods: number;
  datapointsToAlarm?: number;
  threshold: number;
  comparisonOperator: string;
  /** missing, notBreaching, breaching, ignore (CloudWatch's default: missing). */
  treatMissingData?: string;
  tags: { Key: string; Value: string }[];
  configurationUpdatedMs: number;
  state: AlarmState;
}

export type AlarmHistoryItemType = 'ConfigurationUpdate' | 'StateUpdate' | 'Action';

export interface AlarmHistoryItem {
  accountId: string;
  region: string;
  alarmName: string;
  timestampMs: number;
  historyItemType: AlarmHistoryItemType;
  historySummary: string;
  /** JSON text. */
  historyData: string;
}

/** An alarm's identity: alarms of different accounts or regions never meet. */
export interface AlarmKey {
  accountId: string;
  region: string;
  alarmName: string;
}

/** DescribeAlarms' filters; every one given must hold. */
export interface AlarmFilter {
  alarmNames?: readonly string[];
  namePrefix?: string;
  stateValue?: AlarmStateValue;
  /** Some action of the alarm (OK, ALARM or INSUFFICIENT_DATA) starts with it. */
  actionPrefix?: string;
}

export interface AlarmHistoryQuery {
  alarmName?: string;
  itemType?: AlarmHistoryItemType;
  /** [startMs, endMs] inclusive, as CloudWatch's StartDate and EndDate. */
  startMs?: number;
  endMs?: number;
  /** ScanBy TimestampDescending (CloudWatch's default) or TimestampAscending. */
  newestFirst: boolean;
}

/**
 * What a transition owes: its notifications (the alarm's actions for the new state and the
 * webhook), persisted with the transition and removed once they ran, so a crash between the two
 * loses none of them. The alarm is the configuration as it was at the transition.
 */
export interface AlarmTransition {
  alarm: MetricAlarm;
  oldState: AlarmStateValue;
  newState: AlarmState;
}

export interface PendingAlarmAction {
  id: number;
  transition: AlarmTransition;
}

/** What handlers see: reads only (their changes are staged AlarmChanges). */
export interface AlarmReader {
  get(key: AlarmKey): Promise<MetricAlarm | undefined>;
  /** How many alarms the account has in the region. */
  count(accountId: string, region: string): Promise<number>;
  /** Alarms by name, after `after` (an alarm name). */
  list(accountId: string, region: string, filter: AlarmFilter, limit: number, after?: string): Promise<{ alarms: MetricAlarm[]; next?: string }>;
  /** History items in the query's order, after the item `after` (an opaque position from `next`). */
  history(accountId: string, region: string, query: AlarmHistoryQuery, limit: number, after?: number): Promise<{ items: AlarmHistoryItem[]; next?: number }>;
}

/** The evaluator's port: it moves states itself (its transitions are not API calls). */
export interface AlarmStore extends AlarmReader {
  /** Every alarm of every account. */
  all(): Promise<MetricAlarm[]>;
  /**
   * Compare and set: the state becomes `next`, with its history item and (when given) its
   * pending action, only if the alarm still exists with the state value and timestamp
   * `expected`. Answers whether it did.
   */
  transition(key: AlarmKey, expected: Pick<AlarmState, 'value' | 'timestampMs'>, next: AlarmState, history: AlarmHistoryItem, action?: AlarmTransition): Promise<boolean>;
  /** Actions owed, oldest first. */
  pendingActions(): Promise<PendingAlarmAction[]>;
  /** The action ran (or finally failed): it is removed and its outcome recorded, in one transaction. */
  completeAction(id: number, outcomes: readonly AlarmHistoryItem[]): Promise<void>;
  /** Drops history items older than this (CloudWatch keeps alarm history 30 days). */
  purgeHistoryBefore(cutoffMs: number): Promise<number>;
}

export function alarmArn(region: string, accountId: string, alarmName: string): string {
  return `arn:aws:cloudwatch:${region}:${accountId}:alarm:${alarmName}`;
}

/** Whether the transition notifies anyone: a new state value (a changed reason alone does not). */
export function transitionNotifies(transition: AlarmTransition): boolean {
  return transition.oldState !== transition.newState.value;
}
