/**
 * Proof verification: RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency).
 *
 * These run on untrusted input, so they never throw: anything malformed is simply `false`.
 * Beyond the RFC algorithms (which already fail a proof that runs past the root, or stops
 * short of it, through their `sn == 0` checks) every proof must have exactly the length the
 * sizes imply, every hash must be 32 bytes, and sizes must be safe integers. Edge cases the RFC
 * leaves to the caller:
 *   - inclusion: index >= treeSize (so any treeSize 0) is false;
 *   - consistency, oldSize > newSize: false;
 *   - consistency, oldSize == newSize: true iff the proof is empty and the roots are equal;
 *   - consistency, oldSize == 0: true iff the proof is empty and oldRoot is EMPTY_ROOT (the
 *     empty tree is a prefix of every tree; an arbitrary "root of size 0" is not accepted).
 */
import { isEmptyRoot, isHash, hashesEqual, nodeHash } from './hash.js';
import { consistencyProofLength, inclusionPathLength, isPowerOfTwo, isSize } from './shape.js';

function isProof(proof: unknown): proof is readonly Uint8Array[] {
  return Array.isArray(proof) && proof.every(isHash);
}

const half = (n: number): number => Math.floor(n / 2);
const lsb = (n: number): boolean => n % 2 === 1;

/** verifyInclusion without its guard; exported so tests check it never throws on plain values. */
export function inclusion(leafHash: unknown, index: unknown, treeSize: unknown, proof: unknown, root: unknown): boolean {
  if (!isSize(index) || !isSize(treeSize) || index >= treeSize) return false;
  if (!isHash(leafHash) || !isHash(root) || !isProof(proof)) return false;
  if (proof.length !== inclusionPathLength(index, treeSize)) return false;
  // RFC 9162 §2.1.3.2
  let fn = index;
  let sn = treeSize - 1;
  let r: Uint8Array = leafHash;
  for (const p of proof) {
    if (sn === 0) return false;
    if (lsb(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!lsb(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && hashesEqual(r, root);
}

/** verifyConsistency without its guard; exported so tests check it never throws on plain values. */
export function consistency(oldSize: unknown, newSize: unknown, oldRoot: unknown, newRoot: unknown, proof: unknown): boolean {
  if (!isSize(oldSize) || !isSize(newSize) || oldSize > newSize) return false;
  if (!isHash(oldRoot) || !isHash(newRoot) || !isProof(proof)) return false;
  if (oldSize === 0) return proof.length === 0 && isEmptyRoot(oldRoot) && (newSize > 0 || isEmptyRoot(newRoot));
  if (oldSize === newSize) return proof.length === 0 && hashesEqual(oldRoot, newRoot);
  if (proof.length !== consistencyProofLength(oldSize, newSize)) return false;
  // RFC 9162 §2.1.4.2, 0 < oldSize < newSize
  if (proof.length === 0) return false;
  const path: readonly Uint8Array[] = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : proof;
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (lsb(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  const [first, ...rest] = path;
  if (first === undefined) return false;
  let fr: Uint8Array = first;
  let sr: Uint8Array = first;
  for (const c of rest) {
    if (sn === 0) return false;
    if (lsb(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!lsb(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && hashesEqual(fr, oldRoot) && hashesEqual(sr, newRoot);
}

/** Whether `proof` shows the leaf with hash `leafHash` at `index` in the tree of `treeSize` leaves with root `root`. Never throws. */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  try {
    return inclusion(leafHash, index, treeSize, proof, root);
  } catch {
    return false; // unreachable for well-typed input; a hostile Proxy or getter must not escape
  }
}

/** Whether `proof` shows the tree (newSize, newRoot) extends the tree (oldSize, oldRoot). Never throws. */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  try {
    return consistency(oldSize, newSize, oldRoot, newRoot, proof);
  } catch {
    return false; // see verifyInclusion
  }
}
