/**
 * What a metric filter adds to its metrics for one log event (CONTRACT: the signature is fixed;
 * the implementation replaces the body): for a matching event, each transformation's
 * metricValue (a number, or a selector read from the match) with its dimensions; for an event
 * that does not match, the defaultValue where one is set.
 */
import type { LogEventMatch } from './filter-pattern/index.js';
import type { MetricFilter } from '../store/monitoring/log-groups.js';
import type { MetricSample } from '../store/monitoring/metrics.js';

export function metricSamplesOf(filter: MetricFilter, match: LogEventMatch | undefined, timestampMs: number): MetricSample[] {
  void match;
  void timestampMs;
  throw new Error(`metric values are not implemented yet: ${filter.filterName}`);
}
