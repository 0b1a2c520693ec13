/**
 * Tiles (tiles.ts): a node's position is its place in its tile's completion order, and a tile's
 * length at a tree size counts the nodes complete in it, checked against the nodes an append of
 * 2·4096 + 1000 leaves completes (completed-nodes.ts) from level 4 up, and at a huge size.
 */
import { describe, expect, it } from 'vitest';
import { TILE_HEIGHT, completedNodes, leafHash, nodesInTile, tileKey, tileLength, tileOf } from './index.js';

const BASE = 4;

describe('tiles', () => {
  it('place every completed node right after the nodes completed before it in its tile', () => {
    const n = 2 * 4096 + 1000;
    const leaves = Buffer.concat(Array.from({ length: n }, (_, i) => leafHash(Buffer.from(String(i)))));
    const counts = new Map<string, number>();
    let size = 0;
    let frontier: Buffer[] = [];
    // Appended in chunks, checking every tile's length at each chunk's end.
    for (let at = 0; at < n; at += 700) {
      const appended = completedNodes(size, frontier, leaves.subarray(at * 32, Math.min(n, at + 700) * 32), BASE);
      for (const node of appended.nodes) {
        const { tile, position } = tileOf(node, BASE);
        expect(tile.band).toBe(Math.floor((node.level - BASE) / TILE_HEIGHT));
        expect(position, `${node.level}/${node.index}`).toBe(counts.get(tileKey(tile)) ?? 0);
        counts.set(tileKey(tile), position + 1);
      }
      ({ size, frontier } = appended);
      for (const [key, count] of counts) {
        const [band, index] = key.split('/').map(Number) as [number, number];
        expect(tileLength({ band, index }, BASE, size), `tile ${key} at ${size}`).toBe(count);
      }
    }
    // Full tiles of band 0 hold 256 + 128 + ... + 2 nodes; tiles beyond the tree hold none.
    expect(tileLength({ band: 0, index: 0 }, BASE, n)).toBe(510);
    expect(tileLength({ band: 0, index: 3 }, BASE, n)).toBe(0);
  });

  it('list the nodes of a tile in the order of their positions', () => {
    for (const tile of [{ band: 0, index: 0 }, { band: 0, index: 5 }, { band: 1, index: 2 }]) {
      const nodes = nodesInTile(tile, BASE, 510);
      expect(nodes).toHaveLength(510);
      nodes.forEach((node, position) => expect(tileOf(node, BASE)).toEqual({ tile, position }));
      expect(nodesInTile(tile, BASE, 17)).toEqual(nodes.slice(0, 17));
    }
  });

  it('work beyond 2^32 leaves', () => {
    const level = 40;
    const index = 2 ** 12 + 2; // leaves [index·2^40, (index+1)·2^40); index + 1 is odd, so no higher node completes with it
    const { tile, position } = tileOf({ level, index }, BASE);
    expect(tile).toEqual({ band: 4, index: Math.floor(index / 2 ** (44 - level)) });
    expect(position).toBeLessThan(510);
    expect(tileLength(tile, BASE, (index + 1) * 2 ** level)).toBe(position + 1);
  });
});
