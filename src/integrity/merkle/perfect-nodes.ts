/**
 * RFC 6962 proofs from stored perfect subtree roots instead of all leaves.
 *
 * A perfect node (level L, index i) is the root of the aligned leaf range [i·2^L, (i+1)·2^L).
 * Every node an RFC 6962 proof (PATH or PROOF) or a root (MTH) names is a range [lo, hi) of the
 * MTH recursion, and each such range starts at a multiple of a power of two at least as large as
 * itself: it is either perfect or a right edge, which is the right-to-left fold of the perfect
 * nodes of the binary representation of its size (largest first), as MTH splits at the largest
 * power of two. So a proof for a tree of n leaves needs O(log n) perfect nodes; which ones is
 * computed here from the sizes alone, and the proof is assembled from their hashes.
 *
 * Sizes work up to Number.MAX_SAFE_INTEGER: powers of two are multiplied, never shifted.
 */
import { nodeHash } from './hash.js';
import { isSize, splitPoint } from './shape.js';

export interface PerfectNode {
  level: number;
  index: number;
}

/** A leaf range [lo, hi) of the MTH recursion. */
export type LeafRange = readonly [lo: number, hi: number];

/** The leaf range a perfect node covers. */
export function leafRangeOf(node: PerfectNode): LeafRange {
  const width = 2 ** node.level;
  return [node.index * width, (node.index + 1) * width];
}

/**
 * The perfect nodes whose fold is MTH(D[lo:hi]), largest (leftmost) first. `lo` must be a
 * multiple of a power of two >= hi - lo, as every range of the MTH recursion is.
 */
export function perfectCover(lo: number, hi: number): PerfectNode[] {
  const nodes: PerfectNode[] = [];
  let at = lo;
  while (at < hi) {
    let width = 1;
    while (at % (width * 2) === 0 && at + width * 2 <= hi) width *= 2;
    let level = 0;
    for (let w = width; w > 1; w /= 2) level++;
    nodes.push({ level, index: at / width });
    at += width;
  }
  return nodes;
}

/** The ranges of PATH(index, D[treeSize]), leaf to root (as tree.ts's inclusionProof). */
export function inclusionRanges(index: number, treeSize: number): LeafRange[] {
  if (!isSize(treeSize) || !isSize(index) || index >= treeSize) throw new RangeError(`leaf index ${String(index)} is not in a tree of size ${String(treeSize)}`);
  const topDown: LeafRange[] = [];
  let lo = 0;
  let hi = treeSize;
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (index < lo + k) {
      topDown.push([lo + k, hi]);
      hi = lo + k;
    } else {
      topDown.push([lo, lo + k]);
      lo += k;
    }
  }
  return topDown.reverse();
}

/** The ranges of PROOF(oldSize, D[newSize]), in proof order (as tree.ts's consistencyProof). */
export function consistencyRanges(oldSize: number, newSize: number): LeafRange[] {
  if (!isSize(newSize) || !isSize(oldSize) || oldSize > newSize) throw new RangeError(`sizes ${String(oldSize)} and ${String(newSize)} must satisfy 0 <= oldSize <= newSize`);
  if (oldSize === 0 || oldSize === newSize) return [];
  const topDown: LeafRange[] = [];
  let last: LeafRange | undefined;
  let lo = 0;
  let hi = newSize;
  let startsAtZero = true; // RFC 6962's flag b: the old part of this subtree is the whole old tree
  for (;;) {
    const m = oldSize - lo;
    if (m === hi - lo) {
      if (!startsAtZero) last = [lo, hi];
      break;
    }
    const k = splitPoint(hi - lo);
    if (m <= k) {
      topDown.push([lo + k, hi]);
      hi = lo + k;
    } else {
      topDown.push([lo, lo + k]);
      lo += k;
      startsAtZero = false;
    }
  }
  const ranges = topDown.reverse();
  if (last !== undefined) ranges.unshift(last);
  return ranges;
}

/** The root of node hashes folded right to left: MTH of the range they are the perfect cover of. */
export function foldCover(hashes: readonly Uint8Array[]): Buffer {
  if (hashes.length === 0) throw new RangeError('an empty cover has no root');
  let acc: Buffer = Buffer.from(hashes[hashes.length - 1]!);
  for (let i = hashes.length - 2; i >= 0; i--) acc = nodeHash(hashes[i]!, acc);
  return acc;
}

/** A key for a perfect node, for maps. */
export function nodeKey(node: PerfectNode): string {
  return `${node.level}/${node.index}`;
}

/**
 * The hashes of `ranges`, each folded from its perfect cover; `hashOf` answers each perfect
 * node the ranges need (see perfectCover).
 */
export function assembleRanges(ranges: readonly LeafRange[], hashOf: (node: PerfectNode) => Uint8Array): Buffer[] {
  return ranges.map(([lo, hi]) => foldCover(perfectCover(lo, hi).map(hashOf)));
}

/** The distinct perfect nodes that `ranges` need, in first-use order. */
export function nodesOfRanges(ranges: readonly LeafRange[]): PerfectNode[] {
  const seen = new Map<string, PerfectNode>();
  for (const [lo, hi] of ranges) for (const node of perfectCover(lo, hi)) seen.set(nodeKey(node), node);
  return [...seen.values()];
}
