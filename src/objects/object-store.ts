/**
 * The object-store port: where trails deliver their log and digest files. Adapters are chosen by
 * URL: `file:` (a folder per bucket under the data directory, the default) and `s3:` (any
 * S3-compatible store, configured like the AWS tools). One conformance suite
 * (test/conformance/object-store.suite.ts) runs against every adapter.
 */
import { parseObjectStoreUrl } from '../config/object-store-url.js';
import type { SecretBox } from '../iam/secret-box.js';
import { FileObjectStore, fileStoreRoot } from './file-object-store.js';
export { assertBucketName, bucketNameProblem, compareKeys, ObjectStoreError } from './errors.js';
import { S3ObjectStore } from './s3-object-store.js';

export type ObjectEncryption = { type: 'AES256' } | { type: 'aws:kms'; kmsKeyId: string };

export interface PutObjectInput {
  bucket: string;
  key: string;
  body: Buffer;
  contentType?: string;
  /** User metadata; use lowercase names (S3 lowercases them). */
  metadata?: Record<string, string>;
  /** Server-side encryption; default AES256. */
  encryption?: ObjectEncryption;
}

export interface StoredObject {
  body: Buffer;
  metadata: Record<string, string>;
}

export interface ObjectStore {
  /** 'file' | 's3', for messages. */
  readonly kind: string;
  /** False for a bucket name that breaks the S3 naming rules (such a bucket cannot exist). */
  bucketExists(bucket: string): Promise<boolean>;
  /** Durable once resolved. Writing the same key again replaces it (delivery may redo a put after a crash with identical bytes). */
  putObject(input: PutObjectInput): Promise<void>;
  /** Undefined when the key does not exist; an ObjectStoreError (code NoSuchBucket) when the bucket does not. */
  getObject(bucket: string, key: string): Promise<StoredObject | undefined>;
  /** Keys under a prefix, sorted ascending by their UTF-8 bytes (all pages). */
  listKeys(bucket: string, prefix: string): Promise<string[]>;
  /** Deleting a key that does not exist is not an error. */
  deleteObject(bucket: string, key: string): Promise<void>;
}

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
