/**
 * The `file:` object store: S3 semantics on a local folder.
 *
 * Layout under the root (by default `<data-dir>/buckets/`):
 *
 *   <root>/<bucket>/<key>                    the object's bytes, exactly as stored
 *   <root>/.opentrail-meta/<bucket>/<key>    its sidecar (./file-store/sidecar.ts): user metadata,
 *                                            content type, encryption, SHA-256 of the stored bytes
 *
 * `.opentrail-meta` can never be a bucket (bucket names begin with a letter or digit), so
 * `listKeys` never sees the sidecars, and a log file can be read with plain tools (`zcat`).
 *
 * This class composes the parts, each in ./file-store/: which keys are allowed and where they
 * land (object-keys.ts), atomic durable writes (durable-files.ts), the sidecar and encryption
 * (sidecar.ts), listing by walking folders (key-walk.ts), and file system errors as
 * ObjectStoreErrors (fs-errors.ts). Unlike S3, a key cannot also be the "folder" of another key
 * (`a` and `a/b`): the second put is refused (code KeyConflict). CloudTrail's key layout never
 * does that.
 *
 * The sidecar is written before the body, so a reader never pairs a body with another put's
 * metadata or encryption: on a mismatch (a put in progress in another process, or one cut short
 * by a crash, which the redone put repairs) `getObject` retries briefly and then fails with a
 * retryable error. Within one process puts, gets and deletes of a key are serialized
 * (src/concurrency/keyed-mutex.ts). A file placed in a bucket by hand (no sidecar) reads back
 * with empty metadata.
 *
 * Temporary files left by a crash (`.opentrail-tmp-*`) are never listed or read; folders emptied
 * by deletes stay (S3 has no folders, so they are invisible to the port).
 */
