/**
 * The perfect nodes that appending leaves completes, from the tree's frontier before them: what
 * a store writes beside the leaves so that proofs read O(log n) hashes (./perfect-nodes.ts).
 * Costs one node hash per new node and never reads earlier leaves: the frontier holds the left
 * siblings still waiting for their right halves.
 */
import { HASH_SIZE, nodeHash } from './hash.js';
import type { PerfectNode } from './perfect-nodes.js';
import { isSize, popCount } from './shape.js';

export interface CompletedNode extends PerfectNode {
  hash: Buffer;
}

/**
 * Appends `leafHashes` (32 bytes each, concatenated) to the tree of `size` leaves whose frontier
 * is `frontier` (CompactTree's nodes, largest first), and answers every perfect node of level
 * >= minLevel that completes, bottom-up in append order, with the new frontier.
 */
export function completedNodes(
  size: number,
  frontier: readonly Uint8Array[],
  leafHashes: Uint8Array,
  minLevel: number,
): { nodes: CompletedNode[]; size: number; frontier: Buffer[] } {
  if (!isSize(size) || frontier.length !== popCount(size)) throw new RangeError(`a tree of size ${String(size)} has ${popCount(size)} frontier nodes, not ${frontier.length}`);
  if (leafHashes.length % HASH_SIZE !== 0) throw new RangeError(`leaf hashes are ${HASH_SIZE} bytes each, not ${leafHashes.length} bytes in all`);
  // The frontier's levels are the set bits of size, largest first.
  const levels: number[] = [];
  for (let bit = 0, s = size; s > 0; bit++, s = Math.floor(s / 2)) if (s % 2 === 1) levels.unshift(bit);
  const hashes: Buffer[] = frontier.map((h) => Buffer.from(h));
  const nodes: CompletedNode[] = [];
  let n = size;
  for (let at = 0; at < leafHashes.length; at += HASH_SIZE) {
    const leaf = Buffer.from(leafHashes.subarray(at, at + HASH_SIZE));
    if (minLevel === 0) nodes.push({ level: 0, index: n, hash: leaf });
    hashes.push(leaf);
    levels.push(0);
    n++;
    // Equal-level neighbours merge into their parent, which covers the newest leaves.
    while (levels.length >= 2 && levels[levels.length - 1] === levels[levels.length - 2]) {
      const right = hashes.pop()!;
      const left = hashes.pop()!;
      levels.pop();
      const level = levels.pop()! + 1;
      const hash = nodeHash(left, right);
      hashes.push(hash);
      levels.push(level);
      if (level >= minLevel) nodes.push({ level, index: n / 2 ** level - 1, hash });
    }
  }
  return { nodes, size: n, frontier: hashes };
}
