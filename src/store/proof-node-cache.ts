/**
 * Stored hashes kept between proofs, so that a proof over a large tree reads the few hashes it
 * needs from memory instead of two to four tile rows and a file's leaf hashes from the store
 * (those reads were most of a proof's cost: ./merkle-nodes.ts).
 *
 * What makes a cached hash safe to reuse is how it is keyed: by the perfect subtree of the
 * tree's stored frontier that holds it (its position and root hash). A subtree's root commits to
 * every node and leaf under it, so a tree whose frontier has that subtree at that position has
 * exactly those hashes there, whatever happened in between: the trail deleted and created again
 * under the same name, another node's deliveries, or a different partition with the same
 * leaves. Entries are filled only from reads made in the same snapshot as the frontier that
 * keys them (the caller's job), and nodes outside every frontier subtree (the partial right
 * edge) are never cached.
 *
 * Bounded by bytes; when full it is emptied and fills again from the next proofs' reads.
 */
import { HASH_SIZE, leafRangeOf } from '../integrity/merkle/index.js';
import type { PerfectNode } from '../integrity/merkle/index.js';
import { LOWEST_STORED_LEVEL } from './merkle-nodes.js';

/** Leaves per cached block: the span of a node of the lowest stored level, below which nodes are hashed from leaves. */
export const LEAF_BLOCK = 2 ** LOWEST_STORED_LEVEL;
const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;
/** A Map entry, its key and a Buffer's object, roughly, beside the hash bytes. */
const ENTRY_OVERHEAD = 96;
/** Frontiers parsed and remembered (a few partitions' trees at once). */
const VIEWS = 64;

interface Subtree {
  start: number;
  width: number;
  entries: Map<number, Buffer>;
}

/** The cache as seen through one stored frontier: only the hashes under its subtrees. */
export interface CacheView {
  node(node: PerfectNode): Buffer | undefined;
  /** Keeps a copy of the node's hash, if the node lies under the frontier. */
  keepNode(node: PerfectNode, hash: Uint8Array): void;
  /** Whether block b (leaves [16b, 16b + 16)) lies under the frontier: complete, and cacheable. */
  holdsBlock(block: number): boolean;
  /** The block's 16 leaf hashes, concatenated. */
  block(block: number): Buffer | undefined;
  keepBlock(block: number, leaves: Uint8Array): void;
  /**
   * Whether this many more hashes keep the cache under half full: what is read beside a proof's
   * own needs is kept only then, so that reads all over a tree larger than the cache fill it
   * with what proofs asked for, not with whole tiles that empty it again and again.
   */
  hasRoomFor(hashes: number): boolean;
}

/**
 * Node (level, index) and leaf block b as keys of one subtree's map. Exact while index < 2^47,
 * i.e. for every tree of fewer than 2^51 leaves (stored nodes are of level 4 and up).
 */
function nodeEntry(node: PerfectNode): number {
  return node.index * 64 + node.level;
}
function blockEntry(block: number): number {
  return -1 - block;
}

export class ProofNodeCache {
  readonly #maxBytes: number;
  readonly #subtrees = new Map<string, Map<number, Buffer>>();
  readonly #views = new Map<string, Subtree[]>();
  #bytes = 0;

  constructor(maxBytes = DEFAULT_MAX_BYTES) {
    this.#maxBytes = maxBytes;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** The cache under a stored tree's frontier (CompactTree JSON: its size and subtree roots, largest first). */
  view(frontierJson: string): CacheView {
    const subtrees = this.#subtreesOf(frontierJson);
    const holding = (lo: number, hi: number): Subtree | undefined => {
      for (const subtree of subtrees) {
        if (lo >= subtree.start && lo < subtree.start + subtree.width) return hi <= subtree.start + subtree.width ? subtree : undefined;
      }
      return undefined;
    };
    const ofNode = (node: PerfectNode) => {
      const [lo, hi] = leafRangeOf(node);
      return holding(lo, hi);
    };
    const ofBlock = (block: number) => holding(block * LEAF_BLOCK, (block + 1) * LEAF_BLOCK);
    return {
      node: (node) => ofNode(node)?.entries.get(nodeEntry(node)),
      keepNode: (node, hash) => {
        const subtree = ofNode(node);
        if (subtree !== undefined) this.#keep(subtree, nodeEntry(node), hash);
      },
      holdsBlock: (block) => ofBlock(block) !== undefined,
      block: (block) => ofBlock(block)?.entries.get(blockEntry(block)),
      keepBlock: (block, leaves) => {
        const subtree = ofBlock(block);
        if (subtree !== undefined && leaves.length === LEAF_BLOCK * HASH_SIZE) this.#keep(subtree, blockEntry(block), leaves);
      },
      hasRoomFor: (hashes) => this.#bytes + hashes * (HASH_SIZE + ENTRY_OVERHEAD) <= this.#maxBytes / 2,
    };
  }

  #keep(subtree: Subtree, entry: number, bytes: Uint8Array): void {
    if (subtree.entries.has(entry)) return;
    if (this.#bytes + bytes.length + ENTRY_OVERHEAD > this.#maxBytes) this.clear();
    subtree.entries.set(entry, Buffer.from(bytes));
    this.#bytes += bytes.length + ENTRY_OVERHEAD;
  }

  clear(): void {
    for (const entries of this.#subtrees.values()) entries.clear();
    this.#bytes = 0;
  }

  #subtreesOf(frontierJson: string): Subtree[] {
    const known = this.#views.get(frontierJson);
    if (known !== undefined) return known;
    const { size, nodes } = JSON.parse(frontierJson) as { size: number; nodes: string[] };
    const subtrees: Subtree[] = [];
    let start = 0;
    let i = 0;
    // One subtree per set bit of the size, largest (leftmost) first, as the frontier lists them.
    for (let level = 52; level >= 0; level--) {
      const width = 2 ** level;
      if (Math.floor(size / width) % 2 === 0) continue;
      const id = `${start}/${level}/${nodes[i]!}`;
      let entries = this.#subtrees.get(id);
      if (entries === undefined) {
        entries = new Map();
        this.#subtrees.set(id, entries);
      }
      subtrees.push({ start, width, entries });
      start += width;
      i += 1;
    }
    if (this.#views.size >= VIEWS) this.#views.delete(this.#views.keys().next().value!);
    this.#views.set(frontierJson, subtrees);
    this.#forgetUnseenSubtrees();
    return subtrees;
  }

  /** Subtrees no remembered frontier holds any more (the tree grew past them) give their memory back. */
  #forgetUnseenSubtrees(): void {
    if (this.#subtrees.size <= VIEWS * 8) return;
    const seen = new Set<Map<number, Buffer>>();
    for (const view of this.#views.values()) for (const subtree of view) seen.add(subtree.entries);
    for (const [id, entries] of this.#subtrees) {
      if (seen.has(entries)) continue;
      for (const bytes of entries.values()) this.#bytes -= bytes.length + ENTRY_OVERHEAD;
      this.#subtrees.delete(id);
    }
  }
}
