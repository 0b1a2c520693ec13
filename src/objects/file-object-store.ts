/**
 * The `file:` object store: S3 semantics on a local folder.
 *
 * Layout under the root (by default `<data-dir>/buckets/`):
 *
 *   <root>/<bucket>/<key>                    the object's bytes, exactly as stored
 *   <root>/.opentrail-meta/<bucket>/<key>    its sidecar: JSON with the user metadata, content type,
 *                                            encryption and the SHA-256 of the stored bytes
 *
 * `.opentrail-meta` can never be a bucket (bucket names begin with a letter or digit), so
 * `listKeys` never sees the sidecars, and a log file can be read with plain tools (`zcat`).
 *
 * Keys are relative paths inside the bucket folder. A key that could escape it, or that a file
 * system cannot hold as given, is refused (ObjectStoreError code InvalidKey): empty, absolute, a
 * NUL or a backslash, an empty, `.` or `..` segment, a segment over 255 bytes, over 1024 bytes in
 * all, or a segment beginning with `.opentrail-` (reserved for temporary files). Unlike S3, a
 * key cannot also be the "folder" of another key (`a` and `a/b`): the second put is refused
 * (code KeyConflict). CloudTrail's key layout never does that.
 *
 * Writes are atomic and durable: each file is written to a temporary file in its own folder,
 * fsynced, renamed over the target, and the folder is fsynced (new folders too). The sidecar is
 * written before the body and records the SHA-256 of the body, so a reader never pairs a body with
 * another put's metadata or encryption: on a mismatch (a put in progress in another process, or
 * one cut short by a crash, which the redone put repairs) `getObject` retries briefly and then
 * fails with a retryable error. Within one process puts, gets and deletes of a key are serialized.
 * A file placed in a bucket by hand (no sidecar) reads back with empty metadata.
 *
 * Encryption: `aws:kms` seals the body at rest with AES-256-GCM under a key derived from the
 * master key and the KmsKeyId (SecretBox.sealBytes), and `getObject` opens it. `AES256` (SSE-S3)
 * stores the bytes as they are: in S3 it is encryption at rest with keys the store manages,
 * invisible to every reader; the equivalent for a local folder is the file system's or the disk's
 * encryption, which only the operator can set up. The chosen type is recorded in the sidecar.
 *
 * Files are created 0600 and folders 0700: log files hold an account's history, which other local
 * users must not read (src/fs/private-files.ts).
 *
 * Temporary files left by a crash (`.opentrail-tmp-*`) are never listed or read; folders emptied
 * by deletes stay (S3 has no folders, so they are invisible to the port).
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import pRetry, { AbortError } from 'p-retry';
import { KeyedMutex } from '../concurrency/keyed-mutex.js';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../fs/private-files.js';
import type { SecretBox } from '../iam/secret-box.js';
import { assertBucketName, bucketNameProblem, compareKeys, ObjectStoreError } from './errors.js';
import type { ObjectEncryption, ObjectStore, PutObjectInput, StoredObject } from './object-store.js';

const META_DIR = '.opentrail-meta';
const RESERVED_PREFIX = '.opentrail-';
const TMP_PREFIX = '.opentrail-tmp-';
const MAX_KEY_BYTES = 1024;
const MAX_SEGMENT_BYTES = 255;
/** How often getObject re-reads a body whose sidecar does not match it yet. */
const MISMATCH_RETRIES = 4;

/** Where the default `file:` store keeps its buckets. */
export function fileStoreRoot(dataDir: string): string {
  return join(resolve(dataDir), 'buckets');
}

/** Why a key is refused by the file store, or undefined when it is fine. */
export function objectKeyProblem(key: string): string | undefined {
  if (key === '') return 'is empty';
  if (key.includes('\0')) return 'holds a NUL character';
  if (key.includes('\\')) return 'holds a backslash';
  if (key.startsWith('/')) return 'is absolute';
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) return `is longer than ${MAX_KEY_BYTES} bytes`;
  for (const segment of key.split('/')) {
    if (segment === '') return 'has an empty path segment';
    if (segment === '.' || segment === '..') return `has a "${segment}" path segment`;
    if (segment.startsWith(RESERVED_PREFIX)) return `has a segment beginning with "${RESERVED_PREFIX}" (reserved)`;
    if (Buffer.byteLength(segment, 'utf8') > MAX_SEGMENT_BYTES) return `has a path segment longer than ${MAX_SEGMENT_BYTES} bytes`;
  }
  return undefined;
}

