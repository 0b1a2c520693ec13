import { describe, expect, it } from 'vitest';
import { CompactTree, EMPTY_ROOT, leafHash, rootOf, toHex } from './index.js';

const leaves = Array.from({ length: 13 }, (_, i) => leafHash(Buffer.from(`e${i}`)));

function treeOf(size: number): CompactTree {
  const tree = CompactTree.empty();
  for (const leaf of leaves.slice(0, size)) tree.append(leaf);
  return tree;
}

describe('CompactTree', () => {
  it('starts empty', () => {
    const tree = CompactTree.empty();
    expect(tree.size).toBe(0);
    expect(tree.root().equals(EMPTY_ROOT)).toBe(true);
    expect(JSON.parse(tree.toJSON())).toEqual({ version: 1, size: 0, nodes: [] });
  });

  it('serialises the perfect subtree roots, largest first, one per set bit of the size', () => {
    const tree = treeOf(13); // 13 = 8 + 4 + 1
    expect(JSON.parse(tree.toJSON())).toEqual({
      version: 1,
      size: 13,
      nodes: [rootOf(leaves.slice(0, 8)), rootOf(leaves.slice(8, 12)), rootOf(leaves.slice(12, 13))].map(toHex),
    });
    const restored = CompactTree.fromJSON(tree.toJSON());
    expect(restored.size).toBe(13);
    expect(restored.root().equals(rootOf(leaves))).toBe(true);
  });

  it('returns roots the caller may mutate without harming the tree', () => {
    const tree = treeOf(5);
    const first = tree.root();
    first.fill(0);
    expect(tree.root().equals(rootOf(leaves.slice(0, 5)))).toBe(true);
  });

  it('refuses leaf hashes that are not 32 bytes', () => {
    const tree = CompactTree.empty();
    expect(() => tree.append(new Uint8Array(31))).toThrow(TypeError);
    expect(() => tree.append('x'.repeat(32) as unknown as Uint8Array)).toThrow(TypeError);
    expect(tree.size).toBe(0);
  });

  it('fromJSON refuses anything but the exact form', () => {
    const node = toHex(leaves[0] ?? EMPTY_ROOT);
    const bad: [string, string][] = [
      ['not JSON', '{'],
      ['not an object', '[]'],
      ['null', 'null'],
      ['no version', JSON.stringify({ size: 1, nodes: [node] })],
      ['unknown version', JSON.stringify({ version: 2, size: 1, nodes: [node] })],
      ['negative size', JSON.stringify({ version: 1, size: -1, nodes: [] })],
      ['fractional size', JSON.stringify({ version: 1, size: 1.5, nodes: [node] })],
      ['size as string', JSON.stringify({ version: 1, size: '1', nodes: [node] })],
      ['unsafe size', JSON.stringify({ version: 1, size: 2 ** 53, nodes: [node] })],
      ['too few nodes', JSON.stringify({ version: 1, size: 3, nodes: [node] })],
      ['too many nodes', JSON.stringify({ version: 1, size: 4, nodes: [node, node] })],
      ['nodes not an array', JSON.stringify({ version: 1, size: 1, nodes: node })],
      ['short node', JSON.stringify({ version: 1, size: 1, nodes: [node.slice(2)] })],
      ['non-hex node', JSON.stringify({ version: 1, size: 1, nodes: [`zz${node.slice(2)}`] })],
      ['numeric node', JSON.stringify({ version: 1, size: 1, nodes: [1] })],
    ];
    for (const [name, json] of bad) expect(() => CompactTree.fromJSON(json), name).toThrow(/CompactTree\.fromJSON/);
  });

  it('appends past a restored size as if it had never been saved', () => {
    const restored = CompactTree.fromJSON(treeOf(6).toJSON());
    for (const leaf of leaves.slice(6)) restored.append(leaf);
    expect(restored.size).toBe(13);
    expect(restored.root().equals(rootOf(leaves))).toBe(true);
  });
});
