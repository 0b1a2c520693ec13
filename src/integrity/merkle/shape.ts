/**
 * The shape of RFC 6962 trees: the split rule and the lengths of proofs, computed from sizes
 * alone. Sizes are plain numbers; every function here works up to Number.MAX_SAFE_INTEGER
 * (halving is done with arithmetic, not 32-bit bit operators).
 */

/** Whether `n` is an integer in [0, Number.MAX_SAFE_INTEGER]. */
export function isSize(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

/** The largest power of two strictly less than `n` (n >= 2): RFC 6962's split point k. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Whether `n` (>= 1) is a power of two. */
export function isPowerOfTwo(n: number): boolean {
  let m = n;
  while (m > 1 && m % 2 === 0) m /= 2;
  return m === 1;
}

/** Number of set bits of a safe integer. */
export function popCount(n: number): number {
  let count = 0;
  for (let m = n; m > 0; m = Math.floor(m / 2)) count += m % 2;
  return count;
}

/** Length of PATH(index, D[treeSize]); requires 0 <= index < treeSize. */
export function inclusionPathLength(index: number, treeSize: number): number {
  let length = 0;
  let lo = 0;
  let hi = treeSize;
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (index < lo + k) hi = lo + k;
    else lo += k;
    length++;
  }
  return length;
}

/** Length of PROOF(oldSize, D[newSize]); requires 0 < oldSize < newSize. */
export function consistencyProofLength(oldSize: number, newSize: number): number {
  let length = 0;
  let lo = 0;
  let hi = newSize;
  let startsAtZero = true; // RFC 6962's flag b: the subtree is a prefix of the whole tree
  for (;;) {
    const size = hi - lo;
    const m = oldSize - lo;
    if (m === size) {
      if (!startsAtZero) length++;
      return length;
    }
    const k = splitPoint(size);
    if (m <= k) {
      hi = lo + k;
    } else {
      lo += k;
      startsAtZero = false;
    }
    length++;
  }
}