function assertKey(key: string, what = 'key'): void {
  const problem = objectKeyProblem(key);
  if (problem !== undefined) {
    throw new ObjectStoreError(`invalid object ${what} ${JSON.stringify(key)}: it ${problem}`, { retryable: false, code: 'InvalidKey' });
  }
}

interface Sidecar {
  v: 1;
  sha256: string;
  size: number;
  contentType?: string;
  metadata: Record<string, string>;
  encryption: ObjectEncryption;
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function kmsContext(kmsKeyId: string): string {
  return `object-kms:${kmsKeyId}`;
}

/** Inside `base`, or a bug (validation above should have refused the name). */
function inside(base: string, relative: string): string {
  const path = resolve(base, relative);
  if (!path.startsWith(base + sep)) {
    throw new ObjectStoreError(`path ${JSON.stringify(relative)} escapes ${base}`, { retryable: false, code: 'InvalidKey' });
  }
  return path;
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** mkdir -p, then fsyncs every folder whose entries changed, so the new folders survive a crash. */
async function mkdirDurable(dir: string): Promise<void> {
  const first = await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (first === undefined) return;
  const changed: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    changed.push(dirname(d));
    if (d === first || dirname(d) === d) break;
  }
  for (const d of changed.reverse()) await fsyncDir(d);
}

/** Temporary file in the same folder → write → fsync → rename → fsync the folder. */
async function writeAtomic(file: string, data: Buffer): Promise<void> {
  const dir = dirname(file);
  await mkdirDurable(dir);
  const tmp = join(dir, TMP_PREFIX + randomBytes(8).toString('hex'));
  const handle = await open(tmp, 'wx', PRIVATE_FILE_MODE);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(tmp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  await fsyncDir(dir);
}

/** The file's bytes, or undefined when there is no regular file there (symbolic links are not followed). */
async function readIfFile(file: string): Promise<Buffer | undefined> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if (['ENOENT', 'ENOTDIR', 'ELOOP'].includes(errnoOf(error) ?? '')) return undefined;
    throw error;
  }
  try {
    if (!(await handle.stat()).isFile()) return undefined;
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

async function unlinkIfThere(file: string): Promise<boolean> {
  try {
    await unlink(file);
    return true;
  } catch (error) {
    // ENOENT/ENOTDIR: nothing there; EISDIR/EPERM: a folder of other keys, not an object.
    if (['ENOENT', 'ENOTDIR', 'EISDIR', 'EPERM'].includes(errnoOf(error) ?? '')) return false;
    throw error;
  }
}

/** File system errors as ObjectStoreErrors: conflicts with other keys are permanent, the rest may pass. */
function wrap(error: unknown, doing: string): ObjectStoreError {
  if (error instanceof ObjectStoreError) return error;
  const code = errnoOf(error);
  const message = `${doing}: ${error instanceof Error ? error.message : String(error)}`;
  if (code === 'EISDIR' || code === 'ENOTDIR' || code === 'EEXIST') {
    return new ObjectStoreError(`${message} (a key cannot also be the folder of other keys in the file store)`, { retryable: false, code: 'KeyConflict', cause: error });
  }
  if (code === 'ENAMETOOLONG') return new ObjectStoreError(message, { retryable: false, code: 'InvalidKey', cause: error });
  return new ObjectStoreError(message, { retryable: true, code: code ?? 'IOError', cause: error });
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
      throw wrap(error, `creating bucket ${bucket}`);
    }
  }

  /** The buckets, sorted by name. */
  async listBuckets(): Promise<string[]> {
    let entries;
    try {
      entries = await readdir(this.root, { withFileTypes: true });
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') return [];
      throw wrap(error, `listing buckets in ${this.root}`);
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
      throw wrap(error, `checking bucket ${bucket}`);
    }
  }

