/**
 * Merkle tree work on 1M leaves (root, one inclusion proof, one consistency proof, the compact
 * tree) beside its floor measured in the same run: n - 1 raw SHA-256 node hashes. Each should
 * cost about the floor; a superlinear recomputation would cost ~log2(n) = 20 times more.
 * Then the same tree through the Merkle-ledger port on SQLite (support/store-proofs.ts): the
 * append cost of recording it with its perfect nodes, beside CompactTree's, and proofs from
 * stored nodes per second, beside proof verification measured in the same run.
 */
import * as crypto from 'node:crypto';
import { CompactTree, consistencyProof, inclusionProof, rootOf } from '../src/integrity/merkle/index.js';
import { storeProofFigures } from './support/store-proofs.js';
import { table } from './support/stats.js';

function millis(work: () => void): number {
  const start = performance.now();
  work();
  return performance.now() - start;
}

/** n - 1 node hashes the cheapest way node:crypto allows. */
function rawHashes(source: Buffer, n: number): void {
  const scratch = Buffer.alloc(65);
  scratch[0] = 1;
  const out = Buffer.alloc(32);
  for (let i = 0; i < n - 1; i++) {
    const at = (i % 1024) * 64;
    source.copy(scratch, 1, at, at + 64);
    out.write(crypto.hash('sha256', scratch, 'binary'), 0, 32, 'latin1');
  }
}

export async function merkleBench(options: { leaves: number; dataDir: string }): Promise<string> {
  const n = options.leaves;
  const bytes = crypto.randomBytes(32 * n);
  const leaves = Array.from({ length: n }, (_, i) => bytes.subarray(32 * i, 32 * (i + 1)));
  const floor = Math.min(millis(() => rawHashes(bytes, n)), millis(() => rawHashes(bytes, n)));
  const rows: [string, number][] = [
    ['baseline: n-1 raw SHA-256 node hashes', floor],
    ['rootOf', millis(() => rootOf(leaves))],
    ['inclusionProof (one leaf)', millis(() => inclusionProof(leaves, Math.floor(n * 0.77), n))],
    ['consistencyProof', millis(() => consistencyProof(leaves, Math.floor(n * 0.65), n))],
    [
      'CompactTree append ×n',
      millis(() => {
        const tree = CompactTree.empty();
        for (const leaf of leaves) tree.append(leaf);
      }),
    ],
  ];
  const proofs = Math.min(20_000, 20 * n);
  const store = await storeProofFigures(options.dataDir, leaves, proofs);
  const files = `${store.files.toLocaleString('en')} files of ≤1,000 leaves`;
  rows.push(
    [`ledger nodes computed (nodesOfBatch, ${files}, ${store.nodesPerFile.toFixed(0)} nodes each)`, store.nodesMs],
    [`ledger append on SQLite (insertLedgerRows, ${files}, one transaction each)`, store.insertMs],
  );
  const perSecond = (rate: number) => `${Math.round(rate).toLocaleString('en')}/s`;
  const verify = store.perSecond.verify;
  const proofRows: [string, number][] = [
    ['baseline: verifyInclusion (in memory)', verify],
    ['inclusionProof from the store, old leaves (first 1 %)', store.perSecond.oldLeaves],
    ['inclusionProof from the store, new leaves (last 1 %)', store.perSecond.newLeaves],
    ['consistencyProof from the store (random old size)', store.perSecond.consistency],
    ['rootAt from the store', store.perSecond.root],
  ];
  const size = store.nodeBytes === undefined ? '' : `, ${(store.nodeBytes / 2 ** 20).toFixed(1)} MiB`;
  return (
    `Merkle tree, ${n.toLocaleString('en')} leaves\n` +
    table(['work', 'ms', '× baseline'], rows.map(([name, ms]) => [name, ms.toFixed(0), (ms / floor).toFixed(2)])) +
    `\n\nMerkle proofs through the ledger port on SQLite, ${n.toLocaleString('en')} leaves (${store.proofs.toLocaleString('en')} each; ${store.nodeRows.toLocaleString('en')} stored nodes in ${store.tileRows.toLocaleString('en')} tiles${size}, beside ${(store.leafBytes / 2 ** 20).toFixed(1)} MiB of leaf hashes)\n` +
    table(['work', 'per second', '× baseline'], proofRows.map(([name, rate]) => [name, perSecond(rate), (rate / verify).toFixed(2)]))
  );
}
