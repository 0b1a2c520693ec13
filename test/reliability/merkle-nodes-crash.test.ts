/**
 * The Merkle ledger's stored nodes survive kill -9 mid-append: a child process appends batches
 * to a SQLite ledger in a loop (test/support/merkle-appender.ts, compiled in dist/) and is
 * killed at a random moment, several times; after each kill the database is reopened and, for
 * the stored tree size, the root and proofs computed from stored nodes equal those computed
 * from all leaf hashes, the leaves are the ones appended, and the tiles hold exactly the nodes
 * complete at that size (none beyond it).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { event } from '../conformance/event-store.suite.js';
import { consistencyProof, inclusionProof, rootOf, tileLength } from '../../src/integrity/merkle/index.js';
import type { TileId } from '../../src/integrity/merkle/index.js';
import { LOWEST_STORED_LEVEL } from '../../src/store/merkle-nodes.js';
import { openSqliteDatabase } from '../../src/store/sqlite/database.js';
import { SqliteEventStore } from '../../src/store/sqlite/event-store.js';
import { SqliteMerkleLedger } from '../../src/store/sqlite/merkle-ledger.js';
import { APPENDER_ACCOUNT, APPENDER_REGIONS, appendedLeaf } from '../support/merkle-appender.js';

const dir = mkdtempSync(join(tmpdir(), 'opentrail-merkle-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const FILE = join(dir, 'ledger.db');
const ARN = `arn:aws:cloudtrail:us-east-1:${APPENDER_ACCOUNT}:trail/crash`;
const APPENDER = join(import.meta.dirname, '..', '..', 'dist', 'test', 'support', 'merkle-appender.js');
const ROUNDS = 5;

async function createTrail(): Promise<void> {
  const db = openSqliteDatabase(FILE);
  const events = new SqliteEventStore(db);
  await events.append([event(1)], [
    {
      kind: 'createTrail',
      trail: {
        trailArn: ARN,
        accountId: APPENDER_ACCOUNT,
        homeRegion: 'us-east-1',
        name: 'crash',
        config: { S3BucketName: 'b', IncludeGlobalServiceEvents: true, IsMultiRegionTrail: false, LogFileValidationEnabled: true },
        tags: [],
        isLogging: true,
        status: {},
        createdAt: 0,
      },
    },
  ]);
  await events.close();
  db.close();
}

/** Runs the appender until it has completed `batches` more batches and a random while after, then kills it with SIGKILL. */
async function appendAndKill(batches: number): Promise<void> {
  const child = spawn(process.execPath, [APPENDER, FILE, ARN], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let lines = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      lines += chunk.toString().split('\n').length - 1;
      if (lines >= batches) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the appender exited (${String(code)}) before ${batches} batches: ${stderr}`)));
  });
  // Somewhere in the middle of a later batch (or between two): where varies from round to round.
  await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 300)));
  child.kill('SIGKILL');
  await exited;
}

async function checkLedger(): Promise<number[]> {
  const db = openSqliteDatabase(FILE);
  try {
    const ledger = new SqliteMerkleLedger(db);
    const sizes: number[] = [];
    for (const region of APPENDER_REGIONS) {
      const partition = { trailArn: ARN, accountId: APPENDER_ACCOUNT, region };
      const size = (await ledger.treeState(partition))?.size ?? 0;
      sizes.push(size);
      const leaves = await ledger.leafHashes(partition, size);
      expect(leaves.every((leaf, i) => leaf.equals(appendedLeaf(region, i))), `the leaves of ${region}`).toBe(true);
      // Each tile holds exactly the nodes complete at the stored size: none beyond it, none missing.
      const tiles = db.prepare('SELECT band, idx AS "index", length(hashes) AS bytes FROM merkle_tiles WHERE trail_arn = ? AND region = ?').all(ARN, region) as (TileId & { bytes: number })[];
      for (const tile of tiles) expect(tile.bytes, `tile ${tile.band}/${tile.index} of ${region} at size ${size}`).toBe(tileLength(tile, LOWEST_STORED_LEVEL, size) * 32);
      let expected = 0;
      for (let level = LOWEST_STORED_LEVEL; 2 ** level <= size; level++) expected += Math.floor(size / 2 ** level);
      expect(tiles.reduce((sum, t) => sum + t.bytes / 32, 0), `nodes of ${region}`).toBe(expected);
      if (size === 0) continue;
      expect((await ledger.rootAt(partition, size)).equals(rootOf(leaves)), `root of ${region} at ${size}`).toBe(true);
      for (const index of [0, 1, 17, Math.floor(size / 3), Math.floor(size / 2), size - 2, size - 1].filter((i) => i >= 0 && i < size)) {
        expect(await ledger.inclusionProof(partition, index, size), `${index} in ${size}`).toEqual(inclusionProof(leaves, index, size));
      }
      for (const old of [1, Math.floor(size / 2), size - 1].filter((m) => m > 0)) {
        expect(await ledger.consistencyProof(partition, old, size), `${old} -> ${size}`).toEqual(consistencyProof(leaves, old, size));
      }
    }
    return sizes;
  } finally {
    db.close();
  }
}

describe('Merkle nodes across kill -9', () => {
  it('never disagree with the stored leaves, whenever the appender dies', async () => {
    await createTrail();
    let previous = [0, 0];
    for (let round = 0; round < ROUNDS; round++) {
      await appendAndKill(5 + round * 7);
      const sizes = await checkLedger();
      // Each round resumed from what the last one stored, and stored more.
      expect(sizes.every((size, i) => size > previous[i]!), `${sizes.join(',')} after ${previous.join(',')}`).toBe(true);
      previous = sizes;
    }
  });
});