  async putObject(input: PutObjectInput): Promise<void> {
    const { bucketDir, metaDir } = await this.#bucket(input.bucket);
    assertKey(input.key);
    const encryption = input.encryption ?? { type: 'AES256' };
    let stored = input.body;
    if (encryption.type === 'aws:kms') {
      if (encryption.kmsKeyId === '') throw new ObjectStoreError('aws:kms encryption needs a KMS key id', { retryable: false, code: 'InvalidArgument' });
      stored = this.#box().sealBytes(input.body, kmsContext(encryption.kmsKeyId));
    }
    const sidecar: Sidecar = {
      v: 1,
      sha256: sha256(stored),
      size: stored.length,
      ...(input.contentType !== undefined && { contentType: input.contentType }),
      metadata: { ...input.metadata },
      encryption: encryption.type === 'aws:kms' ? { type: 'aws:kms', kmsKeyId: encryption.kmsKeyId } : { type: 'AES256' },
    };
    await this.#locked(input.bucket, input.key, async () => {
      try {
        await writeAtomic(inside(metaDir, input.key), Buffer.from(JSON.stringify(sidecar), 'utf8'));
        await writeAtomic(inside(bucketDir, input.key), stored);
      } catch (error) {
        throw wrap(error, `writing ${input.bucket}/${input.key}`);
      }
    });
  }

  async getObject(bucket: string, key: string): Promise<StoredObject | undefined> {
    const { bucketDir, metaDir } = await this.#bucket(bucket);
    assertKey(key);
    // A sidecar that does not match its bytes is a write in progress in another process (or a
    // crash's leftover): read again a few times, backing off, before calling the object incomplete.
    return this.#locked(bucket, key, () =>
      pRetry(
        async () => {
          let body: Buffer | undefined;
          let sidecarBytes: Buffer | undefined;
          try {
            body = await readIfFile(inside(bucketDir, key));
            if (body === undefined) return undefined;
            sidecarBytes = await readIfFile(inside(metaDir, key));
          } catch (error) {
            throw new AbortError(wrap(error, `reading ${bucket}/${key}`));
          }
          if (sidecarBytes === undefined) return { body, metadata: {} };
          let sidecar: Sidecar;
          let decoded: Buffer;
          try {
            sidecar = this.#parseSidecar(sidecarBytes, bucket, key);
            if (sidecar.sha256 !== sha256(body)) throw new IncompleteRead();
            decoded = this.#decode(body, sidecar, bucket, key);
          } catch (error) {
            if (error instanceof IncompleteRead) throw error;
            throw new AbortError(error instanceof Error ? error : String(error));
          }
          return { body: decoded, metadata: { ...sidecar.metadata } };
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
      await this.#walk(folder === '' ? bucketDir : inside(bucketDir, folder), folder, partial, keys);
    } catch (error) {
      throw wrap(error, `listing ${bucket}/${prefix}`);
    }
    return keys.filter((k) => k.startsWith(prefix)).sort(compareKeys);
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    const { bucketDir, metaDir } = await this.#bucket(bucket);
    assertKey(key);
    await this.#locked(bucket, key, async () => {
      try {
        const body = inside(bucketDir, key);
        if (await unlinkIfThere(body)) await fsyncDir(dirname(body));
        const meta = inside(metaDir, key);
        if (await unlinkIfThere(meta)) await fsyncDir(dirname(meta));
      } catch (error) {
        throw wrap(error, `deleting ${bucket}/${key}`);
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

  async #walk(dir: string, relative: string, partial: string, keys: string[]): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (errnoOf(error) === 'ENOENT' || errnoOf(error) === 'ENOTDIR') return;
      throw error;
    }
    for (const entry of entries) {
      if (entry.name.startsWith(RESERVED_PREFIX) || !entry.name.startsWith(partial)) continue;
      const key = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) await this.#walk(join(dir, entry.name), key, '', keys);
      else if (entry.isFile()) keys.push(key);
    }
  }

  #parseSidecar(bytes: Buffer, bucket: string, key: string): Sidecar {
    try {
      const parsed = JSON.parse(bytes.toString('utf8')) as Sidecar;
      if (parsed.v === 1 && typeof parsed.sha256 === 'string' && typeof parsed.metadata === 'object') return parsed;
    } catch {
      // reported below
    }
    throw new ObjectStoreError(`the metadata of ${bucket}/${key} in ${this.#metaRoot} is unreadable`, { retryable: false, code: 'CorruptObject' });
  }

  #decode(stored: Buffer, sidecar: Sidecar, bucket: string, key: string): Buffer {
    if (sidecar.encryption.type !== 'aws:kms') return stored;
    try {
      return this.#box().openBytes(stored, kmsContext(sidecar.encryption.kmsKeyId));
    } catch (error) {
      if (error instanceof ObjectStoreError) throw error;
      throw new ObjectStoreError(`cannot decrypt ${bucket}/${key} (KMS key ${sidecar.encryption.kmsKeyId}): wrong master key or tampered file`, {
        retryable: false,
        code: 'DecryptionFailed',
        cause: error,
      });
    }
  }

  #box(): SecretBox {
    if (this.#secretBox === undefined) {
      throw new ObjectStoreError('this file object store was opened without the master key; aws:kms objects need it', { retryable: false, code: 'NoMasterKey' });
    }
    return this.#secretBox;
  }

  /** Runs `work` after every earlier operation on the same bucket and key has finished. */
  #locked<T>(bucket: string, key: string, work: () => Promise<T>): Promise<T> {
    return this.#locks.runExclusive(`${bucket}/${key}`, work);
  }

}
