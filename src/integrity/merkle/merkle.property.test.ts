/**
 * Property tests: proofs from src/ verify with src/ and with the independent recursive verifier
 * (test/support), CompactTree agrees with rootOf at every size, and mutated proofs are rejected.
 *
 * "Rejected" is stated exactly where it can be: for a claim about (index, size) or
 * (oldSize, newSize) with that tree's true root(s), a verifier must accept precisely the genuine
 * proof; anything else would be a SHA-256 collision, since the leaves here are distinct.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  merkleTreeHashIndependently,
  verifyConsistencyIndependently,
  verifyInclusionIndependently,
} from '../../../test/support/independent-merkle-verifier.js';
import {
  CompactTree,
  EMPTY_ROOT,
  consistencyProof,
  inclusionProof,
  leafHash,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from './index.js';
import { consistency, inclusion } from './verify.js';

const MAX = 300;
const LEAVES = Array.from({ length: MAX }, (_, i) => leafHash(Buffer.from(`event ${i}`)));
/** ROOTS[n] = MTH(D[0:n]) */
const ROOTS = Array.from({ length: MAX + 1 }, (_, n) => rootOf(LEAVES.slice(0, n)));
const RUNS = { numRuns: 500 };

function at<T>(list: readonly T[], i: number): T {
  const value = list[i];
  if (value === undefined) throw new Error(`index ${i} out of range`);
  return value;
}
const leaf = (i: number): Buffer => at(LEAVES, i);
const root = (n: number): Buffer => at(ROOTS, n);

function sameProof(a: readonly Uint8Array[], b: readonly Uint8Array[]): boolean {
  return a.length === b.length && a.every((hash, i) => Buffer.compare(hash, at(b, i)) === 0);
}

function flip(hash: Uint8Array, bit: number): Buffer {
  const copy = Buffer.from(hash);
  const byte = Math.floor(bit / 8);
  copy[byte] = (copy[byte] ?? 0) ^ (1 << bit % 8);
  return copy;
}

/** n in [1, MAX] and an index in [0, n). */
const leafInTree = fc
  .integer({ min: 1, max: MAX })
  .chain((n) => fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.constant(n)));
/** Same, with a non-empty path (n >= 2). */
const leafInBiggerTree = fc
  .integer({ min: 2, max: MAX })
  .chain((n) => fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.constant(n)));
/** 0 <= m <= n <= MAX */
const sizePair = fc.integer({ min: 0, max: MAX }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n)));
/** 0 < m < n <= MAX: the pairs with a non-empty proof. */
const strictSizePair = fc
  .integer({ min: 2, max: MAX })
  .chain((n) => fc.tuple(fc.integer({ min: 1, max: n - 1 }), fc.constant(n)));

/** A structural mutation of a proof: it always yields a different list. */
type Mutation =
  | { kind: 'flip'; element: number; bit: number }
  | { kind: 'insert'; at: number; hash: Uint8Array }
  | { kind: 'remove'; at: number }
  | { kind: 'resize'; element: number; length: number }
  | { kind: 'swap'; at: number };

const mutation = (hashes: readonly Uint8Array[]): fc.Arbitrary<Mutation> =>
  fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), element: fc.nat(), bit: fc.integer({ min: 0, max: 255 }) }),
    fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      hash: fc.oneof(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.constantFrom(...hashes)),
    }),
    fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('resize' as const), element: fc.nat(), length: fc.constantFrom(0, 31, 33, 64) }),
    fc.record({ kind: fc.constant('swap' as const), at: fc.nat() }),
  );

/** Applies a mutation to a non-empty proof (swap needs two elements: it falls back to a flip). */
function mutate(proof: readonly Uint8Array[], m: Mutation): Uint8Array[] {
  const out = [...proof];
  switch (m.kind) {
    case 'flip': {
      const i = m.element % out.length;
      out[i] = flip(at(out, i), m.bit);
      return out;
    }
    case 'insert':
      out.splice(m.at % (out.length + 1), 0, m.hash);
      return out;
    case 'remove':
      out.splice(m.at % out.length, 1);
      return out;
    case 'resize': {
      const i = m.element % out.length;
      const resized = new Uint8Array(m.length);
      resized.set(at(out, i).subarray(0, m.length));
      out[i] = resized;
      return out;
    }
    case 'swap': {
      if (out.length < 2) return mutate(proof, { kind: 'flip', element: 0, bit: m.at % 256 });
      const i = m.at % (out.length - 1);
      [out[i], out[i + 1]] = [at(out, i + 1), at(out, i)];
      return out;
    }
  }
}

