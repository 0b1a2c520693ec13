/**
 * What a metric filter adds to its metrics for one log event: for a matching event, each
 * transformation's metricValue (a number, or a selector read from the match) with its
 * dimensions; for an event that does not match, the defaultValue where one is set.
 */
import type { LogEventMatch, LogValue } from './filter-pattern/index.js';
import { parseNumber } from './filter-pattern/values.js';
import type { MetricFilter, MetricTransformation } from '../store/monitoring/log-groups.js';
import { singleValueSample, type MetricDimension, type MetricSample } from '../store/monitoring/metrics.js';

export function metricSamplesOf(filter: MetricFilter, match: LogEventMatch | undefined, timestampMs: number): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const transformation of filter.metricTransformations) {
    const sample = match === undefined ? defaultSample(filter, transformation, timestampMs) : matchedSample(filter, transformation, match, timestampMs);
    if (sample !== undefined) samples.push(sample);
  }
  return samples;
}

/** No dimensions: a default value has no event to read them from. */
function defaultSample(filter: MetricFilter, transformation: MetricTransformation, timestampMs: number): MetricSample | undefined {
  if (transformation.defaultValue === undefined) return undefined;
  return singleValueSample(keyOf(filter, transformation, []), timestampMs, transformation.defaultValue);
}

/** An event without a usable value (absent, or not a number) adds nothing, rather than a made-up 0. */
function matchedSample(filter: MetricFilter, transformation: MetricTransformation, match: LogEventMatch, timestampMs: number): MetricSample | undefined {
  const literal = numberOf(transformation.metricValue);
  const value = literal ?? (transformation.metricValue.startsWith('$') ? numberOf(match.valueOf(transformation.metricValue)) : undefined);
  if (value === undefined) return undefined;
  const dimensions: MetricDimension[] = [];
  for (const [name, selector] of Object.entries(transformation.dimensions ?? {})) {
    const read = match.valueOf(selector);
    if (read === undefined || read === null) return undefined;
    dimensions.push({ name, value: String(read) });
  }
  dimensions.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return singleValueSample(keyOf(filter, transformation, dimensions), timestampMs, value);
}

function keyOf(filter: MetricFilter, transformation: MetricTransformation, dimensions: MetricDimension[]) {
  return { accountId: filter.accountId, region: filter.region, namespace: transformation.metricNamespace, metricName: transformation.metricName, dimensions };
}

/** JSON numbers, and text that is wholly a number in the patterns' own syntax (space-delimited fields are text). */
function numberOf(value: LogValue | undefined): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const n = parseNumber(value.trim());
  return n !== undefined && Number.isFinite(n) ? n : undefined;
}
