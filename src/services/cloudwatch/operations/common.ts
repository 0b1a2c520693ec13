/** What CloudWatch's operations share: paging tokens, the alarm's wire shape, dimensions. */
import type { MetricAlarm } from '../../../store/monitoring/alarms.js';
import type { MetricDimension } from '../../../store/monitoring/metrics.js';
import { cloudWatchErrors } from '../cloudwatch-errors.js';
import type { Dimension, MetricAlarm as WireAlarm } from '../model.gen.js';

/** An opaque NextToken around a position (an alarm name, a history id, a metric identity). */
export function nextToken(kind: string, position: string | number): string {
  return Buffer.from(JSON.stringify([kind, position])).toString('base64url');
}

export function positionOf<T extends string | number>(kind: string, token: string | undefined, type: 'string' | 'number'): T | undefined {
  if (token === undefined || token === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && parsed[0] === kind && typeof parsed[1] === type) return parsed[1] as T;
  } catch {
    // answered below
  }
  throw cloudWatchErrors.invalidNextToken();
}

export function seconds(ms: number): number {
  return ms / 1000;
}

/** The metric's dimensions, sorted by name (MetricKey's canonical order); duplicates refused. */
export function dimensionsOf(dimensions: readonly Dimension[] | undefined, where: string): MetricDimension[] {
  const out = (dimensions ?? []).map((d) => ({ name: d.Name, value: d.Value }));
  const names = new Set(out.map((d) => d.name));
  if (names.size !== out.length) throw cloudWatchErrors.invalidParameterValue(`The collection ${where} must not have a duplicate dimension name.`);
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function wireDimensions(dimensions: readonly MetricDimension[]): Dimension[] {
  return dimensions.map((d) => ({ Name: d.name, Value: d.value }));
}

export function wireAlarm(alarm: MetricAlarm): WireAlarm {
  return {
    AlarmName: alarm.alarmName,
    AlarmArn: alarm.alarmArn,
    ...(alarm.alarmDescription !== undefined && { AlarmDescription: alarm.alarmDescription }),
    AlarmConfigurationUpdatedTimestamp: seconds(alarm.configurationUpdatedMs),
    ActionsEnabled: alarm.actionsEnabled,
    OKActions: alarm.okActions,
    AlarmActions: alarm.alarmActions,
    InsufficientDataActions: alarm.insufficientDataActions,
    StateValue: alarm.state.value,
    StateReason: alarm.state.reason,
    ...(alarm.state.reasonData !== undefined && { StateReasonData: alarm.state.reasonData }),
    StateUpdatedTimestamp: seconds(alarm.state.timestampMs),
    MetricName: alarm.metricName,
    Namespace: alarm.namespace,
    Statistic: alarm.statistic as WireAlarm['Statistic'],
    Dimensions: wireDimensions(alarm.dimensions),
    Period: alarm.periodSeconds,
    ...(alarm.unit !== undefined && { Unit: alarm.unit as WireAlarm['Unit'] }),
    EvaluationPeriods: alarm.evaluationPeriods,
    ...(alarm.datapointsToAlarm !== undefined && { DatapointsToAlarm: alarm.datapointsToAlarm }),
    Threshold: alarm.threshold,
    ComparisonOperator: alarm.comparisonOperator as WireAlarm['ComparisonOperator'],
    ...(alarm.treatMissingData !== undefined && { TreatMissingData: alarm.treatMissingData }),
    StateTransitionedTimestamp: seconds(alarm.state.timestampMs),
  };
}

/** The alarm as CloudWatch's history data writes it (camelCase members). */
export function historyAlarm(alarm: MetricAlarm): Record<string, unknown> {
  const w = wireAlarm(alarm);
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(w)) {
    if (name.startsWith('State')) continue;
    out[name.charAt(0).toLowerCase() + name.slice(1)] = value;
  }
  return out;
}

/** Whether a period is one OpenTrail keeps: minutes are its resolution. */
export function checkPeriod(period: number, name: string): void {
  if (period < 60 || period % 60 !== 0) {
    throw cloudWatchErrors.invalidParameterValue(`The parameter ${name} must be a multiple of 60 (this OpenTrail server keeps one-minute data; high-resolution periods are not supported).`);
  }
}

export function checkTimeRange(startSeconds: number, endSeconds: number): void {
  if (!(startSeconds < endSeconds)) throw cloudWatchErrors.invalidParameterValue('The parameter StartTime must be less than the parameter EndTime.');
}
