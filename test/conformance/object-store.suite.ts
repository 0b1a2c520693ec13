/**
 * The ObjectStore contract, as one suite every adapter runs (file: and s3: against moto).
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ObjectStore } from '../../src/objects/object-store.js';
import { ObjectStoreError } from '../../src/objects/object-store.js';

export interface ObjectStoreFactory {
  /** A store and the name of a new, empty bucket in it. */
  open(): Promise<{ store: ObjectStore; bucket: string }>;
  /** Keys to put for the many-keys test: more than one S3 listing page (1000). */
  manyKeys?: number;
}

async function expectStoreError(work: Promise<unknown>, code: string): Promise<ObjectStoreError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ObjectStoreError);
  expect((error as ObjectStoreError).code).toBe(code);
  return error as ObjectStoreError;
}

/** Runs `work` over items with at most `limit` at once. */
async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

const LOG_KEY = 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/01/111122223333_CloudTrail_us-east-1_20261101T0210Z_Mu0KsOhtH1ar15ZZ.json.gz';

export function objectStoreSuite(name: string, factory: ObjectStoreFactory): void {
  describe(`ObjectStore contract: ${name}`, () => {
    it('puts and gets bytes exactly, including an empty body', async () => {
      const { store, bucket } = await factory.open();
      const body = randomBytes(64 * 1024 + 17);
      await store.putObject({ bucket, key: LOG_KEY, body, contentType: 'application/json' });
      const got = await store.getObject(bucket, LOG_KEY);
      expect(got?.body.equals(body)).toBe(true);
      expect(got?.metadata).toEqual({});
      await store.putObject({ bucket, key: 'empty', body: Buffer.alloc(0) });
      expect((await store.getObject(bucket, 'empty'))?.body).toHaveLength(0);
    });

    it('replaces an object written again under the same key', async () => {
      const { store, bucket } = await factory.open();
      await store.putObject({ bucket, key: 'a/b.json.gz', body: Buffer.from('first'), metadata: { signature: 'one' } });
      await store.putObject({ bucket, key: 'a/b.json.gz', body: Buffer.from('second, longer'), metadata: { other: 'two' } });
      const got = await store.getObject(bucket, 'a/b.json.gz');
      expect(got?.body.toString()).toBe('second, longer');
      expect(got?.metadata).toEqual({ other: 'two' });
      // A redo after a crash writes the identical bytes again: still one object, same content.
      await store.putObject({ bucket, key: 'a/b.json.gz', body: Buffer.from('second, longer'), metadata: { other: 'two' } });
      expect(await store.listKeys(bucket, '')).toEqual(['a/b.json.gz']);
      expect((await store.getObject(bucket, 'a/b.json.gz'))?.body.toString()).toBe('second, longer');
    });

    it('round-trips user metadata (digest signatures live there)', async () => {
      const { store, bucket } = await factory.open();
      const metadata = { signature: 'ab'.repeat(256), 'signature-algorithm': 'SHA256withRSA', empty: '' };
      await store.putObject({ bucket, key: 'digest.json.gz', body: Buffer.from('{}'), metadata });
      expect((await store.getObject(bucket, 'digest.json.gz'))?.metadata).toEqual(metadata);
    });

    it('lists keys under a prefix in ascending byte order, with partial segments', async () => {
      const { store, bucket } = await factory.open();
      const keys = ['logs/2026/01/b', 'logs/2026/01/a', 'logs/2026/02/z', 'logs/2027/01/a', 'logs/2026/01/B', 'logs/2026/01/é', 'logs/2026/01/z', 'other/x', 'logs-not/x', 'top'];
      for (const key of keys) await store.putObject({ bucket, key, body: Buffer.from(key) });
      expect(await store.listKeys(bucket, '')).toEqual([...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
      expect(await store.listKeys(bucket, 'logs/2026/01/')).toEqual(['logs/2026/01/B', 'logs/2026/01/a', 'logs/2026/01/b', 'logs/2026/01/z', 'logs/2026/01/é']);
      expect(await store.listKeys(bucket, 'logs/2026/0')).toEqual([
        'logs/2026/01/B',
        'logs/2026/01/a',
        'logs/2026/01/b',
        'logs/2026/01/z',
        'logs/2026/01/é',
        'logs/2026/02/z',
      ]);
      expect(await store.listKeys(bucket, 'logs')).toHaveLength(8);
      expect(await store.listKeys(bucket, 'logs/')).toHaveLength(7);
      expect(await store.listKeys(bucket, 'logs/2026/01/a')).toEqual(['logs/2026/01/a']);
      expect(await store.listKeys(bucket, 'nothing/here/')).toEqual([]);
      expect(await store.listKeys(bucket, 'to')).toEqual(['top']);
    });

    it('lists many keys, past one listing page', async () => {
      const { store, bucket } = await factory.open();
      const count = factory.manyKeys ?? 1100;
      const keys = Array.from({ length: count }, (_, i) => `many/${String(i % 7)}/${String(i).padStart(5, '0')}.json.gz`);
      await inParallel(keys, 16, async (key) => store.putObject({ bucket, key, body: Buffer.from(key) }));
      const listed = await store.listKeys(bucket, 'many/');
      expect(listed).toHaveLength(count);
      expect(listed).toEqual([...keys].sort());
      expect(await store.listKeys(bucket, 'many/3/')).toEqual(keys.filter((k) => k.startsWith('many/3/')).sort());
    });

    it('answers undefined for a missing object and deletes idempotently', async () => {
      const { store, bucket } = await factory.open();
      expect(await store.getObject(bucket, 'missing/key.json.gz')).toBeUndefined();
      await store.putObject({ bucket, key: 'x/y', body: Buffer.from('y') });
      expect(await store.getObject(bucket, 'x')).toBeUndefined();
      await store.deleteObject(bucket, 'x/y');
      expect(await store.getObject(bucket, 'x/y')).toBeUndefined();
      expect(await store.listKeys(bucket, '')).toEqual([]);
      await store.deleteObject(bucket, 'x/y');
      await store.deleteObject(bucket, 'never/was');
    });

    it('knows which buckets exist, and refuses to work in one that does not', async () => {
      const { store, bucket } = await factory.open();
      expect(await store.bucketExists(bucket)).toBe(true);
      const missing = `${bucket.slice(0, 40)}-missing`;
      expect(await store.bucketExists(missing)).toBe(false);
      expect(await store.bucketExists('Not_A_Valid_Bucket')).toBe(false);
      expect(await store.bucketExists('..')).toBe(false);
      await expectStoreError(store.getObject(missing, 'k'), 'NoSuchBucket');
      await expectStoreError(store.listKeys(missing, ''), 'NoSuchBucket');
      const put = await expectStoreError(store.putObject({ bucket: missing, key: 'k', body: Buffer.from('k') }), 'NoSuchBucket');
      expect(put.retryable).toBe(false);
      await expectStoreError(store.putObject({ bucket: 'Bad_Name', key: 'k', body: Buffer.from('k') }), 'InvalidBucketName');
    });

    it('round-trips encrypted objects (SSE-S3 by default, SSE-KMS with a key id)', async () => {
      const { store, bucket } = await factory.open();
      const body = randomBytes(4096);
      const kmsKeyId = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
      await store.putObject({ bucket, key: 'kms/file.json.gz', body, encryption: { type: 'aws:kms', kmsKeyId }, metadata: { signature: 'sig' } });
      await store.putObject({ bucket, key: 'sse/file.json.gz', body, encryption: { type: 'AES256' } });
      const kms = await store.getObject(bucket, 'kms/file.json.gz');
      expect(kms?.body.equals(body)).toBe(true);
      expect(kms?.metadata).toEqual({ signature: 'sig' });
      expect((await store.getObject(bucket, 'sse/file.json.gz'))?.body.equals(body)).toBe(true);
      // The same key rewritten without KMS reads back plain, and the other way round.
      await store.putObject({ bucket, key: 'kms/file.json.gz', body: Buffer.from('plain now') });
      expect((await store.getObject(bucket, 'kms/file.json.gz'))?.body.toString()).toBe('plain now');
      await store.putObject({ bucket, key: 'sse/file.json.gz', body: Buffer.from('sealed now'), encryption: { type: 'aws:kms', kmsKeyId: 'alias/other' } });
      expect((await store.getObject(bucket, 'sse/file.json.gz'))?.body.toString()).toBe('sealed now');
    });

    it('takes concurrent puts of different keys', async () => {
      const { store, bucket } = await factory.open();
      const keys = Array.from({ length: 40 }, (_, i) => `c/${i}`);
      await Promise.all(keys.map(async (key) => store.putObject({ bucket, key, body: Buffer.from(key) })));
      const bodies = await Promise.all(keys.map(async (key) => (await store.getObject(bucket, key))?.body.toString()));
      expect(bodies).toEqual(keys);
    });
  });
}