describe('roots', () => {
  it('rootOf equals the recursive MTH of RFC 6962 for every size 0..MAX', () => {
    expect(rootOf([]).equals(EMPTY_ROOT)).toBe(true);
    for (let n = 0; n <= MAX; n++) expect(root(n).equals(merkleTreeHashIndependently(LEAVES.slice(0, n))), `size ${n}`).toBe(true);
  });

  it('CompactTree equals rootOf at every prefix, before and after a JSON round trip', () => {
    let tree = CompactTree.empty();
    for (let n = 0; n <= MAX; n++) {
      expect(tree.size).toBe(n);
      expect(tree.root().equals(root(n)), `size ${n}`).toBe(true);
      const restored = CompactTree.fromJSON(tree.toJSON());
      expect(restored.size).toBe(n);
      expect(restored.root().equals(root(n)), `restored size ${n}`).toBe(true);
      if (n < MAX) {
        // Continue on the restored copy every other step: restoring must lose nothing.
        tree = n % 2 === 0 ? restored : tree;
        tree.append(leaf(n));
      }
    }
  });

  it('CompactTree follows rootOf for arbitrary leaves (duplicates included), restored at random points', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.uint8Array({ maxLength: 4 }), fc.boolean()), { maxLength: 120 }),
        (steps) => {
          const hashes: Buffer[] = [];
          let tree = CompactTree.empty();
          for (const [data, restore] of steps) {
            const hash = leafHash(data);
            hashes.push(hash);
            tree.append(hash);
            if (restore) tree = CompactTree.fromJSON(tree.toJSON());
            expect(tree.root().equals(rootOf(hashes))).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('inclusion proofs', () => {
  it('verify with src/ and with the independent verifier, at the expected length', () => {
    fc.assert(
      fc.property(leafInTree, ([index, size]) => {
        const proof = inclusionProof(LEAVES, index, size);
        expect(proof.length).toBeLessThanOrEqual(Math.ceil(Math.log2(size)));
        expect(proof.every((hash) => hash.length === 32)).toBe(true);
        expect(verifyInclusion(leaf(index), index, size, proof, root(size))).toBe(true);
        expect(verifyInclusionIndependently(leaf(index), index, size, proof, root(size))).toBe(true);
      }),
      RUNS,
    );
  });

  it('verify over arbitrary leaves, duplicates included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 2 }), { minLength: 1, maxLength: 64 }).chain((data) =>
          fc.tuple(fc.constant(data.map(leafHash)), fc.integer({ min: 0, max: data.length - 1 })),
        ),
        ([hashes, index]) => {
          const proof = inclusionProof(hashes, index, hashes.length);
          const r = rootOf(hashes);
          const h = at(hashes, index);
          expect(verifyInclusion(h, index, hashes.length, proof, r)).toBe(true);
          expect(verifyInclusionIndependently(h, index, hashes.length, proof, r)).toBe(true);
        },
      ),
      RUNS,
    );
  });

  it('a proof with a flipped bit, an extra, missing, resized or swapped element is rejected by both verifiers', () => {
    fc.assert(
      fc.property(leafInBiggerTree.chain((p) => fc.tuple(fc.constant(p), mutation(LEAVES))), ([[index, size], m]) => {
        const bad = mutate(inclusionProof(LEAVES, index, size), m);
        expect(verifyInclusion(leaf(index), index, size, bad, root(size))).toBe(false);
        expect(verifyInclusionIndependently(leaf(index), index, size, bad, root(size))).toBe(false);
      }),
      RUNS,
    );
  });

  it('a flipped bit in the leaf hash or the root is rejected', () => {
    fc.assert(
      fc.property(leafInTree, fc.integer({ min: 0, max: 255 }), fc.boolean(), ([index, size], bit, inLeaf) => {
        const proof = inclusionProof(LEAVES, index, size);
        const l = inLeaf ? flip(leaf(index), bit) : leaf(index);
        const r = inLeaf ? root(size) : flip(root(size), bit);
        expect(verifyInclusion(l, index, size, proof, r)).toBe(false);
        expect(verifyInclusionIndependently(l, index, size, proof, r)).toBe(false);
      }),
      RUNS,
    );
  });

  it('a wrong index is rejected', () => {
    fc.assert(
      fc.property(leafInBiggerTree, fc.integer({ min: -2, max: MAX + 2 }), ([index, size], other) => {
        fc.pre(other !== index);
        const proof = inclusionProof(LEAVES, index, size);
        expect(verifyInclusion(leaf(index), other, size, proof, root(size))).toBe(false);
        expect(verifyInclusionIndependently(leaf(index), other, size, proof, root(size))).toBe(false);
      }),
      RUNS,
    );
  });

  it('for a claim about another size (with that size’s root), only the genuine proof for that size verifies', () => {
    fc.assert(
      fc.property(leafInTree, fc.integer({ min: 0, max: MAX }), ([index, size], other) => {
        fc.pre(other !== size);
        const proof = inclusionProof(LEAVES, index, size);
        const genuine = index < other && sameProof(proof, inclusionProof(LEAVES, index, other));
        expect(verifyInclusion(leaf(index), index, other, proof, root(other))).toBe(genuine);
        expect(verifyInclusionIndependently(leaf(index), index, other, proof, root(other))).toBe(genuine);
      }),
      RUNS,
    );
  });

  it('binds the size only through the root (why a digest must sign size and root together)', () => {
    // Leaf 0 has the same path shape in trees of 3 and 4 leaves, so the size-4 proof and root
    // also "verify" for size 3: the verifier cannot know that root is not a 3-leaf root.
    const proof = inclusionProof(LEAVES, 0, 4);
    expect(verifyInclusion(leaf(0), 0, 3, proof, root(4))).toBe(true);
    expect(verifyInclusionIndependently(leaf(0), 0, 3, proof, root(4))).toBe(true);
    expect(verifyInclusion(leaf(0), 0, 3, proof, root(3))).toBe(false);
  });
});

