/**
 * An incremental Merkle tree (compact range / frontier): append leaf hashes one by one and read
 * the RFC 6962 root at any size, in O(log n) memory and one node hash per append (amortised).
 * The delivery worker keeps one per trail and region beside its cursor, so extending the tree
 * never rereads earlier events.
 *
 * JSON form (toJSON / fromJSON), versioned:
 *   {"version":1,"size":5,"nodes":["<64 hex>","<64 hex>"]}
 * `nodes` are the roots of the perfect subtrees covering [0, size), largest first: one per set
 * bit of `size` (here leaves [0,4) and [4,5)). fromJSON checks the form strictly and throws on
 * anything else; it cannot check the hashes themselves, which only the leaves could.
 */
import { Frontier } from './frontier.js';
import { hashFromHex, isHash, toHex } from './hash.js';
import { isSize, popCount } from './shape.js';

const JSON_VERSION = 1;

function invalid(reason: string): Error {
  return new Error(`CompactTree.fromJSON: ${reason}`);
}

export class CompactTree {
  readonly #frontier: Frontier;

  private constructor(frontier: Frontier) {
    this.#frontier = frontier;
  }

  /** The tree of size 0 (root EMPTY_ROOT). */
  static empty(): CompactTree {
    return new CompactTree(new Frontier());
  }

  /** Restores a tree saved with toJSON(); throws an Error naming the problem if `json` is not one. */
  static fromJSON(json: string): CompactTree {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      throw invalid('not JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid('not an object');
    const { version, size, nodes } = parsed as Record<string, unknown>;
    if (version !== JSON_VERSION) throw invalid(`unsupported version ${JSON.stringify(version) ?? 'undefined'}`);
    if (!isSize(size)) throw invalid('size must be a non-negative safe integer');
    if (!Array.isArray(nodes)) throw invalid('nodes must be an array');
    if (nodes.length !== popCount(size)) {
      throw invalid(`a tree of size ${size} has ${popCount(size)} frontier nodes, not ${nodes.length}`);
    }
    const hashes = nodes.map((node: unknown, i) => {
      if (typeof node !== 'string' || node.length !== 64) throw invalid(`node ${i} is not 64 hex characters`);
      try {
        return hashFromHex(node);
      } catch {
        throw invalid(`node ${i} is not 64 hex characters`);
      }
    });
    return new CompactTree(Frontier.restore(size, hashes));
  }

  /** Appends the next leaf (its RFC 6962 leaf hash, 32 bytes). */
  append(leafHash: Uint8Array): void {
    if (!isHash(leafHash)) throw new TypeError('leaf hash must be a Uint8Array of 32 bytes');
    this.#frontier.push(leafHash);
  }

  /** Number of leaves appended. */
  get size(): number {
    return this.#frontier.size;
  }

  /** RFC 6962 MTH of the leaves appended so far (EMPTY_ROOT at size 0); a fresh Buffer. */
  root(): Buffer {
    return this.#frontier.root();
  }

  /** Copies of the frontier: the perfect subtree roots covering [0, size), largest first. */
  frontier(): Buffer[] {
    return this.#frontier.nodes();
  }

  /** The JSON text described above (a string: store it as is, restore with CompactTree.fromJSON). */
  toJSON(): string {
    return JSON.stringify({
      version: JSON_VERSION,
      size: this.#frontier.size,
      nodes: this.#frontier.nodes().map(toHex),
    });
  }
}
