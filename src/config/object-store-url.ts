/**
 * The object store URL (`--object-store`, OPENTRAIL_OBJECT_STORE) parsed into what it names.
 * loadConfig parses it, so a bad value fails at start before anything is created, and
 * openObjectStore opens what the same parse says: the two can never disagree.
 */
import { ConfigError } from './config-error.js';

export type ObjectStoreLocation =
  /** `root` undefined: the default, `<data-dir>/buckets/`. */
  | { kind: 'file'; root?: string }
  | { kind: 's3' };

export function parseObjectStoreUrl(url: string): ObjectStoreLocation {
  if (url === '' || url === 'file:' || url === 'file://') return { kind: 'file' };
  if (url.startsWith('file://')) return { kind: 'file', root: url.slice('file://'.length) };
  if (url.startsWith('file:')) return { kind: 'file', root: url.slice('file:'.length) };
  if (url === 's3:' || url === 's3://') return { kind: 's3' };
  throw new ConfigError(`unknown object store URL "${url}"; expected file:, file:<dir> or s3:`);
}
