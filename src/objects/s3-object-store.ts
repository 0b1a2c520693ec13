/**
 * The `s3:` object store: S3 or any S3-compatible store through `@aws-sdk/client-s3`, configured
 * the way the AWS tools are:
 *
 * - endpoint: AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL, else the SDK's default for the region;
 *   with an endpoint given, path-style addressing (`<endpoint>/<bucket>/<key>`), which
 *   S3-compatible stores expect;
 * - region: AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1;
 * - credentials: the SDK's default provider chain (environment, shared files, SSO, container and
 *   instance roles).
 *
 * Puts ask for server-side encryption: AES256 (SSE-S3) unless the caller asks for `aws:kms` with
 * a key id (SSE-KMS). Checksums are computed only where the API requires them, so stores that do
 * not know the newer flexible checksums still accept our requests.
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { assertBucketName, bucketNameProblem, compareKeys, ObjectStoreError } from './errors.js';
import { awsErrorName, awsErrorStatus, credentialsFromEnv, environmentRegion, nonEmpty, isRetryableAwsError } from './aws-sdk.js';
import type { ObjectStore, PutObjectInput, StoredObject } from './object-store.js';

/** The client configuration the AWS tools would use in this environment. */
export function s3ClientConfig(env: NodeJS.ProcessEnv = process.env): S3ClientConfig {
  const endpoint = nonEmpty(env.AWS_ENDPOINT_URL_S3) ?? nonEmpty(env.AWS_ENDPOINT_URL);
  return {
    region: environmentRegion(env),
    ...(endpoint !== undefined && { endpoint, forcePathStyle: true }),
    ...credentialsFromEnv(env),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // A store that accepts connections but never answers must not hold delivery forever.
    // The handler only warns on a request timeout unless told to throw.
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000, throwOnRequestTimeout: true },
  };
}

function wrap(error: unknown, doing: string): ObjectStoreError {
  if (error instanceof ObjectStoreError) return error;
  const status = awsErrorStatus(error);
  const name = awsErrorName(error);
  const detail = error instanceof Error ? error.message : String(error);
  const code = status === 403 ? 'AccessDenied' : name;
  return new ObjectStoreError(`${doing}: ${name}${status !== undefined ? ` (HTTP ${status})` : ''}: ${detail}`, {
    retryable: isRetryableAwsError(error),
    code,
    cause: error,
  });
}

function isNotFound(error: unknown, ...names: string[]): boolean {
  return names.includes(awsErrorName(error));
}

export interface S3ObjectStoreOptions {
  /** A client of one's own (then `env` is not read). */
  client?: S3Client;
  /** Environment to configure from instead of process.env (its static keys, if any, are used). */
  env?: NodeJS.ProcessEnv;
}

export class S3ObjectStore implements ObjectStore {
  readonly kind = 's3';
  readonly client: S3Client;

  constructor(options: S3ObjectStoreOptions = {}) {
    this.client = options.client ?? new S3Client(s3ClientConfig(options.env));
  }

  async bucketExists(bucket: string): Promise<boolean> {
    if (bucketNameProblem(bucket) !== undefined) return false;
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: bucket }));
      return true;
    } catch (error) {
      if (awsErrorStatus(error) === 404 || isNotFound(error, 'NotFound', 'NoSuchBucket')) return false;
      throw wrap(error, `checking bucket ${bucket}`);
    }
  }

  async putObject(input: PutObjectInput): Promise<void> {
    assertBucketName(input.bucket);
    const encryption = input.encryption ?? { type: 'AES256' };
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: input.bucket,
          Key: input.key,
          Body: input.body,
          ContentLength: input.body.length,
          ...(input.contentType !== undefined && { ContentType: input.contentType }),
          ...(input.metadata !== undefined && { Metadata: input.metadata }),
          ...(encryption.type === 'aws:kms'
            ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: encryption.kmsKeyId }
            : { ServerSideEncryption: 'AES256' }),
        }),
      );
    } catch (error) {
      throw wrap(error, `putting s3://${input.bucket}/${input.key}`);
    }
  }

  async getObject(bucket: string, key: string): Promise<StoredObject | undefined> {
    assertBucketName(bucket);
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const bytes = response.Body === undefined ? new Uint8Array() : await response.Body.transformToByteArray();
      return { body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), metadata: { ...response.Metadata } };
    } catch (error) {
      if (isNotFound(error, 'NoSuchKey')) return undefined;
      if (isNotFound(error, 'NoSuchBucket')) throw this.#noSuchBucket(bucket, error);
      throw wrap(error, `getting s3://${bucket}/${key}`);
    }
  }

  async listKeys(bucket: string, prefix: string): Promise<string[]> {
    assertBucketName(bucket);
    const keys: string[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await this.client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token !== undefined && { ContinuationToken: token }) }),
        );
        for (const object of page.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key);
        token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
    } catch (error) {
      if (isNotFound(error, 'NoSuchBucket')) throw this.#noSuchBucket(bucket, error);
      throw wrap(error, `listing s3://${bucket}/${prefix}`);
    }
    return keys.sort(compareKeys);
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    assertBucketName(bucket);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    } catch (error) {
      if (isNotFound(error, 'NoSuchKey')) return;
      if (isNotFound(error, 'NoSuchBucket')) throw this.#noSuchBucket(bucket, error);
      throw wrap(error, `deleting s3://${bucket}/${key}`);
    }
  }

  /** Closes the client's connections. */
  destroy(): void {
    this.client.destroy();
  }

  #noSuchBucket(bucket: string, cause: unknown): ObjectStoreError {
    return new ObjectStoreError(`bucket ${bucket} does not exist in the S3 store`, { retryable: false, code: 'NoSuchBucket', cause });
  }
}
