/**
 * RFC 6962 §2.1 hashing (SHA-256 with leaf/node domain separation) and hex helpers.
 *
 *   leaf hash  = SHA-256(0x00 || data)
 *   node hash  = SHA-256(0x01 || left || right)
 *   empty root = SHA-256("")
 *
 * Hot paths (tree building) use `hashNodeInto`, which writes the digest into a caller-owned
 * buffer: on Node 20 allocating a Buffer per digest costs about three times the SHA-256 itself,
 * so `crypto.hash(..., 'binary')` plus a latin1 write (lossless for bytes 0..255) is used instead.
 */
import * as crypto from 'node:crypto';

/** Size in bytes of every hash: leaf hashes, node hashes, roots, proof elements. */
export const HASH_SIZE = 32;

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

/** SHA-256 of `data` as a latin1 ("binary") string of 32 characters, one per byte. */
const sha256Binary: (data: Uint8Array) => string =
  // crypto.hash exists from Node 20.12 / 21.7; the fallback keeps older Node 20 releases working.
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('sha256', data, 'binary')
    : (data) => crypto.createHash('sha256').update(data).digest('binary');

function sha256(data: Uint8Array): Buffer {
  return Buffer.from(sha256Binary(data), 'latin1');
}

/** Whether `value` is a Uint8Array of exactly 32 bytes. Never throws. */
export function isHash(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && value.length === HASH_SIZE;
}

function requireHash(value: unknown, what: string): asserts value is Uint8Array {
  if (!isHash(value)) throw new TypeError(`${what} must be a Uint8Array of ${HASH_SIZE} bytes`);
}

/** The root of the empty tree (size 0): SHA-256 of the empty string. Do not mutate. */
export const EMPTY_ROOT: Buffer = sha256(new Uint8Array(0));

/** A private copy of EMPTY_ROOT, so that a caller mutating the exported Buffer cannot change verification. */
const EMPTY_ROOT_PRIVATE = Buffer.from(EMPTY_ROOT);

/** Whether `value` is the empty tree's root. */
export function isEmptyRoot(value: Uint8Array): boolean {
  return hashesEqual(value, EMPTY_ROOT_PRIVATE);
}

/** RFC 6962 leaf hash: SHA-256(0x00 || data). */
export function leafHash(data: Uint8Array): Buffer {
  if (!(data instanceof Uint8Array)) throw new TypeError('leaf data must be a Uint8Array');
  const input = Buffer.allocUnsafe(1 + data.length);
  input[0] = LEAF_PREFIX;
  input.set(data, 1);
  return sha256(input);
}

/** Shared scratch for nodeHash; safe because hashing is synchronous. */
const NODE_SCRATCH = Buffer.alloc(1 + 2 * HASH_SIZE);
NODE_SCRATCH[0] = NODE_PREFIX;

/** RFC 6962 interior node hash: SHA-256(0x01 || left || right). Both children must be 32-byte hashes. */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  requireHash(left, 'left child');
  requireHash(right, 'right child');
  NODE_SCRATCH.set(left, 1);
  NODE_SCRATCH.set(right, 1 + HASH_SIZE);
  return sha256(NODE_SCRATCH);
}

/**
 * Hashes the node whose two children are the 64 bytes of `children` starting at `childrenOffset`
 * and writes the 32-byte result into `target` at `targetOffset`. `scratch` is a 65-byte buffer
 * whose first byte is 0x01 (see `newNodeScratch`). Overlapping source and target are fine.
 * Internal: no validation.
 */
export function hashNodeInto(
  scratch: Buffer,
  children: Buffer,
  childrenOffset: number,
  target: Buffer,
  targetOffset: number,
): void {
  children.copy(scratch, 1, childrenOffset, childrenOffset + 2 * HASH_SIZE);
  target.write(sha256Binary(scratch), targetOffset, HASH_SIZE, 'latin1');
}

/** A 65-byte scratch buffer for `hashNodeInto`: 0x01 followed by room for two children. */
export function newNodeScratch(): Buffer {
  const scratch = Buffer.alloc(1 + 2 * HASH_SIZE);
  scratch[0] = NODE_PREFIX;
  return scratch;
}

/** Byte equality of two 32-byte hashes (false when either is not 32 bytes). Never throws. */
export function hashesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (!isHash(a) || !isHash(b)) return false;
  for (let i = 0; i < HASH_SIZE; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Lowercase hex of any bytes. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/** Bytes of a hex string (either case, even length); throws on anything else, never truncates silently. */
export function fromHex(hex: string): Buffer {
  if (typeof hex !== 'string' || !HEX.test(hex)) throw new TypeError('not a hex string of whole bytes');
  return Buffer.from(hex, 'hex');
}

/** A 32-byte hash from 64 hex characters; throws on anything else. */
export function hashFromHex(hex: string): Buffer {
  const bytes = fromHex(hex);
  if (bytes.length !== HASH_SIZE) throw new TypeError(`a hash is ${HASH_SIZE * 2} hex characters`);
  return bytes;
}
