/**
 * The proof cache's keying: a hash is found again only through a frontier holding the subtree it
 * was kept under, never through another tree's, and never for the right edge outside every
 * frontier subtree; the byte bound empties it.
 */
import { describe, expect, it } from 'vitest';
import { CompactTree, leafHash } from '../integrity/merkle/index.js';
import { LEAF_BLOCK, ProofNodeCache } from './proof-node-cache.js';

function frontierOf(label: string, size: number): string {
  const tree = CompactTree.empty();
  for (let i = 0; i < size; i++) tree.append(leafHash(Buffer.from(`${label} ${i}`)));
  return tree.toJSON();
}

const hash = (byte: number) => Buffer.alloc(32, byte);

describe('ProofNodeCache', () => {
  it('finds a node again through any frontier that holds its subtree, as the tree grows', () => {
    const cache = new ProofNodeCache();
    // 48 leaves: subtrees [0, 32) and [32, 48).
    cache.view(frontierOf('a', 48)).keepNode({ level: 4, index: 1 }, hash(7));
    expect(cache.view(frontierOf('a', 48)).node({ level: 4, index: 1 })).toEqual(hash(7));
    // 40 leaves still have [0, 32) whole; 70 leaves hold it inside [0, 64), another subtree.
    expect(cache.view(frontierOf('a', 40)).node({ level: 4, index: 1 })).toEqual(hash(7));
    expect(cache.view(frontierOf('a', 70)).node({ level: 4, index: 1 })).toBeUndefined();
  });

  it('never answers from another tree of the same shape', () => {
    const cache = new ProofNodeCache();
    cache.view(frontierOf('first', 48)).keepNode({ level: 4, index: 0 }, hash(1));
    cache.view(frontierOf('first', 48)).keepBlock(0, Buffer.alloc(LEAF_BLOCK * 32, 1));
    const other = cache.view(frontierOf('second', 48));
    expect(other.node({ level: 4, index: 0 })).toBeUndefined();
    expect(other.block(0)).toBeUndefined();
  });

  it('keeps nothing of the right edge, outside every frontier subtree', () => {
    const cache = new ProofNodeCache();
    // 40 leaves: subtrees [0, 32) and [32, 40); the node over [32, 48) and block 2 are not complete.
    const view = cache.view(frontierOf('a', 40));
    view.keepNode({ level: 4, index: 2 }, hash(2));
    expect(view.holdsBlock(2)).toBe(false);
    view.keepBlock(2, Buffer.alloc(LEAF_BLOCK * 32, 2));
    expect(view.node({ level: 4, index: 2 })).toBeUndefined();
    expect(view.block(2)).toBeUndefined();
    expect(cache.bytes).toBe(0);
  });

  it('empties itself when a kept hash would pass its byte bound', () => {
    const cache = new ProofNodeCache(1000);
    const view = cache.view(frontierOf('a', 1024));
    for (let i = 0; i < 20; i++) view.keepNode({ level: 4, index: i }, hash(i));
    expect(cache.bytes).toBeLessThanOrEqual(1000);
    expect(view.node({ level: 4, index: 19 })).toEqual(hash(19));
    expect(view.node({ level: 4, index: 0 })).toBeUndefined();
  });

  it('has room for more than a proof needs only while under half full', () => {
    const cache = new ProofNodeCache(1280);
    const view = cache.view(frontierOf('a', 1024));
    expect(view.hasRoomFor(5)).toBe(true);
    expect(view.hasRoomFor(6)).toBe(false);
    for (let i = 0; i < 5; i++) view.keepNode({ level: 4, index: i }, hash(i));
    expect(view.hasRoomFor(1)).toBe(false);
  });
});
