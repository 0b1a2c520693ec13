/**
 * The message CloudWatch publishes to an alarm's SNS topics on a state change (and OpenTrail's
 * webhook gets the same): a JSON text with the alarm, the old and new state and the trigger,
 * and the subject `ALARM: "<name>" in <Region long name>`.
 */
import type { AlarmTransition } from '../../store/monitoring/alarms.js';
import { reasonDataDate } from '../../monitoring/alarms/evaluate.js';

const REGION_NAMES: Readonly<Record<string, string>> = {
  'us-east-1': 'US East (N. Virginia)',
  'us-east-2': 'US East (Ohio)',
  'us-west-1': 'US West (N. California)',
  'us-west-2': 'US West (Oregon)',
  'af-south-1': 'Africa (Cape Town)',
  'ap-east-1': 'Asia Pacific (Hong Kong)',
  'ap-south-1': 'Asia Pacific (Mumbai)',
  'ap-northeast-1': 'Asia Pacific (Tokyo)',
  'ap-northeast-2': 'Asia Pacific (Seoul)',
  'ap-northeast-3': 'Asia Pacific (Osaka)',
  'ap-southeast-1': 'Asia Pacific (Singapore)',
  'ap-southeast-2': 'Asia Pacific (Sydney)',
  'ca-central-1': 'Canada (Central)',
  'eu-central-1': 'EU (Frankfurt)',
  'eu-west-1': 'EU (Ireland)',
  'eu-west-2': 'EU (London)',
  'eu-west-3': 'EU (Paris)',
  'eu-north-1': 'EU (Stockholm)',
  'eu-south-1': 'EU (Milan)',
  'me-south-1': 'Middle East (Bahrain)',
  'sa-east-1': 'South America (Sao Paulo)',
};

/** The region's long name as CloudWatch's notifications write it; the code for others. */
export function regionLongName(region: string): string {
  return Object.hasOwn(REGION_NAMES, region) ? REGION_NAMES[region]! : region;
}

/** CloudWatch's notifications write statistics in upper snake case. */
const STATISTIC_NAMES: Readonly<Record<string, string>> = { SampleCount: 'SAMPLE_COUNT', Average: 'AVERAGE', Sum: 'SUM', Minimum: 'MINIMUM', Maximum: 'MAXIMUM' };

/** SNS takes subjects of at most 100 characters. */
const MAX_SUBJECT = 100;

export function alarmSubject(transition: AlarmTransition): string {
  const subject = `${transition.newState.value}: "${transition.alarm.alarmName}" in ${regionLongName(transition.alarm.region)}`;
  return subject.length <= MAX_SUBJECT ? subject : `${subject.slice(0, MAX_SUBJECT - 3)}...`;
}

export function alarmMessage(transition: AlarmTransition): string {
  const { alarm, oldState, newState } = transition;
  return JSON.stringify({
    AlarmName: alarm.alarmName,
    AlarmDescription: alarm.alarmDescription ?? null,
    AWSAccountId: alarm.accountId,
    AlarmConfigurationUpdatedTimestamp: reasonDataDate(alarm.configurationUpdatedMs),
    NewStateValue: newState.value,
    NewStateReason: newState.reason,
    StateChangeTime: reasonDataDate(newState.timestampMs),
    Region: regionLongName(alarm.region),
    AlarmArn: alarm.alarmArn,
    OldStateValue: oldState,
    OKActions: alarm.okActions,
    AlarmActions: alarm.alarmActions,
    InsufficientDataActions: alarm.insufficientDataActions,
    Trigger: {
      MetricName: alarm.metricName,
      Namespace: alarm.namespace,
      StatisticType: 'Statistic',
      Statistic: STATISTIC_NAMES[alarm.statistic] ?? alarm.statistic.toUpperCase(),
      Unit: alarm.unit ?? null,
      Dimensions: alarm.dimensions.map((d) => ({ value: d.value, name: d.name })),
      Period: alarm.periodSeconds,
      EvaluationPeriods: alarm.evaluationPeriods,
      ...(alarm.datapointsToAlarm !== undefined && { DatapointsToAlarm: alarm.datapointsToAlarm }),
      ComparisonOperator: alarm.comparisonOperator,
      Threshold: alarm.threshold,
      TreatMissingData: alarm.treatMissingData ?? 'missing',
      EvaluateLowSampleCountPercentile: '',
    },
  });
}

/** The topics the new state's actions name (none when actions are disabled). */
export function actionTargets(transition: AlarmTransition): string[] {
  const { alarm, newState } = transition;
  if (!alarm.actionsEnabled) return [];
  switch (newState.value) {
    case 'ALARM':
      return alarm.alarmActions;
    case 'OK':
      return alarm.okActions;
    case 'INSUFFICIENT_DATA':
      return alarm.insufficientDataActions;
  }
}
