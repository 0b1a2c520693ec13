import { describe, expect, it } from 'vitest';
import type { MinuteAggregate } from '../../store/monitoring/metrics.js';
import type { EvaluatedAlarm } from './evaluate.js';
import { breachIsMonotone, evaluateAlarm, javaDouble, reasonDate, windowOf } from './evaluate.js';

const T0 = Date.UTC(2026, 1, 12, 5, 50, 0);
const MIN = 60_000;

function alarm(overrides: Partial<EvaluatedAlarm> = {}): EvaluatedAlarm {
  return {
    statistic: 'Sum',
    periodSeconds: 60,
    evaluationPeriods: 1,
    threshold: 1,
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    state: { value: 'INSUFFICIENT_DATA', reason: 'Unchecked: Initial alarm creation', timestampMs: T0 },
    ...overrides,
  };
}

function minute(startMs: number, ...values: number[]): MinuteAggregate {
  return { minuteMs: startMs, sampleCount: values.length, sum: values.reduce((a, b) => a + b, 0), minimum: Math.min(...values), maximum: Math.max(...values) };
}

/** Minutes from a pattern of closed periods, oldest first: a number is one sample, '-' none. */
function closed(pattern: (number | '-')[], periodMs = MIN): MinuteAggregate[] {
  const out: MinuteAggregate[] = [];
  pattern.forEach((v, i) => {
    if (v !== '-') out.push(minute(T0 + (i - pattern.length) * periodMs, v));
  });
  return out;
}

