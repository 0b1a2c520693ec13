/**
 * A deliberately separate RFC 6962 Merkle proof verifier for tests: written straight from the
 * recursive definitions of RFC 6962 §2.1 (MTH, PATH, PROOF/SUBPROOF), sharing no code with
 * src/integrity/merkle (which uses RFC 9162's iterative algorithms). Small and slow on purpose.
 *
 * Same conventions as src/: hashes are 32-byte Uint8Arrays, proofs are ordered leaf to root;
 * for consistency, oldSize == 0 holds iff the proof is empty and oldRoot is SHA-256("") (and so
 * is newRoot when newSize is 0), and oldSize == newSize holds iff the proof is empty and the
 * roots are equal. Returns false, never throws, on malformed input.
 */
import { createHash } from 'node:crypto';

type Hash = Uint8Array;

function sha256(...parts: Uint8Array[]): Buffer {
  const h = createHash('sha256');
  for (const part of parts) h.update(part);
  return h.digest();
}

/** H(0x01 || left || right), RFC 6962 §2.1. */
function interior(left: Hash, right: Hash): Hash {
  return sha256(Uint8Array.of(1), left, right);
}

function same(a: Hash, b: Hash): boolean {
  return Buffer.from(a).equals(Buffer.from(b));
}

function isHash(value: unknown): value is Hash {
  return value instanceof Uint8Array && value.length === 32;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** "k is the largest power of two smaller than n" (RFC 6962 §2.1), for n > 1. */
function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[n]) straight from the definition, over leaf hashes. Exported to cross-check roots. */
export function merkleTreeHashIndependently(leafHashes: readonly Hash[]): Buffer {
  const n = leafHashes.length;
  if (n === 0) return sha256();
  if (n === 1) return Buffer.from(leafHashes[0] as Hash);
  const k = largestPowerOfTwoBelow(n);
  return Buffer.from(
    interior(merkleTreeHashIndependently(leafHashes.slice(0, k)), merkleTreeHashIndependently(leafHashes.slice(k))),
  );
}

/**
 * The root that PATH(m, D[n]) = `path` implies for leaf hash `leaf`, or undefined when the path
 * has the wrong length. PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n]) for m < k, and
 * PATH(m - k, D[k:n]) : MTH(D[0:k]) otherwise; PATH(0, {d(0)}) = {} (RFC 6962 §2.1.1).
 */
function rootFromPath(m: number, n: number, leaf: Hash, path: readonly Hash[]): Hash | undefined {
  if (n === 1) return path.length === 0 ? leaf : undefined;
  const last = path[path.length - 1];
  if (last === undefined) return undefined;
  const rest = path.slice(0, -1);
  const k = largestPowerOfTwoBelow(n);
  if (m < k) {
    const left = rootFromPath(m, k, leaf, rest);
    return left === undefined ? undefined : interior(left, last);
  }
  const right = rootFromPath(m - k, n - k, leaf, rest);
  return right === undefined ? undefined : interior(last, right);
}

export function verifyInclusionIndependently(
  leafHash: Uint8Array,
  index: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  try {
    if (!isCount(index) || !isCount(treeSize) || index >= treeSize) return false;
    if (!isHash(leafHash) || !isHash(root) || !Array.isArray(proof) || !proof.every(isHash)) return false;
    const computed = rootFromPath(index, treeSize, leafHash, proof);
    return computed !== undefined && same(computed, root);
  } catch {
    return false;
  }
}

/**
 * What SUBPROOF(m, D[n], b) = `proof` implies: the hashes of the old part (first m leaves) and of
 * the whole of this subtree, or undefined when the proof has the wrong shape (RFC 6962 §2.1.2):
 *   SUBPROOF(m, D[m], true)  = {}                  (the subtree is the old tree: its hash is oldRoot)
 *   SUBPROOF(m, D[m], false) = {MTH(D[m])}
 *   SUBPROOF(m, D[n], b)     = SUBPROOF(m, D[0:k], b) : MTH(D[k:n])          for m <= k
 *   SUBPROOF(m, D[n], b)     = SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k])  for m > k
 */
function subproofRoots(
  m: number,
  n: number,
  b: boolean,
  proof: readonly Hash[],
  oldRoot: Hash,
): { old: Hash; whole: Hash } | undefined {
  if (m === n) {
    if (b) return proof.length === 0 ? { old: oldRoot, whole: oldRoot } : undefined;
    const only = proof[0];
    return proof.length === 1 && only !== undefined ? { old: only, whole: only } : undefined;
  }
  const last = proof[proof.length - 1];
  if (last === undefined) return undefined;
  const rest = proof.slice(0, -1);
  const k = largestPowerOfTwoBelow(n);
  if (m <= k) {
    const left = subproofRoots(m, k, b, rest, oldRoot);
    return left === undefined ? undefined : { old: left.old, whole: interior(left.whole, last) };
  }
  const right = subproofRoots(m - k, n - k, false, rest, oldRoot);
  return right === undefined ? undefined : { old: interior(last, right.old), whole: interior(last, right.whole) };
}

export function verifyConsistencyIndependently(
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  try {
    if (!isCount(oldSize) || !isCount(newSize) || oldSize > newSize) return false;
    if (!isHash(oldRoot) || !isHash(newRoot) || !Array.isArray(proof) || !proof.every(isHash)) return false;
    if (oldSize === 0) {
      return proof.length === 0 && same(oldRoot, sha256()) && (newSize > 0 || same(newRoot, sha256()));
    }
    if (oldSize === newSize) return proof.length === 0 && same(oldRoot, newRoot);
    const roots = subproofRoots(oldSize, newSize, true, proof, oldRoot);
    return roots !== undefined && same(roots.old, oldRoot) && same(roots.whole, newRoot);
  } catch {
    return false;
  }
}
