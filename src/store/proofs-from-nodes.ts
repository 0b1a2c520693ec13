/**
 * Inclusion and consistency proofs and roots from the ledger's stored perfect nodes
 * (./merkle-nodes.ts), for either store: each store answers the two reads below, and a proof
 * costs one read of at most ~2·log2(n) stored nodes, one or two reads of a block of leaves
 * below the stored levels, and a few dozen hashes, whatever the leaf's age or the tree's size.
 */
import { EMPTY_ROOT, assembleRanges, consistencyRanges, inclusionRanges, leafRangeOf, nodeKey, nodesOfRanges, rootOf } from '../integrity/merkle/index.js';
import type { LeafRange, PerfectNode } from '../integrity/merkle/index.js';
import { LOWEST_STORED_LEVEL } from './merkle-nodes.js';
import type { TrailPartition } from './trail-partition.js';

export interface NodeReads {
  /**
   * In one read of the ledger: the stored hashes of `nodes` (all of level >= LOWEST_STORED_LEVEL)
   * by nodeKey, missing ones absent, and the leaf hashes of each of `leafRanges` ([lo, hi), each
   * within one block of BLOCK leaves), in order; throws when the ledger lacks any of those leaves.
   */
  read(partition: TrailPartition, nodes: readonly PerfectNode[], leafRanges: readonly LeafRange[]): Promise<{ nodes: Map<string, Buffer>; leaves: Buffer[][] }>;
}

const BLOCK = 2 ** LOWEST_STORED_LEVEL;

/** The hashes of `ranges` (each a range of the MTH recursion) in a partition's tree. */
async function hashesOfRanges(reads: NodeReads, partition: TrailPartition, ranges: readonly LeafRange[]): Promise<Buffer[]> {
  const nodes = nodesOfRanges(ranges);
  const stored = nodes.filter((n) => n.level >= LOWEST_STORED_LEVEL);
  // Nodes below the stored levels lie within blocks of BLOCK leaves: each block is read once.
  const blocks = new Map<number, PerfectNode[]>();
  for (const node of nodes) {
    if (node.level >= LOWEST_STORED_LEVEL) continue;
    const block = Math.floor(leafRangeOf(node)[0] / BLOCK);
    const inBlock = blocks.get(block);
    if (inBlock === undefined) blocks.set(block, [node]);
    else inBlock.push(node);
  }
  const leafRanges = [...blocks.values()].map((low): LeafRange => [Math.min(...low.map((n) => leafRangeOf(n)[0])), Math.max(...low.map((n) => leafRangeOf(n)[1]))]);
  const read = await reads.read(partition, stored, leafRanges);
  const hashes = read.nodes;
  for (const node of stored) {
    if (!hashes.has(nodeKey(node))) {
      const [lo, hi] = leafRangeOf(node);
      throw new Error(`the Merkle ledger of ${partition.trailArn} (${partition.accountId}, ${partition.region}) lacks the node of leaves ${lo}-${hi - 1}`);
    }
  }
  [...blocks.values()].forEach((low, i) => {
    const leaves = read.leaves[i]!;
    const lo = leafRanges[i]![0];
    for (const node of low) {
      const [first, end] = leafRangeOf(node);
      hashes.set(nodeKey(node), rootOf(leaves.slice(first - lo, end - lo)));
    }
  });
  return assembleRanges(ranges, (node) => hashes.get(nodeKey(node))!);
}

/** RFC 6962 PATH(leafIndex, D[treeSize]), leaf to root. */
export async function inclusionProofFromNodes(reads: NodeReads, partition: TrailPartition, leafIndex: number, treeSize: number): Promise<Buffer[]> {
  return hashesOfRanges(reads, partition, inclusionRanges(leafIndex, treeSize));
}

/** RFC 6962 PROOF(oldSize, D[newSize]) (empty when oldSize is 0 or equals newSize). */
export async function consistencyProofFromNodes(reads: NodeReads, partition: TrailPartition, oldSize: number, newSize: number): Promise<Buffer[]> {
  return hashesOfRanges(reads, partition, consistencyRanges(oldSize, newSize));
}

/** MTH of the first treeSize leaves (EMPTY_ROOT for 0). */
export async function rootFromNodes(reads: NodeReads, partition: TrailPartition, treeSize: number): Promise<Buffer> {
  if (!Number.isSafeInteger(treeSize) || treeSize < 0) throw new RangeError(`tree size ${treeSize} is not a non-negative integer`);
  if (treeSize === 0) return Buffer.from(EMPTY_ROOT);
  const [root] = await hashesOfRanges(reads, partition, [[0, treeSize]]);
  return root!;
}
