/** A delivery pass that fails anywhere leaves its first cause in the trail's status. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { event } from '../../../test/conformance/event-store.suite.js';
import { ManualClock } from '../../../test/support/manual-clock.js';
import { FileObjectStore } from '../../objects/file-object-store.js';
import type { EventStore } from '../../store/event-store.js';
import type { SqliteDatabase } from '../../store/sqlite/database.js';
import { openSqliteDatabase } from '../../store/sqlite/database.js';
import { SqliteEventStore } from '../../store/sqlite/event-store.js';
import type { DeliveryCursorStore } from '../../store/delivery-cursor-store.js';
import type { MerkleLedger } from '../../store/merkle-ledger.js';
import { SqliteDeliveryCursorStore } from '../../store/sqlite/delivery-cursor-store.js';
import { SqliteIdentityStore } from '../../store/sqlite/identity-store.js';
import { SqliteMerkleLedger } from '../../store/sqlite/merkle-ledger.js';
import { SqliteTrailStore } from '../../store/sqlite/trail-store.js';
import type { Trail, TrailStore } from '../../store/trail-store.js';
import type { DeliveryDeps } from './deliver-trail.js';
import { DeliveryError, deliverTrail } from './deliver-trail.js';

const dir = mkdtempSync(join(tmpdir(), 'opentrail-deliver-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ARN = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/t';

let n = 0;
let db: SqliteDatabase;
let events: SqliteEventStore;
let trails: SqliteTrailStore;
let cursors: SqliteDeliveryCursorStore;
let ledger: SqliteMerkleLedger;
let trail: Trail;

beforeEach(async () => {
  n++;
  db = openSqliteDatabase(join(dir, `deliver-${n}.db`));
  events = new SqliteEventStore(db);
  trails = new SqliteTrailStore(db);
  cursors = new SqliteDeliveryCursorStore(db);
  ledger = new SqliteMerkleLedger(db);
  const created: Trail = {
    trailArn: ARN,
    accountId: '111122223333',
    homeRegion: 'us-east-1',
    name: 't',
    config: { S3BucketName: 'bucket', IncludeGlobalServiceEvents: true, IsMultiRegionTrail: false, LogFileValidationEnabled: false },
    tags: [],
    isLogging: false,
    status: {},
    createdAt: 0,
  };
  await events.append([event(1)], [{ kind: 'createTrail', trail: created }]);
  await events.append([event(2)], [{ kind: 'startLogging', trailArn: ARN, timeMs: 1 }]);
  await events.append([event(3)]);
  trail = (await trails.get(ARN))!;
});

afterEach(async () => {
  await events.close();
  db.close();
});

async function deps(overrides: { events?: EventStore; trails?: TrailStore; cursors?: DeliveryCursorStore; ledger?: MerkleLedger; noBucket?: boolean } = {}): Promise<DeliveryDeps> {
  const objects = new FileObjectStore({ root: join(dir, `objects-${n}`) });
  if (overrides.noBucket !== true) await objects.createBucket('bucket');
  return {
    events: overrides.events ?? events,
    trails: overrides.trails ?? trails,
    cursors: overrides.cursors ?? cursors,
    ledger: overrides.ledger ?? ledger,
    organizations: new SqliteIdentityStore(db),
    objects,
    clock: new ManualClock(Date.UTC(2026, 10, 1)),
    maxBatchEvents: 100,
    maxFileBytes: 1 << 20,
  };
}

/** A store whose one method fails the way a broken disk would. */
function failing<T extends object>(store: T, method: keyof T, message: string): T {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === method) return async () => Promise.reject(new Error(message));
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe('deliverTrail failures', () => {
  it.each(['readRange'] as const)('records a failing events.%s as LatestDeliveryError', async (method) => {
    await expect(deliverTrail(trail, await deps({ events: failing(events, method, 'disk on fire') }), () => undefined)).rejects.toBeInstanceOf(DeliveryError);
    expect((await trails.get(ARN))?.status.latestDeliveryError).toBe('disk on fire');
  });

  it.each(['planBatch', 'completeBatch', 'cursor'] as const)('records a failing cursors.%s as LatestDeliveryError', async (method) => {
    await expect(deliverTrail(trail, await deps({ cursors: failing(cursors, method, `${method} broke`) }), () => undefined)).rejects.toThrow(`${method} broke`);
    expect((await trails.get(ARN))?.status.latestDeliveryError).toBe(`${method} broke`);
  });

  it.each(['treeState'] as const)('records a failing ledger.%s as LatestDeliveryError', async (method) => {
    await expect(deliverTrail(trail, await deps({ ledger: failing(ledger, method, `${method} broke`) }), () => undefined)).rejects.toThrow(`${method} broke`);
    expect((await trails.get(ARN))?.status.latestDeliveryError).toBe(`${method} broke`);
  });

  it('keeps the first cause when recording the status fails too', async () => {
    const overrides = { cursors: failing(cursors, 'completeBatch', 'first cause'), trails: failing(trails, 'updateStatus', 'status broke') };
    const error = (await deliverTrail(trail, await deps(overrides), () => undefined).catch((e: unknown) => e)) as DeliveryError;
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error.message).toContain('first cause');
    expect((error.statusError as Error).message).toBe('status broke');
  });

  it('records the failure of a bucket that is gone', async () => {
    await expect(deliverTrail(trail, await deps({ noBucket: true }), () => undefined)).rejects.toBeInstanceOf(DeliveryError);
    expect((await trails.get(ARN))?.status.latestDeliveryError).toMatch(/bucket/);
  });
});
