/**
 * RFC 6962 §2.1 Merkle tree hashes and proofs over an in-memory list of leaf hashes.
 *
 * Every subtree that MTH, PATH and PROOF name is a leaf range [lo, hi); its root is computed
 * with a Frontier (each node hashed once, O(log n) memory). The proof nodes are disjoint
 * ranges, so one proof costs at most n - 1 node hashes and never re-hashes a subtree.
 * Proofs are returned bottom-up (leaf to root), the order RFC 6962 and RFC 9162 define.
 *
 * Generators throw on bad arguments (RangeError for sizes/indices, TypeError for leaf hashes
 * that are not 32-byte Uint8Arrays): they run on trusted data, so a bad call is a bug.
 */
import { Frontier } from './frontier.js';
import { isHash } from './hash.js';
import { isSize, splitPoint } from './shape.js';

/** rootOf's: reset on each use, and a root is computed synchronously, so one frontier serves every call (proofs hash many small ranges). */
const SHARED_FRONTIER = new Frontier();

/** MTH(D[lo:hi]) for lo < hi, reusing `frontier`. */
function rangeRoot(leafHashes: readonly Uint8Array[], lo: number, hi: number, frontier: Frontier): Buffer {
  frontier.reset();
  for (let i = lo; i < hi; i++) {
    const leaf = leafHashes[i];
    if (!isHash(leaf)) throw new TypeError(`leaf hash ${i} must be a Uint8Array of 32 bytes`);
    frontier.push(leaf);
  }
  return frontier.root();
}

function requireTreeSize(leafHashes: readonly Uint8Array[], size: number, what: string): void {
  if (!isSize(size)) throw new RangeError(`${what} must be a non-negative safe integer, got ${String(size)}`);
  if (size > leafHashes.length) {
    throw new RangeError(`${what} ${size} exceeds the ${leafHashes.length} leaf hashes given`);
  }
}

/** Root of leaves [0, n) given their leaf hashes (RFC 6962 MTH); EMPTY_ROOT for no leaves. */
export function rootOf(leafHashes: readonly Uint8Array[]): Buffer {
  return rangeRoot(leafHashes, 0, leafHashes.length, SHARED_FRONTIER);
}

/** Audit path for leaf `index` in the tree of the first `treeSize` leaves (RFC 6962 PATH(m, D[n])). */
export function inclusionProof(leafHashes: readonly Uint8Array[], index: number, treeSize: number): Buffer[] {
  requireTreeSize(leafHashes, treeSize, 'treeSize');
  if (!isSize(index) || index >= treeSize) {
    throw new RangeError(`leaf index ${String(index)} is not in a tree of size ${treeSize}`);
  }
  const frontier = new Frontier();
  const topDown: Buffer[] = [];
  let lo = 0;
  let hi = treeSize;
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (index < lo + k) {
      topDown.push(rangeRoot(leafHashes, lo + k, hi, frontier));
      hi = lo + k;
    } else {
      topDown.push(rangeRoot(leafHashes, lo, lo + k, frontier));
      lo += k;
    }
  }
  return topDown.reverse();
}

/**
 * RFC 6962 PROOF(m, D[n]) between tree sizes oldSize <= newSize. Empty when oldSize is 0 (every
 * tree extends the empty tree) or when the sizes are equal (RFC 6962 defines the proof for
 * 0 < m < n only; these are the conventional extensions, matched by verifyConsistency).
 */
export function consistencyProof(leafHashes: readonly Uint8Array[], oldSize: number, newSize: number): Buffer[] {
  requireTreeSize(leafHashes, newSize, 'newSize');
  if (!isSize(oldSize) || oldSize > newSize) {
    throw new RangeError(`oldSize ${String(oldSize)} must be an integer in [0, newSize ${newSize}]`);
  }
  if (oldSize === 0 || oldSize === newSize) return [];
  const frontier = new Frontier();
  const topDown: Buffer[] = [];
  let last: Buffer | undefined;
  let lo = 0;
  let hi = newSize;
  let startsAtZero = true; // RFC 6962's flag b: this subtree is a prefix of D[n], so its old part is the old tree
  for (;;) {
    const size = hi - lo;
    const m = oldSize - lo;
    if (m === size) {
      if (!startsAtZero) last = rangeRoot(leafHashes, lo, hi, frontier);
      break;
    }
    const k = splitPoint(size);
    if (m <= k) {
      topDown.push(rangeRoot(leafHashes, lo + k, hi, frontier));
      hi = lo + k;
    } else {
      topDown.push(rangeRoot(leafHashes, lo, lo + k, frontier));
      lo += k;
      startsAtZero = false;
    }
  }
  const proof = topDown.reverse();
  if (last !== undefined) proof.unshift(last);
  return proof;
}
