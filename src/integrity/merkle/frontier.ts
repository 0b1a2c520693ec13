/**
 * The right frontier of a Merkle tree ("compact range" starting at leaf 0): the roots of the
 * perfect subtrees that cover the leaves appended so far, largest (leftmost) first, one per set
 * bit of the size. Appending costs one node hash amortised; the root is the right-to-left fold
 * of the frontier, which equals RFC 6962's MTH because MTH splits at the largest power of two.
 *
 * Node roots live in one flat Buffer so that hashing writes in place and allocates nothing.
 * Internal to this directory: no argument validation.
 */
import { EMPTY_ROOT, HASH_SIZE, hashNodeInto, newNodeScratch } from './hash.js';

/** popcount(size) <= 53 for safe integers, plus one transient node while appending. */
const CAPACITY = 64;

export class Frontier {
  readonly #nodes = Buffer.alloc(CAPACITY * HASH_SIZE);
  readonly #scratch = newNodeScratch();
  #count = 0; // nodes on the frontier
  #size = 0; // leaves covered

  get size(): number {
    return this.#size;
  }

  reset(): void {
    this.#count = 0;
    this.#size = 0;
  }

  /** Appends a 32-byte leaf hash (unchecked). */
  push(leaf: Uint8Array): void {
    const size = this.#size + 1;
    if (!Number.isSafeInteger(size)) throw new RangeError('Merkle tree size would exceed Number.MAX_SAFE_INTEGER');
    const nodes = this.#nodes;
    nodes.set(leaf, this.#count * HASH_SIZE);
    let count = this.#count + 1;
    // One merge per trailing zero bit of the new size: equal-sized neighbours become their parent.
    for (let s = size; s % 2 === 0; s /= 2) {
      const left = (count - 2) * HASH_SIZE;
      hashNodeInto(this.#scratch, nodes, left, nodes, left);
      count--;
    }
    this.#count = count;
    this.#size = size;
  }

  /** MTH of the leaves appended so far: a fresh 32-byte Buffer. */
  root(): Buffer {
    if (this.#count === 0) return Buffer.from(EMPTY_ROOT);
    const nodes = this.#nodes;
    const scratch = this.#scratch;
    // acc holds [left child | right child]; fold from the right: acc = H(node[i], acc).
    const acc = Buffer.alloc(2 * HASH_SIZE);
    nodes.copy(acc, HASH_SIZE, (this.#count - 1) * HASH_SIZE, this.#count * HASH_SIZE);
    for (let i = this.#count - 2; i >= 0; i--) {
      nodes.copy(acc, 0, i * HASH_SIZE, (i + 1) * HASH_SIZE);
      hashNodeInto(scratch, acc, 0, acc, HASH_SIZE);
    }
    return acc.subarray(HASH_SIZE);
  }

  /** Copies of the frontier nodes, largest subtree first. */
  nodes(): Buffer[] {
    const out: Buffer[] = [];
    for (let i = 0; i < this.#count; i++) {
      out.push(Buffer.from(this.#nodes.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE)));
    }
    return out;
  }

  /** Restores a frontier; the caller guarantees nodes.length === popCount(size) and 32-byte nodes. */
  static restore(size: number, nodes: readonly Uint8Array[]): Frontier {
    const frontier = new Frontier();
    nodes.forEach((node, i) => frontier.#nodes.set(node, i * HASH_SIZE));
    frontier.#count = nodes.length;
    frontier.#size = size;
    return frontier;
  }
}
