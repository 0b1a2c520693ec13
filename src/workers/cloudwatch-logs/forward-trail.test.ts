/**
 * Forwarding reads the event log after its cursor, respects stop and resume, and after any
 * failure redoes its planned batch so that every event reaches its stream once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { event } from '../../../test/conformance/event-store.suite.js';
import { ManualClock } from '../../../test/support/manual-clock.js';
import type { SqliteDatabase } from '../../store/sqlite/database.js';
import { openSqliteDatabase } from '../../store/sqlite/database.js';
import { SqliteEventStore } from '../../store/sqlite/event-store.js';
import { SqliteForwardingCursorStore } from '../../store/sqlite/forwarding-cursor-store.js';
import { SqliteIdentityStore } from '../../store/sqlite/identity-store.js';
import { SqliteTrailStore } from '../../store/sqlite/trail-store.js';
import type { Trail, TrailConfig } from '../../store/trail-store.js';
import type { ForwardingDeps } from './forward-trail.js';
import { ForwardingError, forwardTrail } from './forward-trail.js';
import { startForwardingWorker } from './forwarding-worker.js';
import type { ForwardedEvent, LogDestination, LogGroupRef } from './log-destination.js';

const dir = mkdtempSync(join(tmpdir(), 'opentrail-forward-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ACCOUNT = '111122223333';
const ARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/t`;
const GROUP = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:CloudTrail/logs:*`;
const STREAM = `${ACCOUNT}_CloudTrail_us-east-1`;

/** A log group in memory that keys events by eventID as the real destinations do, and can fail on cue. */
class RecordingDestination implements LogDestination {
  readonly kind = 'hosted';
  readonly streams = new Map<string, ForwardedEvent[]>();
  readonly puts: { stream: string; count: number; redo: boolean }[] = [];
  /** Fail the next put after storing this many of its events. */
  failAfter: number | undefined;

  async exists(): Promise<boolean> {
    return Promise.resolve(true);
  }

  async put(group: LogGroupRef, stream: string, events: readonly ForwardedEvent[], redo: boolean): Promise<void> {
    expect(group).toEqual({ accountId: ACCOUNT, region: 'us-east-1', logGroupName: 'CloudTrail/logs' });
    this.puts.push({ stream, count: events.length, redo });
    const held = this.streams.get(stream) ?? [];
    const ids = new Set(held.map((e) => e.eventId));
    let stored = 0;
    for (const e of events) {
      if (this.failAfter !== undefined && stored === this.failAfter) {
        this.failAfter = undefined;
        throw new Error('connection reset');
      }
      if (!ids.has(e.eventId)) held.push(e);
      stored++;
    }
    this.streams.set(stream, held);
    return Promise.resolve();
  }

  names(stream = STREAM): string[] {
    return (this.streams.get(stream) ?? []).map((e) => (JSON.parse(e.message) as { requestID: string }).requestID);
  }
}

let n = 0;
let db: SqliteDatabase;
let events: SqliteEventStore;
let trails: SqliteTrailStore;
let deps: ForwardingDeps;
let destination: RecordingDestination;

const config = (logGroup: string | undefined): TrailConfig => ({
  S3BucketName: 'bucket',
  IncludeGlobalServiceEvents: true,
  IsMultiRegionTrail: false,
  LogFileValidationEnabled: false,
  ...(logGroup !== undefined && { CloudWatchLogsLogGroupArn: logGroup, CloudWatchLogsRoleArn: `arn:aws:iam::${ACCOUNT}:role/CloudTrail_CloudWatchLogs_Role` }),
});

const trail = async (): Promise<Trail> => (await trails.get(ARN))!;

beforeEach(async () => {
  n++;
  db = openSqliteDatabase(join(dir, `forward-${n}.db`));
  events = new SqliteEventStore(db);
  trails = new SqliteTrailStore(db);
  destination = new RecordingDestination();
  deps = {
    events,
    trails,
    cursors: new SqliteForwardingCursorStore(db),
    organizations: new SqliteIdentityStore(db),
    destination,
    clock: new ManualClock(Date.UTC(2026, 11, 2)),
    maxBatchEvents: 3,
  };
  const created: Trail = { trailArn: ARN, accountId: ACCOUNT, homeRegion: 'us-east-1', name: 't', config: config(GROUP), tags: [], isLogging: false, status: {}, createdAt: 0 };
  await events.append([event(1)], [{ kind: 'createTrail', trail: created }]);
  await events.append([event(2)], [{ kind: 'startLogging', trailArn: ARN, timeMs: 1 }]);
  for (let i = 3; i <= 8; i++) await events.append([event(i)]);
});

