/**
 * Which keys the file store can hold, and where they land. Keys are relative paths inside the
 * bucket folder. A key that could escape it, or that a file system cannot hold as given, is
 * refused (ObjectStoreError code InvalidKey): empty, absolute, a NUL or a backslash, an empty,
 * `.` or `..` segment, a segment over 255 bytes, over 1024 bytes in all, or a segment beginning
 * with `.opentrail-` (reserved for the store's temporary and metadata files).
 */
import { resolve, sep } from 'node:path';
import { MAX_KEY_SEGMENT_BYTES, MAX_OBJECT_KEY_BYTES, RESERVED_SEGMENT_PREFIX } from '../../core/object-keys.js';
import { ObjectStoreError } from '../errors.js';

/** Why a key is refused by the file store, or undefined when it is fine. */
export function objectKeyProblem(key: string): string | undefined {
  if (key === '') return 'is empty';
  if (key.includes('\0')) return 'holds a NUL character';
  if (key.includes('\\')) return 'holds a backslash';
  if (key.startsWith('/')) return 'is absolute';
  if (Buffer.byteLength(key, 'utf8') > MAX_OBJECT_KEY_BYTES) return `is longer than ${MAX_OBJECT_KEY_BYTES} bytes`;
  for (const segment of key.split('/')) {
    if (segment === '') return 'has an empty path segment';
    if (segment === '.' || segment === '..') return `has a "${segment}" path segment`;
    if (segment.startsWith(RESERVED_SEGMENT_PREFIX)) return `has a segment beginning with "${RESERVED_SEGMENT_PREFIX}" (reserved)`;
    if (Buffer.byteLength(segment, 'utf8') > MAX_KEY_SEGMENT_BYTES) return `has a path segment longer than ${MAX_KEY_SEGMENT_BYTES} bytes`;
  }
  return undefined;
}

/** Refuses a key (or a listing prefix: `what`) the file store cannot hold. */
export function assertKey(key: string, what = 'key'): void {
  const problem = objectKeyProblem(key);
  if (problem !== undefined) {
    throw new ObjectStoreError(`invalid object ${what} ${JSON.stringify(key)}: it ${problem}`, { retryable: false, code: 'InvalidKey' });
  }
}

/** Whether a folder entry is one of the store's own files (temporary, metadata), never an object. */
export function isReservedName(name: string): boolean {
  return name.startsWith(RESERVED_SEGMENT_PREFIX);
}

/** The path of `relative` inside `base`; throws if it is not inside (a bug: the rules above refuse such names). */
export function inside(base: string, relative: string): string {
  const path = resolve(base, relative);
  if (!path.startsWith(base + sep)) {
    throw new ObjectStoreError(`path ${JSON.stringify(relative)} escapes ${base}`, { retryable: false, code: 'InvalidKey' });
  }
  return path;
}
