/**
 * Merkle tree work on 1M leaves (root, one inclusion proof, one consistency proof, the compact
 * tree) beside its floor measured in the same run: n - 1 raw SHA-256 node hashes. Each should
 * cost about the floor; a superlinear recomputation would cost ~log2(n) = 20 times more.
 */
import * as crypto from 'node:crypto';
import { CompactTree, consistencyProof, inclusionProof, rootOf } from '../src/integrity/merkle/index.js';
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

export function merkleBench(options: { leaves: number }): string {
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
  return `Merkle tree, ${n.toLocaleString('en')} leaves\n` + table(['work', 'ms', '× baseline'], rows.map(([name, ms]) => [name, ms.toFixed(0), (ms / floor).toFixed(2)]));
}