afterEach(async () => {
  await events.close();
  db.close();
});

describe('forwardTrail', () => {
  it('sends the trail events from its StartLogging on, in log order, to <account>_CloudTrail_<region>, and records the time', async () => {
    expect(await forwardTrail(await trail(), deps)).toBe(7);
    expect(destination.names()).toEqual(['req-2', 'req-3', 'req-4', 'req-5', 'req-6', 'req-7', 'req-8']);
    // Batches of at most maxBatchEvents log entries, none redone.
    expect(destination.puts.map((p) => p.count)).toEqual([3, 3, 1]);
    expect(destination.puts.every((p) => !p.redo)).toBe(true);
    const message = JSON.parse(destination.streams.get(STREAM)![0]!.message) as { eventID: string };
    expect(destination.streams.get(STREAM)![0]!.eventId).toBe(message.eventID);
    expect((await trail()).status.latestCloudWatchLogsDeliveryTime).toBe(deps.clock.now());
    // Caught up: nothing more, nothing twice.
    expect(await forwardTrail(await trail(), deps)).toBe(0);
    expect(destination.names()).toHaveLength(7);
  });

  it('forwards the StopLogging record itself, nothing made while stopped, and resumes with StartLogging', async () => {
    await events.append([event(9)], [{ kind: 'stopLogging', trailArn: ARN, timeMs: 2 }]);
    await events.append([event(10)]);
    await forwardTrail(await trail(), deps);
    expect(destination.names().at(-1)).toBe('req-9');
    await events.append([event(11)], [{ kind: 'startLogging', trailArn: ARN, timeMs: 3 }]);
    await events.append([event(12)]);
    await forwardTrail(await trail(), deps);
    expect(destination.names().slice(-3)).toEqual(['req-9', 'req-11', 'req-12']);
  });

  it('records a failure in the status, then redoes the planned batch: each event arrives once', async () => {
    destination.failAfter = 2;
    await expect(forwardTrail(await trail(), deps)).rejects.toBeInstanceOf(ForwardingError);
    expect((await trail()).status.latestCloudWatchLogsDeliveryError).toBe('connection reset');
    expect(await forwardTrail(await trail(), deps)).toBe(7);
    expect(destination.puts[1]).toEqual({ stream: STREAM, count: 3, redo: true });
    expect(destination.names()).toEqual(['req-2', 'req-3', 'req-4', 'req-5', 'req-6', 'req-7', 'req-8']);
    const status = (await trail()).status;
    expect(status.latestCloudWatchLogsDeliveryError).toBeUndefined();
    expect(status.latestCloudWatchLogsDeliveryTime).toBeDefined();
  });

  it('forwards nothing for a trail without a log group, and a group set later starts from that change, not the past', async () => {
    await events.append([event(9)], [{ kind: 'setTrailConfig', trailArn: ARN, config: config(undefined) }]);
    expect(await forwardTrail(await trail(), deps)).toBe(0);
    await events.append([event(10)]);
    await events.append([event(11)], [{ kind: 'setTrailConfig', trailArn: ARN, config: config(GROUP.replace('logs:*', 'other:*')) }]);
    await events.append([event(12)]);
    const t = await trail();
    destination.put = async (_group, stream, forwarded, redo) => RecordingDestination.prototype.put.call(destination, { accountId: ACCOUNT, region: 'us-east-1', logGroupName: 'CloudTrail/logs' }, stream, forwarded, redo);
    await forwardTrail(t, deps);
    expect(destination.names()).toEqual(['req-11', 'req-12']);
  });
});

describe('the forwarding worker', () => {
  it('backs a failing trail off and catches up in order once its destination is back', async () => {
    const logger = pino({ level: 'silent' });
    destination.failAfter = 0;
    const worker = startForwardingWorker(deps, 60_000, logger);
    try {
      await worker.runOnce();
      expect(destination.names()).toEqual([]);
      // Within the backoff the trail is not tried again.
      await worker.runOnce();
      expect(destination.puts).toHaveLength(1);
      (deps.clock as ManualClock).advance(2_000);
      await worker.runOnce();
      expect(destination.names()).toEqual(['req-2', 'req-3', 'req-4', 'req-5', 'req-6', 'req-7', 'req-8']);
    } finally {
      await worker.stop();
    }
  });
});
