/**
 * Perfect nodes grouped into tiles, so that a proof reads a handful of stored rows instead of
 * one per node. Levels from `base` up are cut into bands of TILE_HEIGHT levels; the tile
 * (band b, index t) holds the nodes of levels [base + 8b, base + 8b + 8) that lie over the leaves
 * [t·2^(base+8b+8), (t+1)·2^(base+8b+8)): 256 + 128 + ... + 2 = 510 nodes when full. A path
 * from a leaf to the root crosses one tile per band, so a proof needs at most two tiles per band
 * (its path's and the right edge's).
 *
 * A tile stores its nodes in the order they complete as leaves are appended (by the leaf that
 * completes them, then lower level first), so appending leaves only ever appends to a tile's
 * hashes, and the nodes of a tile at a tree size are a prefix of it (tileLength).
 */
import type { PerfectNode } from './perfect-nodes.js';

export const TILE_HEIGHT = 8;

export interface TileId {
  band: number;
  index: number;
}

function bandOf(level: number, base: number): number {
  return Math.floor((level - base) / TILE_HEIGHT);
}

/** The leaves a tile covers start at this leaf; it spans 2^(bottom + TILE_HEIGHT) leaves. */
function tileSpan(tile: TileId, base: number): { bottom: number; start: number; width: number } {
  const bottom = base + TILE_HEIGHT * tile.band;
  const width = 2 ** (bottom + TILE_HEIGHT);
  return { bottom, start: tile.index * width, width };
}

/** How many of a tile's nodes are complete once `covered` of its leaves are (0 <= covered <= its span). */
function completedIn(bottom: number, covered: number): number {
  let count = 0;
  for (let r = 0; r < TILE_HEIGHT; r++) count += Math.floor(covered / 2 ** (bottom + r));
  return count;
}

/** The tile holding a perfect node (level >= base), and the node's position in it. */
export function tileOf(node: PerfectNode, base: number): { tile: TileId; position: number } {
  if (node.level < base) throw new RangeError(`level ${node.level} is below the tiles' base level ${base}`);
  const band = bandOf(node.level, base);
  const bottom = base + TILE_HEIGHT * band;
  const width = 2 ** (bottom + TILE_HEIGHT);
  const end = (node.index + 1) * 2 ** node.level; // the leaf count that completes the node
  const index = Math.floor((end - 1) / width);
  const covered = end - index * width;
  // Nodes completed before `end`, then those completed at `end` on lower levels of the tile.
  let position = completedIn(bottom, covered - 1);
  for (let r = 0; r < node.level - bottom; r++) position += 1;
  return { tile: { band, index }, position };
}

/** How many nodes of a tile are complete in a tree of `size` leaves: the length of its stored prefix. */
export function tileLength(tile: TileId, base: number, size: number): number {
  const { bottom, start, width } = tileSpan(tile, base);
  return completedIn(bottom, Math.max(0, Math.min(width, size - start)));
}

/** The first `count` nodes a tile stores, in its stored order (the inverse of tileOf's position). */
export function nodesInTile(tile: TileId, base: number, count: number): PerfectNode[] {
  const { bottom, start } = tileSpan(tile, base);
  const nodes: PerfectNode[] = [];
  // After each 2^bottom leaves of the tile, the nodes they complete, lowest level first.
  for (let j = 1; nodes.length < count && j <= 2 ** TILE_HEIGHT; j++) {
    for (let r = 0; r < TILE_HEIGHT && j % 2 ** r === 0 && nodes.length < count; r++) {
      const width = 2 ** (bottom + r);
      nodes.push({ level: bottom + r, index: start / width + j / 2 ** r - 1 });
    }
  }
  return nodes;
}

export function tileKey(tile: TileId): string {
  return `${tile.band}/${tile.index}`;
}
