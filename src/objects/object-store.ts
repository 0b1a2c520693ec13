/**
 * The object-store port: where trails deliver their log and digest files. Adapters are chosen by
 * URL: `file:` (a folder per bucket under the data directory, the default) and `s3:` (any
 * S3-compatible store, configured like the AWS tools), opened by ./open-object-store.ts. One
 * conformance suite (test/conformance/object-store.suite.ts) runs against every adapter.
 */
export { assertBucketName, bucketNameProblem, compareKeys, ObjectStoreError } from './errors.js';

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
