/**
 * Sizes beyond 2^32 (up to Number.MAX_SAFE_INTEGER): the verifiers must do their halving with
 * arithmetic, not 32-bit bit operators. Genuine proofs for such trees are built here from a
 * virtual tree whose leaves are all equal, so that any subtree root costs O(log n) hashes
 * (perfect subtrees of equal height have equal roots). A 32-bit slip makes these fail (or, for
 * indices with bit 31 set, loop), which is why the indices below keep bit 31 clear.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  verifyConsistencyIndependently,
  verifyInclusionIndependently,
} from '../../../test/support/independent-merkle-verifier.js';
import { CompactTree, verifyConsistency, verifyInclusion } from './index.js';

const LEAF = createHash('sha256').update(Buffer.from([0, 42])).digest();

function h(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(Buffer.from([1])).update(left).update(right).digest();
}

/** PERFECT[k] = root of 2^k equal leaves. */
const PERFECT: Buffer[] = [LEAF];
for (let k = 1; k <= 53; k++) PERFECT.push(h(PERFECT[k - 1] ?? LEAF, PERFECT[k - 1] ?? LEAF));

function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH of any n >= 1 equal leaves. */
function mth(n: number): Buffer {
  let log = 0;
  while (2 ** log < n) log++;
  if (2 ** log === n) return PERFECT[log] ?? LEAF;
  const k = split(n);
  return h(mth(k), mth(n - k));
}

/** RFC 6962 PATH(m, D[n]) over equal leaves. */
function path(m: number, n: number): Buffer[] {
  if (n === 1) return [];
  const k = split(n);
  return m < k ? [...path(m, k), mth(n - k)] : [...path(m - k, n - k), mth(k)];
}

/** RFC 6962 SUBPROOF(m, D[n], b) over equal leaves. */
function subproof(m: number, n: number, b: boolean): Buffer[] {
  if (m === n) return b ? [] : [mth(m)];
  const k = split(n);
  return m <= k ? [...subproof(m, k, b), mth(n - k)] : [...subproof(m - k, n - k, false), mth(k)];
}

const MAX = Number.MAX_SAFE_INTEGER;
const SIZES = [2 ** 32 + 1, 2 ** 40 + 12_345, 2 ** 52 + 3, MAX];
const INDICES = (n: number): number[] => [0, 5, 2 ** 31 - 1, 2 ** 32 + 2, n - 2 ** 31 - 1].filter((i) => i < n && Math.floor(i / 2 ** 31) % 2 === 0);

describe('trees larger than 2^32 leaves', () => {
  it.each(SIZES)('inclusion proofs in a tree of %i leaves verify, and corrupted ones do not', (n) => {
    for (const index of INDICES(n)) {
      const proof = path(index, n);
      const root = mth(n);
      expect(verifyInclusion(LEAF, index, n, proof, root), `index ${index}`).toBe(true);
      expect(verifyInclusionIndependently(LEAF, index, n, proof, root), `index ${index}`).toBe(true);
      expect(verifyInclusion(LEAF, index, n, proof.slice(1), root)).toBe(false);
      expect(verifyInclusion(LEAF, index, n, [...proof, root], root)).toBe(false);
      expect(verifyInclusion(LEAF, index, index, proof, root)).toBe(false);
      expect(verifyInclusion(LEAF, index, n, proof, mth(n - 1))).toBe(false);
    }
  });

  it.each(SIZES)('consistency proofs into a tree of %i leaves verify, and corrupted ones do not', (n) => {
    for (const m of [1, 3, 2 ** 31, 2 ** 32 + 7, n - 2 ** 30 - 1, n - 1].filter((size) => size < n)) {
      const proof = subproof(m, n, true);
      expect(verifyConsistency(m, n, mth(m), mth(n), proof), `${m} -> ${n}`).toBe(true);
      expect(verifyConsistencyIndependently(m, n, mth(m), mth(n), proof), `${m} -> ${n}`).toBe(true);
      expect(verifyConsistency(m, n, mth(m), mth(n), proof.slice(0, -1)), `${m} -> ${n} short`).toBe(false);
      expect(verifyConsistency(m, n, mth(n), mth(m), proof), `${m} -> ${n} swapped`).toBe(false);
    }
  });

  it('CompactTree restored at a huge size appends and roots correctly', () => {
    const n = 2 ** 40 + 12_345;
    // The frontier of n equal leaves: one perfect root per set bit, largest first.
    const nodes: string[] = [];
    for (let k = 53; k >= 0; k--) if (Math.floor(n / 2 ** k) % 2 === 1) nodes.push((PERFECT[k] ?? LEAF).toString('hex'));
    const tree = CompactTree.fromJSON(JSON.stringify({ version: 1, size: n, nodes }));
    expect(tree.root().equals(mth(n))).toBe(true);
    tree.append(LEAF);
    expect(tree.size).toBe(n + 1);
    expect(tree.root().equals(mth(n + 1))).toBe(true);
  });

  it('refuses to grow past Number.MAX_SAFE_INTEGER', () => {
    const nodes: string[] = [];
    for (let k = 52; k >= 0; k--) nodes.push((PERFECT[k] ?? LEAF).toString('hex'));
    const tree = CompactTree.fromJSON(JSON.stringify({ version: 1, size: MAX, nodes }));
    expect(tree.root().equals(mth(MAX))).toBe(true);
    expect(() => tree.append(LEAF)).toThrow(RangeError);
  });
});
