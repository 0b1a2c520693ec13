/**
 * One trail's CloudWatch Logs forwarding, batch after batch, until it has caught up with the
 * event log — the delivery worker's discipline, read from the event log itself rather than from
 * delivered files, so an event reaches its log group within a second or so of its commit:
 *
 *   read the log after the cursor → plan the batch (its end, durably) → put the trail's events
 *   of it, stream by stream → move the cursor.
 *
 * A crash or failure anywhere redoes the planned batch, and the destination leaves out what it
 * already holds: every event arrives once.
 */
import type { Clock } from '../../core/clock.js';
import { trailEntries } from '../../core/delivery-plan.js';
import { errorMessage } from '../../core/error-message.js';
import type { EventStore } from '../../store/event-store.js';
import type { ForwardingCursorStore } from '../../store/forwarding-cursor-store.js';
import type { Trail, TrailStore } from '../../store/trail-store.js';
import { accountsRead, organizationScope } from '../organization-scope.js';
import type { OrganizationDirectory } from '../organization-scope.js';
import type { ForwardedEvent, LogDestination } from './log-destination.js';
import { cloudTrailStreamName, logGroupOfArn } from './log-destination.js';

export interface ForwardingDeps {
  events: EventStore;
  trails: TrailStore;
  cursors: ForwardingCursorStore;
  organizations: OrganizationDirectory;
  destination: LogDestination;
  clock: Clock;
  /** Log entries read per batch at most. */
  maxBatchEvents: number;
}

export class ForwardingError extends Error {
  statusError?: unknown;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ForwardingError';
  }
}

/** Forwards what is pending; resolves with the number of events sent. Failures are recorded in the trail's status. */
export async function forwardTrail(trail: Trail, deps: ForwardingDeps): Promise<number> {
  let forwarded = 0;
  for (;;) {
    let sent: number | 'caught-up';
    try {
      sent = await forwardNextBatch(trail, deps);
    } catch (error) {
      const failure = new ForwardingError(`forwarding trail ${trail.name} to CloudWatch Logs (${trail.config.CloudWatchLogsLogGroupArn}) failed: ${errorMessage(error)}`, { cause: error });
      await deps.trails.updateStatus(trail.trailArn, { latestCloudWatchLogsDeliveryError: errorMessage(error) }).catch((statusError: unknown) => {
        failure.statusError = statusError;
      });
      throw failure;
    }
    if (sent === 'caught-up') return forwarded;
    forwarded += sent;
  }
}

async function forwardNextBatch(trail: Trail, deps: ForwardingDeps): Promise<number | 'caught-up'> {
  const arn = trail.config.CloudWatchLogsLogGroupArn;
  const group = arn === undefined ? undefined : logGroupOfArn(arn);
  if (group === undefined) return 'caught-up';
  for (;;) {
    const cursor = await deps.cursors.cursor(trail.trailArn);
    if (cursor === undefined) return 'caught-up'; // deleted meanwhile
    const organization = await organizationScope(trail, deps.organizations);
    const accounts = accountsRead(trail, organization);
    let end: number;
    const redo = cursor.batchLastSeq !== undefined;
    if (cursor.batchLastSeq !== undefined) {
      end = cursor.batchLastSeq;
    } else {
      if (cursor.untilSeq !== undefined && cursor.lastSeq >= cursor.untilSeq) {
        if (cursor.resumeSeq === undefined) return 'caught-up';
        await deps.cursors.skipGap(trail.trailArn);
        continue;
      }
      const ahead = await deps.events.readRange(accounts, cursor.lastSeq, cursor.untilSeq, deps.maxBatchEvents);
      if (ahead.length === 0) return 'caught-up';
      end = ahead.at(-1)!.seq;
      await deps.cursors.planBatch(trail.trailArn, end);
    }
    const entries = await deps.events.readRange(accounts, cursor.lastSeq, end, Number.MAX_SAFE_INTEGER);
    const streams = new Map<string, ForwardedEvent[]>();
    for (const { entry, record } of trailEntries(trail, entries, organization)) {
      const stream = cloudTrailStreamName(entry.accountId, entry.region, organization?.organizationId);
      const events = streams.get(stream) ?? [];
      events.push({ timestamp: entry.timeMs, message: entry.json, eventId: record.eventID });
      streams.set(stream, events);
    }
    for (const [stream, events] of streams) await deps.destination.put(group, stream, events, redo);
    await deps.cursors.completeBatch(trail.trailArn, end);
    const sent = [...streams.values()].reduce((n, events) => n + events.length, 0);
    if (sent > 0 || trail.status.latestCloudWatchLogsDeliveryError !== undefined) {
      await deps.trails.updateStatus(trail.trailArn, { latestCloudWatchLogsDeliveryTime: deps.clock.now(), latestCloudWatchLogsDeliveryError: null });
    }
    return sent;
  }
}
