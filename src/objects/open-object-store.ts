/** The object-store factory: the one module that knows every adapter, so the port knows none. */
import { parseObjectStoreUrl } from '../config/object-store-url.js';
import type { SecretBox } from '../iam/secret-box.js';
import { FileObjectStore, fileStoreRoot } from './file-object-store.js';
import type { ObjectStore } from './object-store.js';
import { S3ObjectStore } from './s3-object-store.js';

/**
 * Opens the object store a URL names:
 * - `file:` (also the empty string): buckets are folders under `<dataDir>/buckets/`;
 *   `file:<dir>` or `file://<dir>`: buckets are folders under `<dir>`.
 * - `s3:` (or `s3://`): S3 or an S3-compatible store, configured like the AWS tools
 *   (AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, AWS_REGION / AWS_DEFAULT_REGION, default credential chain).
 */
export function openObjectStore(url: string, options: { dataDir: string; secretBox: SecretBox }): ObjectStore {
  const location = parseObjectStoreUrl(url);
  if (location.kind === 's3') return new S3ObjectStore();
  return new FileObjectStore({ root: location.root ?? fileStoreRoot(options.dataDir), secretBox: options.secretBox });
}
