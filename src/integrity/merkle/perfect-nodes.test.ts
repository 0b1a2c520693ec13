/**
 * Proofs assembled from perfect nodes (perfect-nodes.ts) written as leaves are appended
 * (completed-nodes.ts) equal tree.ts's proofs and roots over all leaves: every size 1..300 with
 * every index and every older size, then trees beyond 2^32 leaves.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CompactTree,
  assembleRanges,
  completedNodes,
  consistencyProof,
  consistencyRanges,
  foldCover,
  inclusionProof,
  inclusionRanges,
  leafHash,
  leafRangeOf,
  nodeKey,
  nodesOfRanges,
  perfectCover,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from './index.js';
import type { CompletedNode, PerfectNode } from './index.js';

const MAX = 300;
const LEAVES = Array.from({ length: MAX }, (_, i) => leafHash(Buffer.from(`event ${i}`)));

/** Every perfect node of the 300 leaves, appended in uneven chunks from a restored frontier each time. */
function storedNodes(minLevel: number): Map<string, CompletedNode> {
  const nodes = new Map<string, CompletedNode>();
  let size = 0;
  let frontier: Buffer[] = [];
  for (let chunk = 1; size < MAX; chunk = (chunk * 7) % 23 + 1) {
    const next = Math.min(MAX, size + chunk);
    const appended = completedNodes(size, frontier, Buffer.concat(LEAVES.slice(size, next)), minLevel);
    for (const node of appended.nodes) {
      expect(nodes.has(nodeKey(node)), `${nodeKey(node)} written twice`).toBe(false);
      nodes.set(nodeKey(node), node);
    }
    ({ size, frontier } = appended);
    const compact = CompactTree.empty();
    for (const leaf of LEAVES.slice(0, size)) compact.append(leaf);
    expect(frontier).toEqual(compact.frontier());
  }
  return nodes;
}

function sameHashes(a: readonly Buffer[], b: readonly Buffer[]): boolean {
  return a.length === b.length && a.every((h, i) => h.equals(b[i]!));
}

const NODES = storedNodes(0);
const hashOf = (node: PerfectNode): Buffer => {
  const stored = NODES.get(nodeKey(node));
  if (stored === undefined) throw new Error(`no node ${nodeKey(node)}`);
  return stored.hash;
};

describe('completedNodes', () => {
  it('writes each perfect node of 300 leaves once, equal to the root of its leaves', () => {
    let expected = 0;
    for (let width = 1; width <= MAX; width *= 2) expected += Math.floor(MAX / width);
    expect(NODES.size).toBe(expected);
    for (const node of NODES.values()) {
      const [lo, hi] = leafRangeOf(node);
      expect(node.hash.equals(rootOf(LEAVES.slice(lo, hi))), nodeKey(node)).toBe(true);
    }
  });

  it('skips the levels below minLevel and nothing else', () => {
    const high = storedNodes(3);
    expect([...high.values()].every((n) => n.level >= 3)).toBe(true);
    expect(high.size).toBe([...NODES.values()].filter((n) => n.level >= 3).length);
  });

  it('refuses a frontier that does not fit the size, or partial leaf hashes', () => {
    expect(() => completedNodes(3, [LEAVES[0]!], Buffer.alloc(32), 0)).toThrow(RangeError);
    expect(() => completedNodes(0, [], Buffer.alloc(33), 0)).toThrow(RangeError);
  });
});

describe('proofs from perfect nodes', () => {
  it('perfect covers fold to the root of every prefix', () => {
    for (let n = 1; n <= MAX; n++) expect(foldCover(perfectCover(0, n).map(hashOf)).equals(rootOf(LEAVES.slice(0, n))), `size ${n}`).toBe(true);
  });

  // One expect per size, not per proof: 45,000 vitest assertions would cost more than the proofs.
  it('inclusion proofs equal inclusionProof for every size 1..300 and every index', () => {
    for (let n = 1; n <= MAX; n++) {
      const wrong: number[] = [];
      for (let i = 0; i < n; i++) {
        const ranges = inclusionRanges(i, n);
        if (!sameHashes(assembleRanges(ranges, hashOf), inclusionProof(LEAVES, i, n))) wrong.push(i);
        // At most two nodes per level: the path's siblings, plus the right edge's cover.
        if (nodesOfRanges(ranges).length > 2 * Math.ceil(Math.log2(n + 1))) wrong.push(i);
      }
      expect(wrong, `size ${n}`).toEqual([]);
    }
  });

  it('consistency proofs equal consistencyProof for every pair of sizes up to 300', () => {
    for (let n = 0; n <= MAX; n++) {
      const wrong: number[] = [];
      for (let m = 0; m <= n; m++) if (!sameHashes(assembleRanges(consistencyRanges(m, n), hashOf), consistencyProof(LEAVES, m, n))) wrong.push(m);
      expect(wrong, `into size ${n}`).toEqual([]);
    }
  });

  it('refuses indices and sizes outside the tree', () => {
    expect(() => inclusionRanges(5, 5)).toThrow(RangeError);
    expect(() => inclusionRanges(-1, 5)).toThrow(RangeError);
    expect(() => consistencyRanges(6, 5)).toThrow(RangeError);
    expect(() => foldCover([])).toThrow(RangeError);
  });
});

describe('trees larger than 2^32 leaves', () => {
  // All leaves equal, so the root of a perfect node depends on its level alone.
  const LEAF = createHash('sha256').update(Buffer.from([0, 42])).digest();
  const h = (l: Buffer, r: Buffer) => createHash('sha256').update(Buffer.from([1])).update(l).update(r).digest();
  const PERFECT: Buffer[] = [LEAF];
  for (let k = 1; k <= 53; k++) PERFECT.push(h(PERFECT[k - 1]!, PERFECT[k - 1]!));
  const equalLeaves = (node: PerfectNode) => PERFECT[node.level]!;
  const rootOfSize = (n: number) => foldCover(perfectCover(0, n).map(equalLeaves));

  it.each([2 ** 32 + 1, 2 ** 40 + 12_345, 2 ** 52 + 3, Number.MAX_SAFE_INTEGER])('proofs in a tree of %i leaves verify', (n) => {
    for (const index of [0, 5, 2 ** 31 - 1, 2 ** 32 + 2, n - 1].filter((i) => i < n)) {
      expect(verifyInclusion(LEAF, index, n, assembleRanges(inclusionRanges(index, n), equalLeaves), rootOfSize(n)), `index ${index}`).toBe(true);
    }
    for (const m of [1, 3, 2 ** 31, 2 ** 32 + 7, n - 2 ** 30 - 1, n - 1].filter((size) => size < n)) {
      expect(verifyConsistency(m, n, rootOfSize(m), rootOfSize(n), assembleRanges(consistencyRanges(m, n), equalLeaves)), `${m} -> ${n}`).toBe(true);
    }
  });

  it('appending to a huge tree completes the nodes of the right indices', () => {
    const n = 2 ** 40 - 1; // 40 frontier nodes: one more leaf completes a node at every level up to 40
    const frontier: Buffer[] = [];
    for (let k = 39; k >= 0; k--) frontier.push(PERFECT[k]!);
    const { nodes, size } = completedNodes(n, frontier, LEAF, 0);
    expect(size).toBe(2 ** 40);
    expect(nodes.map((node) => [node.level, node.index])).toEqual(Array.from({ length: 41 }, (_, level) => [level, 2 ** (40 - level) - 1]));
    expect(nodes.every((node) => node.hash.equals(PERFECT[node.level]!))).toBe(true);
  });
});
