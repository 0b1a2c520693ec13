/**
 * RFC 6962 (Certificate Transparency) Merkle tree: hashes, roots, inclusion and consistency
 * proofs, their RFC 9162 verifiers, and an incremental CompactTree. SHA-256 from node:crypto;
 * every hash is a 32-byte Buffer; proofs are ordered leaf to root.
 */
export { EMPTY_ROOT, HASH_SIZE, fromHex, hashFromHex, isHash, leafHash, nodeHash, toHex } from './hash.js';
export { consistencyProof, inclusionProof, rootOf } from './tree.js';
export { verifyConsistency, verifyInclusion } from './verify.js';
export { CompactTree } from './compact-tree.js';
export { assembleRanges, consistencyRanges, foldCover, inclusionRanges, leafRangeOf, nodeKey, nodesOfRanges, perfectCover } from './perfect-nodes.js';
export type { LeafRange, PerfectNode } from './perfect-nodes.js';
export { completedNodes } from './completed-nodes.js';
export type { CompletedNode } from './completed-nodes.js';
export { TILE_HEIGHT, nodesInTile, tileKey, tileLength, tileOf } from './tiles.js';
export type { TileId } from './tiles.js';
