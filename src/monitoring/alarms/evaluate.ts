/**
 * CloudWatch metric alarm evaluation, pure: from an alarm and its metric's per-minute
 * aggregates, the state the alarm should be in now, with CloudWatch's reason text and data.
 *
 *   periods      aligned to the epoch (a 300 s period covers 10:05:00-10:10:00); each period's
 *                statistic comes from its minutes (Average = sum / sampleCount)
 *   M of N       the N = EvaluationPeriods most recent periods; ALARM when at least
 *                M = DatapointsToAlarm (default N) of them breach
 *   missing data TreatMissingData: breaching (a missing period breaches), notBreaching (it does
 *                not), missing and ignore (only present datapoints count: ALARM when at least
 *                min(M, present) of them breach, else OK; none present: INSUFFICIENT_DATA for
 *                missing, the current state kept for ignore)
 *
 * The open period. The period still in progress is evaluated too, so that an alarm fires
 * within seconds of the first matching sample instead of after its period ends; but only when
 * its partial value already breaches and can only move further into breach as samples arrive:
 * SampleCount, Sum and Maximum compared with > or >=, Minimum compared with < or <= (Sum on the
 * assumption of non-negative samples, which counts and metric filters' values are). For these a
 * breach seen early is the breach the closed period will show, so firing early is never wrong.
 * For every other pairing (Average, the opposite comparisons, a partial value not yet breaching)
 * a partial value may still cross back, so the open period is left out and the decision waits
 * for it to close: the window is then the N most recent closed periods. An open period without
 * samples is never taken as missing data, which it is not yet.
 */
import type { AlarmState, AlarmStateValue, MetricAlarm } from '../../store/monitoring/alarms.js';
import type { MinuteAggregate } from '../../store/monitoring/metrics.js';

export const COMPARISON_OPERATORS = ['GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold'] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];
/** CloudWatch's operators for anomaly-detection bands: they need a model OpenTrail does not have. */
export const BAND_OPERATORS = ['LessThanLowerOrGreaterThanUpperThreshold', 'LessThanLowerThreshold', 'GreaterThanUpperThreshold'] as const;
export const STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;
export type Statistic = (typeof STATISTICS)[number];
export const TREAT_MISSING_DATA = ['missing', 'notBreaching', 'breaching', 'ignore'] as const;
export type TreatMissingData = (typeof TREAT_MISSING_DATA)[number];

/** What evaluation needs of an alarm. */
export type EvaluatedAlarm = Pick<
  MetricAlarm,
  'statistic' | 'periodSeconds' | 'evaluationPeriods' | 'datapointsToAlarm' | 'threshold' | 'comparisonOperator' | 'treatMissingData' | 'state'
>;

/** One period's aggregate; `value` is the alarm's statistic of it. */
export interface PeriodDatapoint {
  startMs: number;
  sampleCount: number;
  sum: number;
  minimum: number;
  maximum: number;
  value: number;
}

export interface Evaluation {
  state: AlarmStateValue;
  reason: string;
  /** JSON text of StateReasonData. */
  reasonData: string;
}

/** Aggregates the minutes of each period they fall in, by period start. */
export function periodAggregates(minutes: readonly MinuteAggregate[], periodMs: number): Map<number, Omit<PeriodDatapoint, 'value'>> {
  const periods = new Map<number, Omit<PeriodDatapoint, 'value'>>();
  for (const m of minutes) {
    const start = Math.floor(m.minuteMs / periodMs) * periodMs;
    const p = periods.get(start);
    if (p === undefined) {
      periods.set(start, { startMs: start, sampleCount: m.sampleCount, sum: m.sum, minimum: m.minimum, maximum: m.maximum });
    } else {
      p.sampleCount += m.sampleCount;
      p.sum += m.sum;
      p.minimum = Math.min(p.minimum, m.minimum);
      p.maximum = Math.max(p.maximum, m.maximum);
    }
  }
  return periods;
}

