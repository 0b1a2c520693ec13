/** The SQLite Merkle ledger's own guarantees (its conformance with the port is exercised through the workers' tests). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { event } from '../../../test/conformance/event-store.suite.js';
import type { DeliveredFile } from '../merkle-ledger.js';
import type { SqliteDatabase } from './database.js';
import { openSqliteDatabase } from './database.js';
import { SqliteDeliveryCursorStore } from './delivery-cursor-store.js';
import { SqliteEventStore } from './event-store.js';
import { SqliteMerkleLedger } from './merkle-ledger.js';

const dir = mkdtempSync(join(tmpdir(), 'opentrail-trails-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ARN = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/t';
const PARTITION = { trailArn: ARN, accountId: '111122223333', region: 'us-east-1' };

let n = 0;
let db: SqliteDatabase;
let events: SqliteEventStore;
let cursors: SqliteDeliveryCursorStore;
let ledger: SqliteMerkleLedger;

beforeEach(async () => {
  db = openSqliteDatabase(join(dir, `trails-${++n}.db`));
  events = new SqliteEventStore(db);
  cursors = new SqliteDeliveryCursorStore(db);
  ledger = new SqliteMerkleLedger(db);
  await events.append([event(1)], [
    {
      kind: 'createTrail',
      trail: {
        trailArn: ARN,
        accountId: '111122223333',
        homeRegion: 'us-east-1',
        name: 't',
        config: { S3BucketName: 'b', IncludeGlobalServiceEvents: true, IsMultiRegionTrail: false, LogFileValidationEnabled: true },
        tags: [],
        isLogging: true,
        status: {},
        createdAt: 0,
      },
    },
  ]);
});

afterEach(async () => {
  await events.close();
  db.close();
});

function file(first: number, count: number, hashBytes = count * 32): DeliveredFile {
  return {
    accountId: '111122223333',
    region: 'us-east-1',
    bucket: 'b',
    key: `k-${first}`,
    sha256: '00',
    newestEventTime: '2026-01-01T00:00:00Z',
    oldestEventTime: '2026-01-01T00:00:00Z',
    deliveredAt: 0,
    leafFirst: first,
    leafLast: first + count - 1,
    leafHashes: Buffer.alloc(hashBytes, first + 1),
  };
}

async function record(batchEnd: number, f: DeliveredFile): Promise<void> {
  await cursors.planBatch(ARN, batchEnd, 0);
  await cursors.completeBatch(ARN, batchEnd, { files: [f], trees: [] });
}

describe('leafHashes', () => {
  it('returns exactly the leaves asked for, across files', async () => {
    await record(1, file(0, 2));
    await record(2, file(2, 3));
    const leaves = await ledger.leafHashes(PARTITION, 4);
    expect(leaves.map((l) => l[0])).toEqual([1, 1, 3, 3]);
  });

  it('refuses a read shorter than the tree size instead of returning fewer leaves', async () => {
    await record(1, file(0, 2));
    await expect(ledger.leafHashes(PARTITION, 3)).rejects.toThrow(/holds 2 leaves, not the 3/);
  });

  it('refuses a ledger with a gap or with hashes missing from a file', async () => {
    await record(1, file(0, 2));
    await record(2, file(3, 1));
    await expect(ledger.leafHashes(PARTITION, 4)).rejects.toThrow(/inconsistent at leaf 2/);
    const short = openSqliteDatabase(join(dir, `trails-${n}.db`));
    short.prepare('UPDATE delivered_log_files SET leaf_hashes = ? WHERE leaf_first = 0').run(Buffer.alloc(32));
    short.close();
    await expect(ledger.leafHashes(PARTITION, 1)).rejects.toThrow(/inconsistent at leaf 0/);
  });
});
