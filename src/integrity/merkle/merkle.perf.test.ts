/**
 * 1M leaves: rootOf, inclusionProof, consistencyProof and CompactTree each hash about n nodes,
 * never re-hashing a subtree. On an idle 2-core machine each takes roughly 0.5 s; the bound is
 * relative to n - 1 raw SHA-256 node hashes timed in the same process (so a loaded CI box does
 * not fail it), and catches any superlinear recomputation, which costs ~log2(n) = 20 times more.
 */
import * as crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CompactTree, consistencyProof, inclusionProof, rootOf, verifyConsistency, verifyInclusion } from './index.js';

const N = 1_000_000;

function millis(f: () => void): number {
  const start = performance.now();
  f();
  return performance.now() - start;
}

/** n - 1 node hashes the cheapest way node:crypto allows: the floor for a root of n leaves. */
function rawHashes(source: Buffer): void {
  const scratch = Buffer.alloc(65);
  scratch[0] = 1;
  const out = Buffer.alloc(32);
  for (let i = 0; i < N - 1; i++) {
    const at = (i % 1024) * 64;
    source.copy(scratch, 1, at, at + 64);
    out.write(crypto.hash('sha256', scratch, 'binary'), 0, 32, 'latin1');
  }
}

describe('performance at 1M leaves', () => {
  it('rootOf, inclusionProof, consistencyProof and CompactTree are linear in the leaves', () => {
    const bytes = crypto.randomBytes(32 * N);
    const leaves = Array.from({ length: N }, (_, i) => bytes.subarray(32 * i, 32 * (i + 1)));

    const floor = Math.min(millis(() => rawHashes(bytes)), millis(() => rawHashes(bytes)));
    const bound = Math.max(3000, 3 * floor);

    let root: Buffer = Buffer.alloc(0);
    const timings = {
      rootOf: millis(() => {
        root = rootOf(leaves);
      }),
      inclusionProof: 0,
      consistencyProof: 0,
      compactTree: 0,
    };
    let path: Buffer[] = [];
    timings.inclusionProof = millis(() => {
      path = inclusionProof(leaves, 777_777, N);
    });
    let proof: Buffer[] = [];
    timings.consistencyProof = millis(() => {
      proof = consistencyProof(leaves, 654_321, N);
    });
    const tree = CompactTree.empty();
    timings.compactTree = millis(() => {
      for (const leaf of leaves) tree.append(leaf);
    });

    console.log(`merkle @1M leaves (ms): raw n-1 hashes ${floor.toFixed(0)}`, JSON.stringify(timings, (_, v: unknown) => (typeof v === 'number' ? Math.round(v) : v)));
    for (const [name, ms] of Object.entries(timings)) expect(ms, name).toBeLessThan(bound);

    expect(tree.root().equals(root)).toBe(true);
    expect(path).toHaveLength(20);
    const leaf = leaves[777_777] ?? Buffer.alloc(0);
    expect(verifyInclusion(leaf, 777_777, N, path, root)).toBe(true);
    expect(verifyConsistency(654_321, N, rootOf(leaves.slice(0, 654_321)), root, proof)).toBe(true);
  });
});