export function statisticOf(statistic: string, p: Pick<PeriodDatapoint, 'sampleCount' | 'sum' | 'minimum' | 'maximum'>): number {
  switch (statistic) {
    case 'SampleCount':
      return p.sampleCount;
    case 'Sum':
      return p.sum;
    case 'Minimum':
      return p.minimum;
    case 'Maximum':
      return p.maximum;
    case 'Average':
      return p.sampleCount === 0 ? 0 : p.sum / p.sampleCount;
    default:
      throw new Error(`unsupported statistic ${statistic}`);
  }
}

export function breaches(operator: string, value: number, threshold: number): boolean {
  switch (operator) {
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
    default:
      throw new Error(`unsupported comparison operator ${operator}`);
  }
}

/** Whether a partial period's breach is final: the statistic can only move further into breach. */
export function breachIsMonotone(statistic: string, operator: string): boolean {
  const upward = operator === 'GreaterThanOrEqualToThreshold' || operator === 'GreaterThanThreshold';
  const downward = operator === 'LessThanThreshold' || operator === 'LessThanOrEqualToThreshold';
  return (upward && (statistic === 'Sum' || statistic === 'SampleCount' || statistic === 'Maximum')) || (downward && statistic === 'Minimum');
}

const OPERATOR_TEXT: Record<string, string> = {
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  GreaterThanThreshold: 'greater than',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

/** A double as Java prints it, as CloudWatch's reasons do: `1.0`, `0.25`, `1.0E7`. */
export function javaDouble(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e7 || abs < 1e-3)) {
    const [mantissa, exponent] = value.toExponential().split('e') as [string, string];
    return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
  }
  return Number.isInteger(value) ? `${value}.0` : String(value);
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** `dd/MM/yy HH:mm:ss` in UTC, as the reasons write a datapoint's time. */
export function reasonDate(ms: number): string {
  const d = new Date(ms);
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCFullYear() % 100)} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