describe('consistency proofs', () => {
  it('verify with src/ and with the independent verifier', () => {
    fc.assert(
      fc.property(sizePair, ([m, n]) => {
        const proof = consistencyProof(LEAVES, m, n);
        if (m === 0 || m === n) expect(proof).toEqual([]);
        expect(verifyConsistency(m, n, root(m), root(n), proof)).toBe(true);
        expect(verifyConsistencyIndependently(m, n, root(m), root(n), proof)).toBe(true);
      }),
      RUNS,
    );
  });

  it('a proof with a flipped bit, an extra, missing, resized or swapped element is rejected by both verifiers', () => {
    fc.assert(
      fc.property(strictSizePair.chain((p) => fc.tuple(fc.constant(p), mutation(ROOTS))), ([[m, n], mut]) => {
        const bad = mutate(consistencyProof(LEAVES, m, n), mut);
        expect(verifyConsistency(m, n, root(m), root(n), bad)).toBe(false);
        expect(verifyConsistencyIndependently(m, n, root(m), root(n), bad)).toBe(false);
      }),
      RUNS,
    );
  });

  it('a flipped bit in either root, or swapped roots, is rejected', () => {
    fc.assert(
      fc.property(strictSizePair, fc.integer({ min: 0, max: 255 }), fc.constantFrom('old', 'new', 'swap'), ([m, n], bit, what) => {
        const proof = consistencyProof(LEAVES, m, n);
        const [r1, r2] =
          what === 'old' ? [flip(root(m), bit), root(n)] : what === 'new' ? [root(m), flip(root(n), bit)] : [root(n), root(m)];
        expect(verifyConsistency(m, n, r1, r2, proof)).toBe(false);
        expect(verifyConsistencyIndependently(m, n, r1, r2, proof)).toBe(false);
      }),
      RUNS,
    );
  });

  it('for a claim about other sizes (with their roots), only the genuine proof for those sizes verifies', () => {
    fc.assert(
      fc.property(
        sizePair,
        fc.integer({ min: -1, max: MAX }),
        fc.integer({ min: 0, max: MAX }),
        ([m, n], otherM, otherN) => {
          fc.pre(otherM !== m || otherN !== n);
          const proof = consistencyProof(LEAVES, m, n);
          const valid = otherM >= 0 && otherM <= otherN;
          const genuine = valid && sameProof(proof, consistencyProof(LEAVES, otherM, otherN));
          const r1 = otherM >= 0 ? root(otherM) : root(m);
          expect(verifyConsistency(otherM, otherN, r1, root(otherN), proof)).toBe(genuine);
          expect(verifyConsistencyIndependently(otherM, otherN, r1, root(otherN), proof)).toBe(genuine);
        },
      ),
      RUNS,
    );
  });

  it('sizes near powers of two, exhaustively up to 40', () => {
    for (let n = 0; n <= 40; n++) {
      for (let m = 0; m <= n; m++) {
        const proof = consistencyProof(LEAVES, m, n);
        expect(verifyConsistency(m, n, root(m), root(n), proof), `${m} -> ${n}`).toBe(true);
        if (proof.length > 0) {
          expect(verifyConsistency(m, n, root(m), root(n), proof.slice(1)), `${m} -> ${n} short`).toBe(false);
          expect(verifyConsistency(m, n, root(m), root(n), [...proof, root(n)]), `${m} -> ${n} long`).toBe(false);
        }
      }
    }
  });
});