describe('evaluateAlarm', () => {
  it('fires in the open period for Sum >= threshold, with CloudWatch reason text and data', () => {
    const result = evaluateAlarm(alarm(), [minute(T0, 1)], T0 + 5_000);
    expect(result.state).toBe('ALARM');
    expect(result.reason).toBe('Threshold Crossed: 1 datapoint [1.0 (12/02/26 05:50:00)] was greater than or equal to the threshold (1.0).');
    const data = JSON.parse(result.reasonData) as Record<string, unknown>;
    expect(data).toMatchObject({ version: '1.0', statistic: 'Sum', period: 60, threshold: 1, recentDatapoints: [1], startDate: '2026-02-12T05:50:00.000+0000' });
    expect(data.evaluatedDatapoints).toEqual([{ timestamp: '2026-02-12T05:50:00.000+0000', sampleCount: 1, value: 1 }]);
  });

  it('leaves an open period out when its partial value could still cross back (Average)', () => {
    const result = evaluateAlarm(alarm({ statistic: 'Average' }), [minute(T0, 5)], T0 + 5_000);
    expect(result.state).toBe('INSUFFICIENT_DATA');
    expect(evaluateAlarm(alarm({ statistic: 'Average' }), [minute(T0, 5)], T0 + MIN + 1).state).toBe('ALARM');
  });

  it('an empty open period is not missing data: the closed periods decide', () => {
    expect(evaluateAlarm(alarm(), [minute(T0 - MIN, 0)], T0 + 1_000).state).toBe('OK');
  });

  it('averages from minute aggregates (sum / sampleCount) over a multi-minute period', () => {
    const minutes = [minute(T0 - 5 * MIN, 1, 3), minute(T0 - 4 * MIN, 8)];
    const result = evaluateAlarm(alarm({ statistic: 'Average', periodSeconds: 300, threshold: 4 }), minutes, T0 + 1);
    expect(result.state).toBe('ALARM');
    expect(result.reason).toContain('[4.0 (12/02/26 05:45:00)]');
  });

  // M of N with TreatMissingData (3 of 3 unless said): a pattern of closed periods, oldest first.
  const table: { name: string; pattern: (number | '-')[]; n?: number; m?: number; treat?: string; current?: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA'; expected: string }[] = [
    { name: 'all breaching', pattern: [5, 5, 5], n: 3, expected: 'ALARM' },
    { name: 'one not breaching', pattern: [5, 0, 5], n: 3, expected: 'OK' },
    { name: '2 of 3 reached', pattern: [5, 0, 5], n: 3, m: 2, expected: 'ALARM' },
    { name: 'missing: all missing', pattern: ['-', '-', '-'], n: 3, expected: 'INSUFFICIENT_DATA' },
    { name: 'ignore: all missing keeps the state', pattern: ['-', '-', '-'], n: 3, treat: 'ignore', current: 'ALARM', expected: 'ALARM' },
    { name: 'breaching: all missing', pattern: ['-', '-', '-'], n: 3, treat: 'breaching', expected: 'ALARM' },
    { name: 'notBreaching: all missing', pattern: ['-', '-', '-'], n: 3, treat: 'notBreaching', expected: 'OK' },
    { name: 'missing: the present one breaches', pattern: ['-', '-', 5], n: 3, expected: 'ALARM' },
    { name: 'notBreaching: the present one breaches', pattern: ['-', '-', 5], n: 3, treat: 'notBreaching', expected: 'OK' },
    { name: 'missing: one of two present breaches', pattern: [0, '-', 5], n: 3, expected: 'OK' },
    { name: 'breaching: one present breaches, one missing', pattern: [5, '-', 5], n: 3, treat: 'breaching', expected: 'ALARM' },
    { name: 'ignore: present not breaching', pattern: ['-', 0, '-'], n: 3, treat: 'ignore', current: 'ALARM', expected: 'OK' },
  ];
  for (const row of table) {
    it(`${row.name} → ${row.expected}`, () => {
      const a = alarm({
        statistic: 'Maximum',
        threshold: 2,
        comparisonOperator: 'GreaterThanThreshold',
        evaluationPeriods: row.n ?? 3,
        ...(row.m !== undefined && { datapointsToAlarm: row.m }),
        ...(row.treat !== undefined && { treatMissingData: row.treat }),
        state: { value: row.current ?? 'OK', reason: 'before', timestampMs: T0 - 10 * MIN },
      });
      expect(evaluateAlarm(a, closed(row.pattern), T0 + 1_000).state).toBe(row.expected);
    });
  }

  const operators: [string, number, boolean][] = [
    ['GreaterThanOrEqualToThreshold', 2, true],
    ['GreaterThanOrEqualToThreshold', 1, false],
    ['GreaterThanThreshold', 2, false],
    ['GreaterThanThreshold', 3, true],
    ['LessThanThreshold', 1, true],
    ['LessThanThreshold', 2, false],
    ['LessThanOrEqualToThreshold', 2, true],
    ['LessThanOrEqualToThreshold', 3, false],
  ];
  for (const [operator, value, alarmed] of operators) {
    it(`${operator}: ${value} against 2 → ${alarmed ? 'ALARM' : 'OK'}`, () => {
      const result = evaluateAlarm(alarm({ comparisonOperator: operator, threshold: 2, statistic: 'Average' }), [minute(T0 - MIN, value)], T0 + 1);
      expect(result.state).toBe(alarmed ? 'ALARM' : 'OK');
      if (!alarmed) expect(result.reason).toContain('was not');
    });
  }

  it('names the statistics whose early breach is final', () => {
    expect(breachIsMonotone('Sum', 'GreaterThanThreshold')).toBe(true);
    expect(breachIsMonotone('Minimum', 'LessThanThreshold')).toBe(true);
    expect(breachIsMonotone('Average', 'GreaterThanThreshold')).toBe(false);
    expect(breachIsMonotone('Sum', 'LessThanThreshold')).toBe(false);
  });

  it('reads the window it needs', () => {
    expect(windowOf({ periodSeconds: 300, evaluationPeriods: 2 }, T0 + 1)).toEqual({ startMs: T0 - 600_000, endMs: T0 + 300_000 });
  });

  it('formats numbers and dates as CloudWatch does', () => {
    expect(javaDouble(1)).toBe('1.0');
    expect(javaDouble(0.25)).toBe('0.25');
    expect(javaDouble(12345678)).toBe('1.2345678E7');
    expect(reasonDate(T0)).toBe('12/02/26 05:50:00');
  });
});
