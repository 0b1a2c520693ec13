import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { objectStoreSuite } from '../../test/conformance/object-store.suite.js';
import { registerBucketsCommand } from '../cli/buckets-command.js';
import { ConfigError } from '../config/config.js';
import { SecretBox } from '../iam/secret-box.js';
import { FileObjectStore, fileStoreRoot } from './file-object-store.js';
import { objectKeyProblem } from './file-store/object-keys.js';
import { bucketNameProblem, ObjectStoreError } from './object-store.js';
import { openObjectStore } from './open-object-store.js';
import { S3ObjectStore } from './s3-object-store.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'opentrail-objects-'));
}

async function freshStore(box = new SecretBox(randomBytes(32))): Promise<{ store: FileObjectStore; bucket: string; dataDir: string }> {
  const dataDir = tempDir();
  const store = openObjectStore('file:', { dataDir, secretBox: box }) as FileObjectStore;
  const bucket = `trail-bucket-${randomBytes(4).toString('hex')}`;
  expect(await store.createBucket(bucket)).toBe(true);
  return { store, bucket, dataDir };
}

async function errorOf(work: Promise<unknown>): Promise<ObjectStoreError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ObjectStoreError);
  return error as ObjectStoreError;
}

/** Every file under dir, relative, for "nothing was written outside" checks. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

objectStoreSuite('file', { open: async () => freshStore() });

describe('FileObjectStore', () => {
  it('keeps bodies as plain files and metadata in a sidecar tree that listing never shows', async () => {
    const { store, bucket, dataDir } = await freshStore();
    await store.putObject({ bucket, key: 'AWSLogs/1/x.json.gz', body: Buffer.from('raw bytes'), metadata: { signature: 'abc' }, contentType: 'application/json' });
    const root = join(dataDir, 'buckets');
    expect(store.root).toBe(root);
    expect(readFileSync(join(root, bucket, 'AWSLogs/1/x.json.gz'), 'utf8')).toBe('raw bytes');
    const sidecar = JSON.parse(readFileSync(join(root, '.opentrail-meta', bucket, 'AWSLogs/1/x.json.gz'), 'utf8')) as Record<string, unknown>;
    expect(sidecar).toMatchObject({ v: 1, metadata: { signature: 'abc' }, contentType: 'application/json', encryption: { type: 'AES256' }, size: 9 });
    expect(filesUnder(root)).toEqual([`.opentrail-meta/${bucket}/AWSLogs/1/x.json.gz`, `${bucket}/AWSLogs/1/x.json.gz`]);
    // A temporary file left by a crash is neither listed nor readable as an object.
    writeFileSync(join(root, bucket, 'AWSLogs/1/.opentrail-tmp-0123456789abcdef'), 'partial');
    expect(await store.listKeys(bucket, '')).toEqual(['AWSLogs/1/x.json.gz']);
    expect(await store.listBuckets()).toEqual([bucket]);
  });

  it('encrypts aws:kms objects at rest under a key bound to the KMS key id and the master key', async () => {
    const box = new SecretBox(randomBytes(32));
    const { store, bucket, dataDir } = await freshStore(box);
    const body = Buffer.from('{"Records":[{"eventName":"ConsoleLogin"}]}');
    await store.putObject({ bucket, key: 'k.json', body, encryption: { type: 'aws:kms', kmsKeyId: 'alias/trail' } });
    const onDisk = readFileSync(join(dataDir, 'buckets', bucket, 'k.json'));
    expect(onDisk.includes(Buffer.from('ConsoleLogin'))).toBe(false);
    expect(box.openBytes(onDisk, 'object-kms:alias/trail').equals(body)).toBe(true);
    expect(() => box.openBytes(onDisk, 'object-kms:alias/other')).toThrow();
    expect((await store.getObject(bucket, 'k.json'))?.body.equals(body)).toBe(true);

    const otherKey = new FileObjectStore({ root: store.root, secretBox: new SecretBox(randomBytes(32)) });
    const wrongKey = await errorOf(otherKey.getObject(bucket, 'k.json'));
    expect(wrongKey.code).toBe('DecryptionFailed');
    expect(wrongKey.retryable).toBe(false);
    const noKey = new FileObjectStore({ root: store.root });
    expect((await errorOf(noKey.getObject(bucket, 'k.json'))).code).toBe('NoMasterKey');
    expect((await errorOf(noKey.putObject({ bucket, key: 'n', body, encryption: { type: 'aws:kms', kmsKeyId: 'k' } }))).code).toBe('NoMasterKey');
    expect((await errorOf(store.putObject({ bucket, key: 'n', body, encryption: { type: 'aws:kms', kmsKeyId: '' } }))).code).toBe('InvalidArgument');
  });

  it('refuses keys and buckets that could escape their folder, and writes nothing outside', async () => {
    const { store, bucket, dataDir } = await freshStore();
    const outside = tempDir();
    const before = filesUnder(dataDir);
    const badKeys = ['../x', '/abs', 'a/../../b', 'a\\b', 'a\0b', '', 'a//b', 'a/', './a', 'a/./b', '..', '.opentrail-tmp-1', 'a/.opentrail-meta/b', `../${outside}/x`, 'x'.repeat(1025), `${'s'.repeat(256)}/k`];
    for (const key of badKeys) {
      expect(objectKeyProblem(key), key).toBeDefined();
      // Started one at a time: a rejection not yet awaited would be reported as unhandled.
      for (const attempt of [
        async () => store.putObject({ bucket, key, body: Buffer.from('evil') }),
        async () => store.getObject(bucket, key),
        async () => store.deleteObject(bucket, key),
      ]) {
        const error = await errorOf(attempt());
        expect(error.code, key).toBe('InvalidKey');
        expect(error.retryable).toBe(false);
      }
    }
    for (const prefix of ['../', '/etc/', 'a/../../', 'a\\b', '\0']) {
      expect((await errorOf(store.listKeys(bucket, prefix))).code, prefix).toBe('InvalidKey');
    }
    for (const name of ['..', '.', '../etc', 'a/b', 'a\\b', 'a\0b', '/abs', 'UPPER', 'ab', '.opentrail-meta', 'bucket..name', '192.168.1.1', 'xn--bucket', 'bucket-s3alias']) {
      expect(bucketNameProblem(name), name).toBeDefined();
      expect(await store.bucketExists(name)).toBe(false);
      expect((await errorOf(store.createBucket(name))).code, name).toBe('InvalidBucketName');
      expect((await errorOf(store.putObject({ bucket: name, key: 'k', body: Buffer.from('evil') }))).code, name).toBe('InvalidBucketName');
      expect((await errorOf(store.getObject(name, 'k'))).code, name).toBe('InvalidBucketName');
      expect((await errorOf(store.listKeys(name, ''))).code, name).toBe('InvalidBucketName');
    }
    expect(filesUnder(dataDir)).toEqual(before);
    expect(filesUnder(outside)).toEqual([]);
    for (const good of ['abc', 'my.bucket-1', 'a'.repeat(63), '1bucket']) expect(bucketNameProblem(good), good).toBeUndefined();
    for (const good of ['a', 'a/b/c.json.gz', 'x..y', 'space and ünicode', '...', 'a/.hidden']) expect(objectKeyProblem(good), good).toBeUndefined();
  });

  it('reads a file placed by hand with empty metadata, and never follows a symbolic link', async () => {
    const { store, bucket, dataDir } = await freshStore();
    mkdirSync(join(dataDir, 'buckets', bucket, 'hand'), { recursive: true });
    writeFileSync(join(dataDir, 'buckets', bucket, 'hand', 'made.txt'), 'by hand');
    expect(await store.getObject(bucket, 'hand/made.txt')).toEqual({ body: Buffer.from('by hand'), metadata: {} });
    const { symlinkSync } = await import('node:fs');
    const secret = join(tempDir(), 'secret');
    writeFileSync(secret, 'secret');
    symlinkSync(secret, join(dataDir, 'buckets', bucket, 'link'));
    expect(await store.getObject(bucket, 'link')).toBeUndefined();
    expect(await store.listKeys(bucket, '')).toEqual(['hand/made.txt']);
  });

  it('detects a body that does not match its sidecar (a put cut short) and lets the redone put repair it', async () => {
    const { store, bucket, dataDir } = await freshStore();
    await store.putObject({ bucket, key: 'k', body: Buffer.from('old'), metadata: { v: 'old' } });
    const oldBody = readFileSync(join(dataDir, 'buckets', bucket, 'k'));
    await store.putObject({ bucket, key: 'k', body: Buffer.from('new'), metadata: { v: 'new' } });
    // As if the crash came between the sidecar's rename and the body's.
    writeFileSync(join(dataDir, 'buckets', bucket, 'k'), oldBody);
    const error = await errorOf(store.getObject(bucket, 'k'));
    expect(error.code).toBe('IncompleteObject');
    expect(error.retryable).toBe(true);
    await store.putObject({ bucket, key: 'k', body: Buffer.from('new'), metadata: { v: 'new' } });
    expect(await store.getObject(bucket, 'k')).toEqual({ body: Buffer.from('new'), metadata: { v: 'new' } });
  });

  it('refuses a key that is also the folder of another key', async () => {
    const { store, bucket } = await freshStore();
    await store.putObject({ bucket, key: 'a/b', body: Buffer.from('b') });
    const asFile = await errorOf(store.putObject({ bucket, key: 'a', body: Buffer.from('a') }));
    expect(asFile.code).toBe('KeyConflict');
    expect(asFile.retryable).toBe(false);
    await store.putObject({ bucket, key: 'c', body: Buffer.from('c') });
    expect((await errorOf(store.putObject({ bucket, key: 'c/d', body: Buffer.from('d') }))).code).toBe('KeyConflict');
    await store.deleteObject(bucket, 'a');
    expect(await store.listKeys(bucket, '')).toEqual(['a/b', 'c']);
  });

  it('creates buckets once and lists them', async () => {
    const root = join(tempDir(), 'nested', 'buckets');
    const store = new FileObjectStore({ root });
    expect(await store.listBuckets()).toEqual([]);
    expect(await store.createBucket('beta')).toBe(true);
    expect(await store.createBucket('alpha')).toBe(true);
    expect(await store.createBucket('alpha')).toBe(false);
    expect(await store.listBuckets()).toEqual(['alpha', 'beta']);
    expect(await store.bucketExists('alpha')).toBe(true);
  });

  it('opens the store a URL names', () => {
    const dataDir = tempDir();
    const secretBox = new SecretBox(randomBytes(32));
    expect((openObjectStore('file:', { dataDir, secretBox }) as FileObjectStore).root).toBe(fileStoreRoot(dataDir));
    expect((openObjectStore('', { dataDir, secretBox }) as FileObjectStore).root).toBe(join(dataDir, 'buckets'));
    expect((openObjectStore(`file:${dataDir}/elsewhere`, { dataDir, secretBox }) as FileObjectStore).root).toBe(join(dataDir, 'elsewhere'));
    expect((openObjectStore(`file://${dataDir}/other`, { dataDir, secretBox }) as FileObjectStore).root).toBe(join(dataDir, 'other'));
    const s3 = openObjectStore('s3:', { dataDir, secretBox });
    expect(s3).toBeInstanceOf(S3ObjectStore);
    expect(s3.kind).toBe('s3');
    (s3 as S3ObjectStore).destroy();
    expect(() => openObjectStore('ftp://x', { dataDir, secretBox })).toThrow(ConfigError);
  });
});

describe('opentrail buckets (file store CLI)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  async function run(...args: string[]): Promise<{ out: string; err: string; exitCode: number | string | undefined }> {
    let out = '';
    let err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      err += String(chunk);
      return true;
    });
    process.exitCode = undefined;
    const program = new Command('opentrail').exitOverride();
    registerBucketsCommand(program);
    await program.parseAsync(['node', 'opentrail', ...args]);
    const exitCode = process.exitCode;
    vi.restoreAllMocks();
    return { out, err, exitCode };
  }

  it('creates and lists buckets under <data-dir>/buckets', async () => {
    const dataDir = tempDir();
    const created = await run('buckets', 'create', 'trail-logs', '--data-dir', dataDir);
    expect(created).toMatchObject({ out: 'trail-logs\n', exitCode: undefined });
    expect(created.err).not.toMatch(/opentrail:/);
    expect(existsSync(join(dataDir, 'buckets', 'trail-logs'))).toBe(true);
    await run('buckets', 'create', 'another-bucket', '--data-dir', dataDir);
    expect((await run('buckets', 'list', '--data-dir', dataDir)).out).toBe('another-bucket\ntrail-logs\n');

    const again = await run('buckets', 'create', 'trail-logs', '--data-dir', dataDir);
    expect(again.exitCode).toBe(1);
    expect(again.err).toMatch(/already exists/);
    expect((await run('buckets', 'create', 'trail-logs', '--if-not-exists', '--data-dir', dataDir)).exitCode).toBeUndefined();

    const bad = await run('buckets', 'create', '../escape', '--data-dir', dataDir);
    expect(bad.exitCode).toBe(1);
    expect(bad.err).toMatch(/^opentrail: invalid bucket name "..\/escape"/);
    expect((await run('buckets', 'list', '--data-dir', tempDir())).out).toBe('');
  });
});
