/**
 * The perfect subtree roots the Merkle ledger stores beside the leaves, so that a proof or root
 * reads O(log n) hashes instead of every leaf (integrity/merkle/perfect-nodes.ts). They are
 * stored in tiles of 8 levels (merkle_tiles, integrity/merkle/tiles.ts): a proof over a million
 * leaves reads two to four tile rows, where a row per node made it read ~20 (each a B-tree
 * descent: per-row reads, not hashing, were what a proof cost).
 *
 * Levels below LOWEST_STORED_LEVEL are not stored: a node there covers fewer than 16 leaves, and
 * is hashed again from the file's leaf hashes (delivered_log_files.leaf_hashes) when a proof
 * needs it, which costs at most 11 hashes for the leaf's own block (1 + 3 + 7 below the stored
 * level 4) and 15 for a right edge. From level 4 there are ~n/8 nodes per n leaves: measured
 * (bench/merkle.bench.ts, 1M leaves) 124,993 nodes in 246 tiles, 4.0 MiB beside the 30.5 MiB of
 * leaf hashes. A row per node (tried first) took 4 times the space for the same nodes (~130 bytes
 * a row with its key) and ~20 row reads per proof; storing lower levels would multiply both.
 */
import { CompactTree, completedNodes, nodeKey, tileKey, tileOf } from '../integrity/merkle/index.js';
import type { CompletedNode, PerfectNode, TileId } from '../integrity/merkle/index.js';
import type { DeliveredFile, TreeState } from './merkle-ledger.js';

export const LOWEST_STORED_LEVEL = 4;

/**
 * The nodes a batch's files complete in one partition's tree: `previous` is the tree before the
 * batch (as stored), `files` the batch's files of that partition. Computed from the files' own
 * leaf hashes, so the nodes always agree with the leaves stored beside them. From a file that
 * does not continue the tree leaf by leaf (a gapped ledger, which no delivery writes) no node is
 * computed: delivery is not stopped for it, and proofs that would need those nodes fail for
 * lack of them, as reads of a gapped ledger do (leaf-hashes.ts).
 */
export function nodesOfBatch(previous: TreeState | undefined, files: readonly DeliveredFile[]): CompletedNode[] {
  const tree = previous === undefined ? CompactTree.empty() : CompactTree.fromJSON(previous.frontier);
  let size = tree.size;
  let frontier = tree.frontier();
  const nodes: CompletedNode[] = [];
  for (const file of [...files].sort((a, b) => a.leafFirst - b.leafFirst)) {
    if (file.leafFirst !== size || file.leafHashes.length !== (file.leafLast - file.leafFirst + 1) * 32) break;
    const appended = completedNodes(size, frontier, file.leafHashes, LOWEST_STORED_LEVEL);
    nodes.push(...appended.nodes);
    ({ size, frontier } = appended);
  }
  return nodes;
}

/** A batch's files by partition (account, region), in order of first appearance. */
export function filesByPartition(files: readonly DeliveredFile[]): [accountId: string, region: string, files: DeliveredFile[]][] {
  const groups = new Map<string, [string, string, DeliveredFile[]]>();
  for (const file of files) {
    const id = `${file.accountId}/${file.region}`;
    const group = groups.get(id) ?? [file.accountId, file.region, []];
    group[2].push(file);
    groups.set(id, group);
  }
  return [...groups.values()];
}

/** What a batch appends to one tile: its nodes' hashes, the first of them at `position`. */
export interface TileWrite extends TileId {
  position: number;
  hashes: Buffer;
}

/** Completed nodes (in completion order, as nodesOfBatch answers them) as appends to their tiles. */
export function tileWrites(nodes: readonly CompletedNode[]): TileWrite[] {
  const writes = new Map<string, { tile: TileId; position: number; hashes: Buffer[] }>();
  for (const node of nodes) {
    const { tile, position } = tileOf(node, LOWEST_STORED_LEVEL);
    const write = writes.get(tileKey(tile));
    if (write === undefined) writes.set(tileKey(tile), { tile, position, hashes: [node.hash] });
    else write.hashes.push(node.hash);
  }
  return [...writes.values()].map(({ tile, position, hashes }) => ({ ...tile, position, hashes: Buffer.concat(hashes) }));
}

/** The tiles holding these nodes (all of level >= LOWEST_STORED_LEVEL). */
export function tilesOfNodes(nodes: readonly PerfectNode[]): TileId[] {
  const tiles = new Map<string, TileId>();
  for (const node of nodes) {
    const { tile } = tileOf(node, LOWEST_STORED_LEVEL);
    tiles.set(tileKey(tile), tile);
  }
  return [...tiles.values()];
}

/** The nodes' hashes from their tiles' stored hashes (by tileKey), by nodeKey; nodes a tile does not hold yet are absent. */
export function hashesFromTiles(nodes: readonly PerfectNode[], tiles: ReadonlyMap<string, Buffer>): Map<string, Buffer> {
  const hashes = new Map<string, Buffer>();
  for (const node of nodes) {
    const { tile, position } = tileOf(node, LOWEST_STORED_LEVEL);
    const stored = tiles.get(tileKey(tile));
    if (stored !== undefined && stored.length >= (position + 1) * 32) hashes.set(nodeKey(node), stored.subarray(position * 32, (position + 1) * 32));
  }
  return hashes;
}
