/**
 * Forwarding into a log group OpenTrail hosts: LogStore.ingest stores the events (an event
 * already in the stream by its eventID is skipped, so a redone batch adds nothing) and counts
 * them in the group's metric filters in the same transaction; the alarms on those metrics are
 * then evaluated at once rather than on their next tick.
 */
import type { Clock } from '../../core/clock.js';
import type { LogStore } from '../../store/monitoring/log-groups.js';
import type { MetricKey } from '../../store/monitoring/metrics.js';
import type { ForwardedEvent, LogDestination, LogGroupRef } from './log-destination.js';

/** How many events one ingest transaction takes: bounds the time the database is held. */
const EVENTS_PER_INGEST = 1000;

export class HostedLogDestination implements LogDestination {
  readonly kind = 'hosted';
  readonly #logs: LogStore;
  readonly #clock: Clock;
  readonly #onMetrics: (metrics: MetricKey[]) => void;

  constructor(logs: LogStore, clock: Clock, onMetrics: (metrics: MetricKey[]) => void = () => undefined) {
    this.#logs = logs;
    this.#clock = clock;
    this.#onMetrics = onMetrics;
  }

  async exists(group: LogGroupRef): Promise<boolean> {
    return (await this.#logs.group(group.accountId, group.region, group.logGroupName)) !== undefined;
  }

  async put(group: LogGroupRef, stream: string, events: readonly ForwardedEvent[]): Promise<void> {
    const target = { ...group, logStreamName: stream };
    const metrics: MetricKey[] = [];
    for (let i = 0; i < events.length; i += EVENTS_PER_INGEST) {
      const chunk = events.slice(i, i + EVENTS_PER_INGEST).map((e) => ({ timestamp: e.timestamp, message: e.message, dedupeKey: e.eventId }));
      const result = await this.#logs.ingest(target, chunk, this.#clock.now());
      metrics.push(...result.metrics);
    }
    if (metrics.length > 0) this.#onMetrics(metrics);
  }
}
