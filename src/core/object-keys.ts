/**
 * The shape of an object key that every object store OpenTrail writes to can hold: S3 (and the
 * S3 APIs beside it) and the file store (src/objects/file-object-store.ts), whose keys are
 * relative paths in a folder. Used to refuse a trail's S3KeyPrefix up front: the prefix begins
 * every key the trail writes, so a prefix one of them cannot hold makes delivery fail on every
 * attempt, for ever.
 */

/** S3's limit on a key, in UTF-8 bytes (the file store has the same). */
export const MAX_OBJECT_KEY_BYTES = 1024;
/** A file name's limit on common file systems (NAME_MAX), which the file store enforces per segment. */
export const MAX_KEY_SEGMENT_BYTES = 255;
/** Segments the file store keeps for its temporary and metadata files. */
export const RESERVED_SEGMENT_PREFIX = '.opentrail-';

export function utf8Bytes(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

/**
 * C0 controls and DEL: S3 lists keys in XML 1.0, which cannot carry most of them, and a key
 * with a newline breaks every line-oriented tool. `\p{Cs}` (with the u flag) matches only an
 * unpaired surrogate, which has no UTF-8 encoding: it would be stored as U+FFFD, another key.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNWRITABLE_CHARACTER = /[\u0000-\u001f\u007f]|\p{Cs}/u;

function codePoint(character: string): string {
  return `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Why keys beginning with `<prefix>/` cannot be stored everywhere, or undefined when they can.
 * `maxBytes` is the most UTF-8 bytes the prefix may take for the longest key after it to fit.
 */
export function keyPrefixProblem(prefix: string, maxBytes: number): string | undefined {
  const unwritable = UNWRITABLE_CHARACTER.exec(prefix);
  if (unwritable) return `it holds the character ${codePoint(unwritable[0])}, which object keys cannot carry`;
  // The file store refuses it; S3 keeps it, but many tools take it for a folder separator.
  if (prefix.includes('\\')) return 'it holds a backslash';
  for (const segment of prefix.split('/')) {
    if (segment === '') return 'it has an empty path segment (a leading, trailing or doubled "/")';
    // The file store refuses them, and URL paths resolve them: the key would land elsewhere.
    if (segment === '.' || segment === '..') return `it has a "${segment}" path segment`;
    if (segment.startsWith(RESERVED_SEGMENT_PREFIX)) return `it has a path segment beginning with "${RESERVED_SEGMENT_PREFIX}", which the file object store reserves`;
    if (utf8Bytes(segment) > MAX_KEY_SEGMENT_BYTES) return `it has a path segment longer than ${MAX_KEY_SEGMENT_BYTES} bytes in UTF-8`;
  }
  const bytes = utf8Bytes(prefix);
  if (bytes > maxBytes) {
    return `it is ${bytes} bytes in UTF-8; at most ${maxBytes} leave room for the longest key a trail writes within ${MAX_OBJECT_KEY_BYTES} bytes`;
  }
  return undefined;
}
