/**
 * Where trails forward to CloudWatch Logs, chosen once by configuration: the external API at
 * `cloudWatchLogsEndpoint` when one is set, else the log groups OpenTrail hosts. CreateTrail and
 * UpdateTrail check a trail's log group where its events will go.
 */
import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import type { OpenTrailConfig } from '../config/config.js';
import type { LogStore } from '../store/monitoring/log-groups.js';
import type { MetricKey } from '../store/monitoring/metrics.js';
import { ExternalLogDestination } from '../workers/cloudwatch-logs/external-destination.js';
import { HostedLogDestination } from '../workers/cloudwatch-logs/hosted-destination.js';
import type { LogDestination } from '../workers/cloudwatch-logs/log-destination.js';

export interface LogDestinationParts {
  logs: LogStore;
  clock: Clock;
  logger: Logger;
  /** Told of the metrics a hosted ingest added samples to (the alarms on them are evaluated at once). */
  onMetrics?: (metrics: MetricKey[]) => void;
}

export function logDestinationFor(config: Pick<OpenTrailConfig, 'cloudWatchLogsEndpoint'>, parts: LogDestinationParts): LogDestination & { destroy?(): void } {
  if (config.cloudWatchLogsEndpoint !== undefined) return new ExternalLogDestination({ endpoint: config.cloudWatchLogsEndpoint, logger: parts.logger });
  return new HostedLogDestination(parts.logs, parts.clock, parts.onMetrics);
}
