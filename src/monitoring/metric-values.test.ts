import { describe, expect, it } from 'vitest';
import { matchLogEvent, parseFilterPattern } from './filter-pattern/index.js';
import { metricSamplesOf } from './metric-values.js';
import type { MetricFilter, MetricTransformation } from '../store/monitoring/log-groups.js';

function filterOf(pattern: string, ...metricTransformations: MetricTransformation[]): MetricFilter {
  return { accountId: '111122223333', region: 'eu-west-1', logGroupName: 'trail', filterName: 'f', filterPattern: pattern, metricTransformations, createdAt: 0 };
}

function samples(filter: MetricFilter, message: string) {
  return metricSamplesOf(filter, matchLogEvent(parseFilterPattern(filter.filterPattern), message), 60_000);
}

const counter: MetricTransformation = { metricName: 'Count', metricNamespace: 'App', metricValue: '1' };

describe('metricSamplesOf', () => {
  it('adds the literal value for a matching event, keyed by the filter account and region', () => {
    const [sample, ...rest] = samples(filterOf('{ $.level = "ERROR" }', counter), '{"level":"ERROR"}');
    expect(rest).toEqual([]);
    expect(sample).toEqual({
      key: { accountId: '111122223333', region: 'eu-west-1', namespace: 'App', metricName: 'Count', dimensions: [] },
      timestampMs: 60_000,
      sampleCount: 1,
      sum: 1,
      minimum: 1,
      maximum: 1,
    });
  });

  it.each([
    ['a JSON number', '{"latency":12.5}', [12.5]],
    ['a numeric string', '{"latency":"7"}', [7]],
    ['a non-numeric string: no sample', '{"latency":"slow"}', []],
    ['an absent value: no sample', '{"other":1}', []],
    ['an object: no sample', '{"latency":{"ms":3}}', []],
  ])('reads a JSON selector metricValue: %s', (_case, message, sums) => {
    const filter = filterOf('{ $.latency = * || $.other = * }', { ...counter, metricValue: '$.latency' });
    expect(samples(filter, message).map((s) => s.sum)).toEqual(sums);
  });

  it('reads a space-delimited field by $name', () => {
    const filter = filterOf('[ip, user, status, bytes]', { ...counter, metricValue: '$bytes', dimensions: { Status: '$status' } });
    const [sample] = samples(filter, '10.0.0.1 alice 404 2048');
    expect(sample?.sum).toBe(2048);
    expect(sample?.key.dimensions).toEqual([{ name: 'Status', value: '404' }]);
  });

  it('sorts dimensions by name and stringifies their values', () => {
    const filter = filterOf('{ $.eventName = * }', { ...counter, dimensions: { Zone: '$.z', Action: '$.eventName', Flag: '$.f' } });
    const [sample] = samples(filter, '{"eventName":"StopLogging","z":3,"f":true}');
    expect(sample?.key.dimensions).toEqual([
      { name: 'Action', value: 'StopLogging' },
      { name: 'Flag', value: 'true' },
      { name: 'Zone', value: '3' },
    ]);
  });

  it('drops the sample of a transformation whose dimension is absent', () => {
    const filter = filterOf('{ $.eventName = * }', { ...counter, dimensions: { Who: '$.user' } }, { ...counter, metricName: 'Other' });
    expect(samples(filter, '{"eventName":"X"}').map((s) => s.key.metricName)).toEqual(['Other']);
  });

  it('adds the defaultValue, without dimensions, for an event that does not match', () => {
    const filter = filterOf('{ $.level = "ERROR" }', { ...counter, defaultValue: 0, dimensions: { L: '$.level' } }, { ...counter, metricName: 'NoDefault' });
    const result = samples(filter, '{"level":"INFO"}');
    expect(result).toHaveLength(1);
    expect(result[0]?.key).toMatchObject({ metricName: 'Count', dimensions: [] });
    expect(result[0]?.sum).toBe(0);
  });

  it('adds nothing for an event that does not match when no defaultValue is set', () => {
    expect(samples(filterOf('{ $.level = "ERROR" }', counter), 'plain text')).toEqual([]);
  });

  it('gives each transformation its own sample', () => {
    const filter = filterOf('{ $.bytes > 0 }', counter, { metricName: 'Bytes', metricNamespace: 'App', metricValue: '$.bytes' });
    expect(samples(filter, '{"bytes":300}').map((s) => [s.key.metricName, s.sum])).toEqual([
      ['Count', 1],
      ['Bytes', 300],
    ]);
  });
});