describe('verifiers never throw', () => {
  const anyArg = fc.oneof(
    fc.anything(),
    fc.uint8Array({ minLength: 32, maxLength: 32 }),
    fc.array(fc.oneof(fc.uint8Array({ minLength: 31, maxLength: 33 }), fc.anything()), { maxLength: 4 }),
    fc.constantFrom(Number.NaN, -1, 0.5, 2 ** 53, 2 ** 60, Infinity, 0, 1, 7),
  );

  it('on arbitrary arguments', () => {
    fc.assert(
      fc.property(anyArg, anyArg, anyArg, anyArg, anyArg, (a, b, c, d, e) => {
        // Biased generation can produce a valid call (e.g. equal zero hashes, sizes 1 and 1), so
        // the property is "returns a boolean", not "returns false".
        for (const f of [verifyInclusion, verifyConsistency, verifyInclusionIndependently, verifyConsistencyIndependently]) {
          expect(typeof (f as (...args: unknown[]) => unknown)(a, b, c, d, e)).toBe('boolean');
        }
      }),
      { numRuns: 1000 },
    );
  });

  // The verifiers' catch-all would hide a throw; the unguarded checks must not need it on any
  // plain value (only a hostile Proxy or getter reaches the guard).
  it('without their guard, on arbitrary plain arguments', () => {
    fc.assert(
      fc.property(anyArg, anyArg, anyArg, anyArg, anyArg, (a, b, c, d, e) => {
        expect(typeof inclusion(a, b, c, d, e)).toBe('boolean');
        expect(typeof consistency(a, b, c, d, e)).toBe('boolean');
      }),
      { numRuns: 1000 },
    );
  });

  it('on huge sizes and hostile proofs', () => {
    const hostile = new Proxy([] as Uint8Array[], {
      get(): never {
        throw new Error('boom');
      },
    });
    const h = leaf(0);
    const max = Number.MAX_SAFE_INTEGER;
    expect(verifyInclusion(h, max - 1, max, [], h)).toBe(false);
    expect(verifyInclusion(h, 0, 2 ** 53, [], h)).toBe(false);
    expect(verifyInclusion(h, 0, 1, hostile, h)).toBe(false);
    expect(verifyConsistency(1, max, h, h, [])).toBe(false);
    expect(verifyConsistency(max - 1, max, h, h, Array.from({ length: 53 }, () => h))).toBe(false);
    expect(verifyConsistency(1, 2, h, h, hostile)).toBe(false);
    expect(verifyInclusionIndependently(h, 0, 1, hostile, h)).toBe(false);
    expect(verifyConsistencyIndependently(1, 2, h, h, hostile)).toBe(false);
  });
});
