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