import { mkdir, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pRetry, { AbortError } from 'p-retry';
import { KeyedMutex } from '../concurrency/keyed-mutex.js';
import { PRIVATE_DIR_MODE } from '../fs/private-files.js';
import type { SecretBox } from '../iam/secret-box.js';
import { assertBucketName, bucketNameProblem, compareKeys, ObjectStoreError } from './errors.js';
import { fsyncDir, mkdirDurable, readIfFile, unlinkDurable, writeAtomic } from './file-store/durable-files.js';
import { errnoOf, fileStoreError } from './file-store/fs-errors.js';
import { walkKeys } from './file-store/key-walk.js';
import { assertKey, inside } from './file-store/object-keys.js';
import { describes, encodeSidecar, openStored, parseSidecar, storedForm } from './file-store/sidecar.js';
import type { ObjectStore, PutObjectInput, StoredObject } from './object-store.js';

const META_DIR = '.opentrail-meta';
/** How often getObject re-reads a body whose sidecar does not match it yet. */
const MISMATCH_RETRIES = 4;

/** Where the default `file:` store keeps its buckets. */
export function fileStoreRoot(dataDir: string): string {
  return join(resolve(dataDir), 'buckets');
}

/** The object's bytes and metadata did not match on this read: read again. */
class IncompleteRead extends Error {}

export interface FileObjectStoreOptions {
  /** The folder that holds one folder per bucket. */
  root: string;
  /** Needed for `aws:kms` objects only. */
  secretBox?: SecretBox;
}

export class FileObjectStore implements ObjectStore {
  readonly kind = 'file';
  readonly root: string;
  readonly #secretBox: SecretBox | undefined;
  readonly #metaRoot: string;
  /** Operations on one bucket/key run one at a time (in-process serialization). */
  readonly #locks = new KeyedMutex();

  constructor(options: FileObjectStoreOptions) {
    this.root = resolve(options.root);
    this.#metaRoot = join(this.root, META_DIR);
    this.#secretBox = options.secretBox;
  }

  /** Creates the bucket's folder; false when it already existed. */
  async createBucket(bucket: string): Promise<boolean> {
    assertBucketName(bucket);
    try {
      await mkdirDurable(this.root);
      try {
        await mkdir(inside(this.root, bucket), { mode: PRIVATE_DIR_MODE });
      } catch (error) {
        if (errnoOf(error) === 'EEXIST') return false;
        throw error;
      }
      await fsyncDir(this.root);
      return true;
    } catch (error) {
      throw fileStoreError(error, `creating bucket ${bucket}`);
    }
  }

  /** The buckets, sorted by name. */
  async listBuckets(): Promise<string[]> {
    let entries;
    try {
      entries = await readdir(this.root, { withFileTypes: true });
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') return [];
      throw fileStoreError(error, `listing buckets in ${this.root}`);
    }
    return entries
      .filter((e) => e.isDirectory() && bucketNameProblem(e.name) === undefined)
      .map((e) => e.name)
      .sort(compareKeys);
  }

  async bucketExists(bucket: string): Promise<boolean> {
    if (bucketNameProblem(bucket) !== undefined) return false;
    try {
      return (await stat(inside(this.root, bucket))).isDirectory();
    } catch (error) {
      if (errnoOf(error) === 'ENOENT' || errnoOf(error) === 'ENOTDIR') return false;
      throw fileStoreError(error, `checking bucket ${bucket}`);
    }
  }

  async putObject(input: PutObjectInput): Promise<void> {
    const { bucketDir, metaDir } = await this.#bucket(input.bucket);
    assertKey(input.key);
    const { stored, sidecar } = storedForm(input, this.#secretBox);
    await this.#locked(input.bucket, input.key, async () => {
      try {
        await writeAtomic(inside(metaDir, input.key), encodeSidecar(sidecar));
        await writeAtomic(inside(bucketDir, input.key), stored);
      } catch (error) {
        throw fileStoreError(error, `writing ${input.bucket}/${input.key}`);
      }
    });
  }

  async getObject(bucket: string, key: string): Promise<StoredObject | undefined> {
    const { bucketDir, metaDir } = await this.#bucket(bucket);
    assertKey(key);
    // A sidecar that does not match its bytes is a write in progress in another process (or a
    // crash's leftover): read again a few times, backing off, before calling the object incomplete.
    return this.#locked(bucket, key, async () =>
      pRetry(
        async () => {
          let body: Buffer | undefined;
          let sidecarBytes: Buffer | undefined;
          try {
            body = await readIfFile(inside(bucketDir, key));
            if (body === undefined) return undefined;
            sidecarBytes = await readIfFile(inside(metaDir, key));
          } catch (error) {
            throw new AbortError(fileStoreError(error, `reading ${bucket}/${key}`));
          }
          if (sidecarBytes === undefined) return { body, metadata: {} };
          let metadata: Record<string, string>;
          let decoded: Buffer;
          try {
            const sidecar = parseSidecar(sidecarBytes, bucket, key, this.#metaRoot);
            if (!describes(sidecar, body)) throw new IncompleteRead();
            decoded = openStored(body, sidecar, this.#secretBox, bucket, key);
            metadata = sidecar.metadata;
          } catch (error) {
            if (error instanceof IncompleteRead) throw error;
            throw new AbortError(error instanceof Error ? error : String(error));
          }
          return { body: decoded, metadata: { ...metadata } };
        },
        { retries: MISMATCH_RETRIES, minTimeout: 25, factor: 2, randomize: false },
      ).catch((error: unknown) => {
        if (!(error instanceof IncompleteRead)) throw error;
        throw new ObjectStoreError(
          `${bucket}/${key} is being written by another process or was left half-written by a crash (its metadata does not match its bytes); putting it again repairs it`,
          { retryable: true, code: 'IncompleteObject' },
        );
      }),
    );
  }

  async listKeys(bucket: string, prefix: string): Promise<string[]> {
    const { bucketDir } = await this.#bucket(bucket);
    const slash = prefix.lastIndexOf('/');
    const folder = slash < 0 ? '' : prefix.slice(0, slash);
    const partial = prefix.slice(slash + 1);
    if (prefix.includes('\0') || prefix.includes('\\') || prefix.startsWith('/')) assertKey(prefix, 'prefix');
    if (folder !== '') assertKey(folder, 'prefix');
    const keys: string[] = [];
    try {
      await walkKeys(folder === '' ? bucketDir : inside(bucketDir, folder), folder, partial, keys);
    } catch (error) {
      throw fileStoreError(error, `listing ${bucket}/${prefix}`);
    }
    return keys.filter((k) => k.startsWith(prefix)).sort(compareKeys);
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    const { bucketDir, metaDir } = await this.#bucket(bucket);
    assertKey(key);
    await this.#locked(bucket, key, async () => {
      try {
        await unlinkDurable(inside(bucketDir, key));
        await unlinkDurable(inside(metaDir, key));
      } catch (error) {
        throw fileStoreError(error, `deleting ${bucket}/${key}`);
      }
    });
  }

  /** The bucket's folders; NoSuchBucket when it does not exist. */
  async #bucket(bucket: string): Promise<{ bucketDir: string; metaDir: string }> {
    assertBucketName(bucket);
    if (!(await this.bucketExists(bucket))) {
      throw new ObjectStoreError(`bucket ${bucket} does not exist in the file object store at ${this.root}`, { retryable: false, code: 'NoSuchBucket' });
    }
    return { bucketDir: inside(this.root, bucket), metaDir: inside(this.#metaRoot, bucket) };
  }

  /** Runs `work` after every earlier operation on the same bucket and key has finished. */
  async #locked<T>(bucket: string, key: string, work: () => Promise<T>): Promise<T> {
    return this.#locks.runExclusive(`${bucket}/${key}`, work);
  }
}