/** `2026-02-12T05:50:00.000+0000`, as StateReasonData writes dates. */
export function reasonDataDate(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * The alarm's state at `nowMs` from its metric's minutes (any that cover the window; others
 * are ignored). `minutes` need only cover windowOf(alarm, nowMs).
 */
export function evaluateAlarm(alarm: EvaluatedAlarm, minutes: readonly MinuteAggregate[], nowMs: number): Evaluation {
  const periodMs = alarm.periodSeconds * 1000;
  const n = alarm.evaluationPeriods;
  const m = Math.min(alarm.datapointsToAlarm ?? n, n);
  const treat = (alarm.treatMissingData ?? 'missing') as TreatMissingData;
  const aggregates = periodAggregates(minutes, periodMs);
  const openStart = Math.floor(nowMs / periodMs) * periodMs;

  const open = aggregates.get(openStart);
  const openValue = open === undefined ? undefined : statisticOf(alarm.statistic, open);
  const openCounts =
    openValue !== undefined && breachIsMonotone(alarm.statistic, alarm.comparisonOperator) && breaches(alarm.comparisonOperator, openValue, alarm.threshold);
  const newestStart = openCounts ? openStart : openStart - periodMs;

  // The window, newest first: present datapoints or undefined for a missing period.
  const window: { startMs: number; point?: PeriodDatapoint }[] = [];
  for (let i = 0; i < n; i++) {
    const start = newestStart - i * periodMs;
    const p = aggregates.get(start);
    window.push(p === undefined ? { startMs: start } : { startMs: start, point: { ...p, value: statisticOf(alarm.statistic, p) } });
  }
  const present = window.flatMap((w) => (w.point === undefined ? [] : [w.point]));
  const missing = n - present.length;
  const breaching = present.filter((p) => breaches(alarm.comparisonOperator, p.value, alarm.threshold)).length;

  const data = (extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      version: '1.0',
      queryDate: reasonDataDate(nowMs),
      startDate: reasonDataDate(window[window.length - 1]!.startMs),
      statistic: alarm.statistic,
      period: alarm.periodSeconds,
      recentDatapoints: [...present].reverse().map((p) => p.value),
      threshold: alarm.threshold,
      ...extra,
      evaluatedDatapoints: present.map((p) => ({ timestamp: reasonDataDate(p.startMs), sampleCount: p.sampleCount, value: p.value })),
    });

  if (present.length === 0 && (treat === 'missing' || treat === 'ignore')) {
    if (treat === 'ignore') return { state: alarm.state.value, reason: alarm.state.reason, reasonData: alarm.state.reasonData ?? data() };
    return {
      state: 'INSUFFICIENT_DATA',
      reason: `Insufficient Data: ${plural(n, 'datapoint')} ${n === 1 ? 'was' : 'were'} unknown.`,
      reasonData: data(),
    };
  }

  let breachCount: number;
  let needed: number;
  let treatedNote = '';
  if (treat === 'breaching' || treat === 'notBreaching') {
    breachCount = breaching + (treat === 'breaching' ? missing : 0);
    needed = m;
    if (missing > 0) treatedNote = ` (${plural(missing, 'missing datapoint')} ${missing === 1 ? 'was' : 'were'} treated as [${treat === 'breaching' ? 'Breaching' : 'NonBreaching'}])`;
  } else {
    breachCount = breaching;
    needed = Math.min(m, present.length);
  }
  const state: AlarmStateValue = breachCount >= needed ? 'ALARM' : 'OK';
  const operator = OPERATOR_TEXT[alarm.comparisonOperator] ?? alarm.comparisonOperator;
  const listed = present.map((p) => `${javaDouble(p.value)} (${reasonDate(p.startMs)})`).join(', ');
  const threshold = javaDouble(alarm.threshold);
  let reason: string;
  if (state === 'ALARM') {
    reason =
      n === 1 && present.length === 1
        ? `Threshold Crossed: 1 datapoint [${listed}] was ${operator} the threshold (${threshold}).`
        : `Threshold Crossed: ${breachCount} out of the last ${n} datapoints [${listed}] ${breachCount === 1 ? 'was' : 'were'} ${operator} the threshold (${threshold})` +
          `${treatedNote} (minimum ${plural(m, 'datapoint')} for ${alarm.state.value === 'ALARM' ? 'OK' : alarm.state.value} -> ALARM transition).`;
  } else if (present.length === 0) {
    reason = `Threshold Crossed: no datapoints were received for ${plural(n, 'period')} and ${plural(missing, 'missing datapoint')} ${missing === 1 ? 'was' : 'were'} treated as [NonBreaching].`;
  } else {
    const notBreaching = present.length - breaching;
    reason =
      n === 1
        ? `Threshold Crossed: 1 datapoint [${listed}] was not ${operator} the threshold (${threshold}).`
        : `Threshold Crossed: ${notBreaching} out of the last ${n} datapoints [${listed}] ${notBreaching === 1 ? 'was' : 'were'} not ${operator} the threshold (${threshold})${treatedNote} (minimum ${plural(m, 'datapoint')} for ALARM).`;
  }
  return { state, reason, reasonData: data() };
}

/** The minutes evaluateAlarm reads at `nowMs`: [startMs, endMs). */
export function windowOf(alarm: Pick<MetricAlarm, 'periodSeconds' | 'evaluationPeriods'>, nowMs: number): { startMs: number; endMs: number } {
  const periodMs = alarm.periodSeconds * 1000;
  const openStart = Math.floor(nowMs / periodMs) * periodMs;
  return { startMs: openStart - alarm.evaluationPeriods * periodMs, endMs: openStart + periodMs };
}

/** The state a new alarm starts in, as CloudWatch's does. */
export function initialAlarmState(nowMs: number): AlarmState {
  return { value: 'INSUFFICIENT_DATA', reason: 'Unchecked: Initial alarm creation', timestampMs: nowMs };
}
