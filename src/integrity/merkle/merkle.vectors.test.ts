/**
 * Known-answer tests: the RFC 6962 / Certificate Transparency reference tree of 8 leaves.
 *
 * Data (leaf inputs, roots of sizes 1..8, inclusion paths, consistency proofs) as published in
 * transparency-dev/merkle, proof/verify_test.go (the vectors Trillian and certificate-transparency
 * have carried since the original CT C++ log); that file numbers leaves from 1, here they are
 * 0-based indices. The proof shapes (which leaf ranges a proof's nodes cover) are from
 * transparency-dev/merkle proof/proof_test.go, rewritten as ranges.
 */
import { describe, expect, it } from 'vitest';
import {
  verifyConsistencyIndependently,
  verifyInclusionIndependently,
} from '../../../test/support/independent-merkle-verifier.js';
import {
  CompactTree,
  EMPTY_ROOT,
  consistencyProof,
  fromHex,
  hashFromHex,
  inclusionProof,
  leafHash,
  nodeHash,
  rootOf,
  toHex,
  verifyConsistency,
  verifyInclusion,
} from './index.js';

const LEAF_DATA = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map(fromHex);
const LEAVES = LEAF_DATA.map(leafHash);

const EMPTY_ROOT_HEX = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** ROOTS[n] = MTH of the first n leaves. */
const ROOTS = [
  EMPTY_ROOT_HEX,
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

const root = (size: number): Buffer => hashFromHex(ROOTS[size] ?? '');
const leaf = (index: number): Buffer => {
  const hash = LEAVES[index];
  if (hash === undefined) throw new Error(`no leaf ${index}`);
  return hash;
};

const INCLUSION: { index: number; size: number; path: string[] }[] = [
  { index: 0, size: 1, path: [] },
  {
    index: 0,
    size: 8,
    path: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    path: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  { index: 2, size: 3, path: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    index: 1,
    size: 5,
    path: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];

const CONSISTENCY: { oldSize: number; newSize: number; proof: string[] }[] = [
  { oldSize: 1, newSize: 1, proof: [] },
  {
    oldSize: 1,
    newSize: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    oldSize: 6,
    newSize: 8,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    oldSize: 2,
    newSize: 5,
    proof: [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
  {
    oldSize: 6,
    newSize: 7,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];

const SOME_HASH = hashFromHex('abacaba000000000000000000000000000000000000000000060061e00123456');

function flipBit(proof: readonly Buffer[], element: number, mask: number): Buffer[] {
  return proof.map((hash, i) => {
    if (i !== element) return hash;
    const copy = Buffer.from(hash);
    copy[0] = (copy[0] ?? 0) ^ mask;
    return copy;
  });
}

describe('RFC 6962 hashing', () => {
  it('EMPTY_ROOT is SHA-256 of the empty string', () => {
    expect(toHex(EMPTY_ROOT)).toBe(EMPTY_ROOT_HEX);
    expect(toHex(rootOf([]))).toBe(EMPTY_ROOT_HEX);
  });

  it('the leaf hash prefixes 0x00 and the node hash 0x01', () => {
    expect(toHex(leafHash(new Uint8Array(0)))).toBe(ROOTS[1]);
    expect(toHex(nodeHash(leaf(0), leaf(1)))).toBe(ROOTS[2]);
    expect(() => nodeHash(leaf(0), new Uint8Array(31))).toThrow(TypeError);
  });

  it('hex helpers round-trip and refuse what is not whole hex bytes', () => {
    expect(toHex(fromHex('00ff10'))).toBe('00ff10');
    expect(toHex(hashFromHex(EMPTY_ROOT_HEX.toUpperCase()))).toBe(EMPTY_ROOT_HEX);
    for (const bad of ['0', 'zz', '0g', ' 00']) expect(() => fromHex(bad)).toThrow(TypeError);
    expect(() => hashFromHex('00')).toThrow(TypeError);
  });
});

describe('reference tree heads', () => {
  it('rootOf matches every size 0..8', () => {
    for (let size = 0; size <= 8; size++) expect(toHex(rootOf(LEAVES.slice(0, size))), `size ${size}`).toBe(ROOTS[size]);
  });

  it('CompactTree matches every size 0..8', () => {
    const tree = CompactTree.empty();
    expect(toHex(tree.root())).toBe(ROOTS[0]);
    for (let size = 1; size <= 8; size++) {
      tree.append(leaf(size - 1));
      expect(tree.size).toBe(size);
      expect(toHex(tree.root()), `size ${size}`).toBe(ROOTS[size]);
    }
  });
});

describe('reference inclusion proofs', () => {
  it.each(INCLUSION)('leaf $index in size $size: generated and verified', ({ index, size, path }) => {
    const proof = inclusionProof(LEAVES, index, size);
    expect(proof.map(toHex)).toEqual(path);
    expect(verifyInclusion(leaf(index), index, size, proof, root(size))).toBe(true);
    expect(verifyInclusionIndependently(leaf(index), index, size, proof, root(size))).toBe(true);
  });

  it.each(INCLUSION.filter((v) => v.path.length > 0))(
    'leaf $index in size $size: corrupted probes are rejected',
    ({ index, size, path }) => {
      const proof = path.map(hashFromHex);
      const good = root(size);
      const probes: [string, Uint8Array, number, number, Uint8Array[], Uint8Array][] = [
        ['index - 1', leaf(index), index - 1, size, proof, good],
        ['index + 1', leaf(index), index + 1, size, proof, good],
        ['index ^ 2', leaf(index), index ^ 2, size, proof, good],
        ['size * 2', leaf(index), index, size * 2, proof, good],
        ['size / 2', leaf(index), index, Math.floor(size / 2), proof, good],
        ['wrong leaf', SOME_HASH, index, size, proof, good],
        ['leaf of 9 bytes', Buffer.from('WrongLeaf'), index, size, proof, good],
        ['empty root', leaf(index), index, size, proof, EMPTY_ROOT],
        ['random root', leaf(index), index, size, proof, SOME_HASH],
        ['trailing empty element', leaf(index), index, size, [...proof, new Uint8Array(0)], good],
        ['trailing root', leaf(index), index, size, [...proof, good], good],
        ['preceding empty element', leaf(index), index, size, [new Uint8Array(0), ...proof], good],
        ['preceding root', leaf(index), index, size, [good, ...proof], good],
        ['removed last element', leaf(index), index, size, proof.slice(0, -1), good],
        ['inserted element', leaf(index), index, size, [proof[0] ?? SOME_HASH, SOME_HASH, ...proof.slice(1)], good],
      ];
      for (let i = 0; i < proof.length; i++) {
        probes.push([`proof[${i}] bit 3 flipped`, leaf(index), index, size, flipBit(proof, i, 8), good]);
      }
      for (const [name, leafHash, i, n, p, r] of probes) {
        expect(verifyInclusion(leafHash, i, n, p, r), name).toBe(false);
        expect(verifyInclusionIndependently(leafHash, i, n, p, r), name).toBe(false);
      }
    },
  );

  it('single-entry tree: the leaf is the root and the path is empty', () => {
    const hash = leafHash(Buffer.from('data'));
    expect(verifyInclusion(hash, 0, 1, [], hash)).toBe(true);
    expect(verifyInclusion(hash, 0, 1, [], new Uint8Array(0))).toBe(false);
    expect(verifyInclusion(new Uint8Array(0), 0, 1, [], hash)).toBe(false);
    expect(verifyInclusion(new Uint8Array(0), 0, 1, [], new Uint8Array(0))).toBe(false);
  });

  it('index >= size (including size 0) never verifies', () => {
    for (const [index, size] of [
      [0, 0],
      [1, 0],
      [2, 1],
      [8, 8],
    ] as const) {
      for (const r of [EMPTY_ROOT, SOME_HASH, new Uint8Array(0)]) {
        expect(verifyInclusion(SOME_HASH, index, size, [], r)).toBe(false);
        expect(verifyInclusionIndependently(SOME_HASH, index, size, [], r)).toBe(false);
      }
    }
  });
});

describe('reference consistency proofs', () => {
  it.each(CONSISTENCY)('$oldSize -> $newSize: generated and verified', ({ oldSize, newSize, proof }) => {
    const generated = consistencyProof(LEAVES, oldSize, newSize);
    expect(generated.map(toHex)).toEqual(proof);
    expect(verifyConsistency(oldSize, newSize, root(oldSize), root(newSize), generated)).toBe(true);
    expect(verifyConsistencyIndependently(oldSize, newSize, root(oldSize), root(newSize), generated)).toBe(true);
  });

  it.each(CONSISTENCY.filter((v) => v.proof.length > 0))(
    '$oldSize -> $newSize: corrupted probes are rejected',
    ({ oldSize, newSize, proof: hex }) => {
      const proof = hex.map(hashFromHex);
      const [r1, r2] = [root(oldSize), root(newSize)];
      const first = proof[0] ?? SOME_HASH;
      const probes: [string, number, number, Uint8Array, Uint8Array, Uint8Array[]][] = [
        ['oldSize - 1', oldSize - 1, newSize, r1, r2, proof],
        ['oldSize + 1', oldSize + 1, newSize, r1, r2, proof],
        ['oldSize ^ 2', oldSize ^ 2, newSize, r1, r2, proof],
        ['newSize * 2', oldSize, newSize * 2, r1, r2, proof],
        ['newSize / 2', oldSize, Math.floor(newSize / 2), r1, r2, proof],
        ['wrong old root', oldSize, newSize, Buffer.from('WrongRoot'), r2, proof],
        ['wrong new root', oldSize, newSize, r1, Buffer.from('WrongRoot'), proof],
        ['random old root', oldSize, newSize, SOME_HASH, r2, proof],
        ['swapped roots', oldSize, newSize, r2, r1, proof],
        ['empty proof', oldSize, newSize, r1, r2, []],
        ['trailing empty element', oldSize, newSize, r1, r2, [...proof, new Uint8Array(0)]],
        ['trailing old root', oldSize, newSize, r1, r2, [...proof, r1]],
        ['trailing new root', oldSize, newSize, r1, r2, [...proof, r2]],
        ['preceding empty element', oldSize, newSize, r1, r2, [new Uint8Array(0), ...proof]],
        ['preceding old root', oldSize, newSize, r1, r2, [r1, ...proof]],
        ['preceding new root', oldSize, newSize, r1, r2, [r2, ...proof]],
        ['preceding proof[0]', oldSize, newSize, r1, r2, [first, ...proof]],
        ['truncated', oldSize, newSize, r1, r2, proof.slice(0, -1)],
      ];
      for (let i = 0; i < proof.length; i++) {
        probes.push([`proof[${i}] bit 4 flipped`, oldSize, newSize, r1, r2, flipBit(proof, i, 16)]);
      }
      for (const [name, m, n, a, b, p] of probes) {
        expect(verifyConsistency(m, n, a, b, p), name).toBe(false);
        expect(verifyConsistencyIndependently(m, n, a, b, p), name).toBe(false);
      }
    },
  );

  it('edge sizes: equal sizes, size 0, time travel, empty and non-empty proofs', () => {
    const [a, b] = [root(3), root(5)];
    const cases: [string, number, number, Uint8Array, Uint8Array, Uint8Array[], boolean][] = [
      ['0 -> 0, empty roots', 0, 0, EMPTY_ROOT, EMPTY_ROOT, [], true],
      ['0 -> 0, other equal roots', 0, 0, a, a, [], false],
      ['0 -> 0, different roots', 0, 0, EMPTY_ROOT, a, [], false],
      ['0 -> 1, empty old root', 0, 1, EMPTY_ROOT, root(1), [], true],
      ['0 -> 5, empty old root', 0, 5, EMPTY_ROOT, b, [], true],
      ['0 -> 5, arbitrary old root', 0, 5, a, b, [], false],
      ['0 -> 5, non-empty proof', 0, 5, EMPTY_ROOT, b, [EMPTY_ROOT], false],
      ['0 -> 0, non-empty proof', 0, 0, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT], false],
      ['1 -> 1, equal roots', 1, 1, a, a, [], true],
      ['1 -> 1, different roots', 1, 1, a, b, [], false],
      ['1 -> 1, non-empty proof', 1, 1, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT], false],
      ['5 -> 5, proof of its own root', 5, 5, b, b, [b], false],
      ['1 -> 0', 1, 0, a, b, [], false],
      ['2 -> 1', 2, 1, a, b, [], false],
      ['1 -> 2, empty proof', 1, 2, root(1), root(2), [], false],
      ['short old root', 1, 1, new Uint8Array(31), new Uint8Array(31), [], false],
    ];
    for (const [name, m, n, r1, r2, p, want] of cases) {
      expect(verifyConsistency(m, n, r1, r2, p), name).toBe(want);
      expect(verifyConsistencyIndependently(m, n, r1, r2, p), name).toBe(want);
    }
  });

  it('every pair of sizes of the reference tree', () => {
    for (let n = 0; n <= 8; n++) {
      for (let m = 0; m <= n; m++) {
        const proof = consistencyProof(LEAVES, m, n);
        expect(verifyConsistency(m, n, root(m), root(n), proof), `${m} -> ${n}`).toBe(true);
        expect(verifyConsistencyIndependently(m, n, root(m), root(n), proof), `${m} -> ${n}`).toBe(true);
      }
    }
  });
});

describe('proof shapes (transparency-dev/merkle proof_test.go, as leaf ranges)', () => {
  const many = Array.from({ length: 95 }, (_, i) => leafHash(Buffer.from(`leaf ${i}`)));
  const range = (lo: number, hi: number): string => toHex(rootOf(many.slice(lo, hi)));

  const inclusionShapes: [index: number, size: number, ranges: [number, number][]][] = [
    [0, 2, [[1, 2]]],
    [1, 2, [[0, 1]]],
    [1, 3, [[0, 1], [2, 3]]],
    [0, 7, [[1, 2], [2, 4], [4, 7]]],
    [2, 7, [[3, 4], [0, 2], [4, 7]]],
    [4, 7, [[5, 6], [6, 7], [0, 4]]],
    [6, 7, [[4, 6], [0, 4]]],
    [2, 4, [[3, 4], [0, 2]]],
    [3, 5, [[2, 3], [0, 2], [4, 5]]],
    [3, 6, [[2, 3], [0, 2], [4, 6]]],
    [4, 6, [[5, 6], [0, 4]]],
    [10, 15, [[11, 12], [8, 10], [12, 15], [0, 8]]],
    [24, 31, [[25, 26], [26, 28], [28, 31], [16, 24], [0, 16]]],
    [81, 95, [[80, 81], [82, 84], [84, 88], [88, 95], [64, 80], [0, 64]]],
  ];
  it.each(inclusionShapes)('inclusion of leaf %i in size %i', (index, size, ranges) => {
    expect(inclusionProof(many, index, size).map(toHex)).toEqual(ranges.map(([lo, hi]) => range(lo, hi)));
  });

  const consistencyShapes: [oldSize: number, newSize: number, ranges: [number, number][]][] = [
    [1, 2, [[1, 2]]],
    [1, 4, [[1, 2], [2, 4]]],
    [1, 6, [[1, 2], [2, 4], [4, 6]]],
    [2, 3, [[2, 3]]],
    [2, 8, [[2, 4], [4, 8]]],
    [3, 7, [[2, 3], [3, 4], [0, 2], [4, 7]]],
    [4, 7, [[4, 7]]],
    [5, 7, [[4, 5], [5, 6], [6, 7], [0, 4]]],
    [6, 7, [[4, 6], [6, 7], [0, 4]]],
    [7, 8, [[6, 7], [7, 8], [4, 6], [0, 4]]],
    [2, 4, [[2, 4]]],
    [3, 5, [[2, 3], [3, 4], [0, 2], [4, 5]]],
    [3, 6, [[2, 3], [3, 4], [0, 2], [4, 6]]],
    [4, 6, [[4, 6]]],
    [1, 7, [[1, 2], [2, 4], [4, 7]]],
    [10, 15, [[8, 10], [10, 12], [12, 15], [0, 8]]],
    [24, 31, [[16, 24], [24, 31], [0, 16]]],
    [81, 95, [[80, 81], [81, 82], [82, 84], [84, 88], [88, 95], [64, 80], [0, 64]]],
  ];
  it.each(consistencyShapes)('consistency %i -> %i', (oldSize, newSize, ranges) => {
    expect(consistencyProof(many, oldSize, newSize).map(toHex)).toEqual(ranges.map(([lo, hi]) => range(lo, hi)));
  });

  it('equal sizes and size 0 give empty proofs', () => {
    for (const size of [0, 1, 2, 3, 4, 5, 7, 8]) expect(consistencyProof(many, size, size)).toEqual([]);
    expect(consistencyProof(many, 0, 95)).toEqual([]);
  });
});

describe('generator arguments', () => {
  it('inclusionProof refuses an index outside the tree and sizes beyond the leaves', () => {
    for (const [index, size] of [
      [0, 0],
      [1, 0],
      [2, 1],
      [3, 0],
      [8, 7],
      [-1, 5],
      [0.5, 5],
      [0, 9],
      [0, Number.NaN],
    ] as const) {
      expect(() => inclusionProof(LEAVES, index, size), `${index} in ${size}`).toThrow(RangeError);
    }
  });

  it('consistencyProof refuses time travel and sizes beyond the leaves', () => {
    for (const [m, n] of [
      [5, 0],
      [9, 8],
      [1, 9],
      [-1, 3],
      [1.5, 3],
    ] as const) {
      expect(() => consistencyProof(LEAVES, m, n), `${m} -> ${n}`).toThrow(RangeError);
    }
  });

  it('refuses leaf hashes that are not 32 bytes', () => {
    expect(() => rootOf([leaf(0), new Uint8Array(31)])).toThrow(TypeError);
    expect(() => inclusionProof([leaf(0), new Uint8Array(33)], 0, 2)).toThrow(TypeError);
  });
});
