/**
 * Proofs through the Merkle-ledger port on SQLite (a temporary database file): a tree of n
 * leaves delivered as files of 1,000 leaves via insertLedgerRows (one transaction per file, as
 * delivery completes a batch, each writing the perfect nodes its leaves complete), then
 * inclusion proofs for old leaves (the first 1 %) and new leaves (the last 1 %) timed
 * separately, consistency proofs and roots, each checked with verifyInclusion / verifyConsistency.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CompactTree, rootOf, verifyConsistency, verifyInclusion } from '../../src/integrity/merkle/index.js';
import type { DeliveredFile } from '../../src/store/merkle-ledger.js';
import { nodesOfBatch } from '../../src/store/merkle-nodes.js';
import { openSqliteDatabase } from '../../src/store/sqlite/database.js';
import { insertLedgerRows, SqliteMerkleLedger } from '../../src/store/sqlite/merkle-ledger.js';
import { StatementCache } from '../../src/store/sqlite/statement-cache.js';

const ACCOUNT = '111122223333';
const TRAIL = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/bench`;
const PARTITION = { trailArn: TRAIL, accountId: ACCOUNT, region: 'us-east-1' };
const FILE_LEAVES = 1000;

export interface StoreProofFigures {
  files: number;
  /** Time to compute the batches' nodes alone (nodesOfBatch), and to record the batches (insertLedgerRows in transactions). */
  nodesMs: number;
  insertMs: number;
  nodesPerFile: number;
  nodeRows: number;
  tileRows: number;
  nodeBytes: number | undefined;
  leafBytes: number;
  perSecond: { oldLeaves: number; newLeaves: number; consistency: number; root: number; verify: number };
  proofs: number;
}

async function timedRate(count: number, run: (i: number) => Promise<unknown>): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < count; i++) await run(i);
  return count / ((performance.now() - start) / 1000);
}

export async function storeProofFigures(dir: string, leaves: readonly Buffer[], proofs: number): Promise<StoreProofFigures> {
  mkdirSync(dir, { recursive: true });
  const db = openSqliteDatabase(join(dir, 'ledger.db'));
  // The ledger alone: no trail row for its foreign keys to point at.
  db.pragma('foreign_keys = OFF');
  const n = leaves.length;
  const tree = CompactTree.empty();
  const batches: { files: DeliveredFile[]; frontier: string; size: number; previous: string }[] = [];
  for (let first = 0; first < n; first += FILE_LEAVES) {
    const previous = tree.toJSON();
    const part = leaves.slice(first, Math.min(n, first + FILE_LEAVES));
    for (const leaf of part) tree.append(leaf);
    const file: DeliveredFile = {
      accountId: ACCOUNT, region: 'us-east-1', bucket: 'b', key: `k${first}`, sha256: '00'.repeat(32), newestEventTime: '2026-12-01T00:00:00Z', oldestEventTime: '2026-12-01T00:00:00Z',
      deliveredAt: 0, leafFirst: first, leafLast: first + part.length - 1, leafHashes: Buffer.concat(part),
    };
    batches.push({ files: [file], frontier: tree.toJSON(), size: tree.size, previous });
  }
  let nodeCount = 0;
  let start = performance.now();
  for (const b of batches) nodeCount += nodesOfBatch({ accountId: ACCOUNT, region: 'us-east-1', size: b.files[0]!.leafFirst, frontier: b.previous }, b.files).length;
  const nodesMs = performance.now() - start;
  const statements = new StatementCache(db);
  start = performance.now();
  for (const b of batches) {
    db.transaction(() => insertLedgerRows(statements, TRAIL, { files: b.files, trees: [{ accountId: ACCOUNT, region: 'us-east-1', size: b.size, frontier: b.frontier }] })).immediate();
  }
  const insertMs = performance.now() - start;

  const ledger = new SqliteMerkleLedger(db);
  const root = rootOf(leaves);
  if (!(await ledger.rootAt(PARTITION, n)).equals(root)) throw new Error('the root from stored nodes differs from rootOf');
  const onePercent = Math.max(1, Math.floor(n / 100));
  const oldIndex = (i: number) => (i * 7919) % onePercent;
  const newIndex = (i: number) => n - onePercent + ((i * 7919) % onePercent);
  // Proofs are checked outside the timed loops, a sample of each kind.
  for (let i = 0; i < 100; i++) {
    for (const index of [oldIndex(i), newIndex(i)]) {
      if (!verifyInclusion(leaves[index]!, index, n, await ledger.inclusionProof(PARTITION, index, n), root)) throw new Error(`the proof of leaf ${index} from the store does not verify`);
    }
  }
  const sample = await ledger.inclusionProof(PARTITION, oldIndex(1), n);
  const verify = await timedRate(proofs, async (i) => {
    if (!verifyInclusion(leaves[oldIndex(1)]!, oldIndex(1), n, sample, root)) throw new Error(`verification failed at ${i}`);
  });
  const oldLeaves = await timedRate(proofs, async (i) => ledger.inclusionProof(PARTITION, oldIndex(i), n));
  const newLeaves = await timedRate(proofs, async (i) => ledger.inclusionProof(PARTITION, newIndex(i), n));
  const oldSize = (i: number) => 1 + ((i * 7919) % (n - 1));
  const oldRoot = await ledger.rootAt(PARTITION, oldSize(3));
  if (!verifyConsistency(oldSize(3), n, oldRoot, root, await ledger.consistencyProof(PARTITION, oldSize(3), n))) throw new Error('the consistency proof from the store does not verify');
  const consistency = await timedRate(proofs, async (i) => ledger.consistencyProof(PARTITION, oldSize(i), n));
  const rootRate = await timedRate(proofs, async (i) => ledger.rootAt(PARTITION, n - (i % 1000)));

  const nodeRows = db.prepare('SELECT SUM(length(hashes)) / 32 FROM merkle_tiles').pluck().get() as number;
  const tileRows = db.prepare('SELECT COUNT(*) FROM merkle_tiles').pluck().get() as number;
  let nodeBytes: number | undefined;
  try {
    nodeBytes = db.prepare("SELECT SUM(pgsize) FROM dbstat WHERE name = 'merkle_tiles'").pluck().get() as number;
  } catch {
    nodeBytes = undefined; // SQLite built without dbstat
  }
  db.close();
  return {
    files: batches.length,
    nodesMs,
    insertMs,
    nodesPerFile: nodeCount / batches.length,
    nodeRows,
    tileRows,
    nodeBytes,
    leafBytes: n * 32,
    perSecond: { oldLeaves, newLeaves, consistency, root: rootRate, verify },
    proofs,
  };
}
