/**
 * The plain signed GetObject validate-logs uses at a configured endpoint: the same bytes and
 * metadata as the SDK reads, for keys with characters that need encoding; missing keys and
 * buckets as the S3 store reports them; throttling tried again.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectStoreError } from '../../src/objects/object-store.js';
import { directGetObject } from '../../src/objects/s3-direct-get.js';
import { S3ObjectStore } from '../../src/objects/s3-object-store.js';
import { motoAvailable, startMoto } from '../support/moto.js';
import type { MotoServer } from '../support/moto.js';

const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const direct = (endpoint: string) => directGetObject({ endpoint, region: async () => 'us-east-1', credentials: async () => credentials });

describe.skipIf(!motoAvailable())('directGetObject against moto', () => {
  let moto: MotoServer;
  let s3: S3Client;
  beforeAll(async () => {
    moto = await startMoto();
    s3 = new S3Client(moto.clientConfig);
    await s3.send(new CreateBucketCommand({ Bucket: 'direct-get' }));
  });
  afterAll(async () => {
    s3?.destroy();
    await moto?.stop();
  });

  it('reads what the SDK reads, bytes and user metadata, whatever the key holds', async () => {
    const store = new S3ObjectStore({ client: s3 });
    const reader = direct(moto.url);
    try {
      const keys = ['AWSLogs/1/CloudTrail/a.json.gz', 'with space/and+plus/x=1&y', "bang!quote'(paren)*star", 'ünïcode/ключ', 'a//double/slash'];
      for (const [i, key] of keys.entries()) {
        await s3.send(new PutObjectCommand({ Bucket: 'direct-get', Key: key, Body: Buffer.from(`body ${i}`), Metadata: { signature: `ab${i}`, 'signature-algorithm': 'SHA256withRSA' } }));
      }
      for (const key of keys) {
        const got = await reader.getObject('direct-get', key);
        expect(got).toEqual(await store.getObject('direct-get', key));
        expect(got?.metadata['signature-algorithm']).toBe('SHA256withRSA');
      }
    } finally {
      reader.destroy();
    }
  });

  it('answers undefined for a missing key and NoSuchBucket for a missing bucket', async () => {
    const reader = direct(moto.url);
    try {
      expect(await reader.getObject('direct-get', 'no/such/key')).toBeUndefined();
      await expect(reader.getObject('no-such-bucket-here', 'k')).rejects.toMatchObject({ name: 'ObjectStoreError', code: 'NoSuchBucket' });
    } finally {
      reader.destroy();
    }
  });
});

describe('directGetObject against a stub store', () => {
  it('tries again after SlowDown, and signs its requests', async () => {
    const seen: { url: string | undefined; authorization: string | undefined }[] = [];
    const server = createServer((req, res) => {
      seen.push({ url: req.url, authorization: req.headers.authorization });
      if (seen.length === 1) {
        res.writeHead(503, { 'content-type': 'application/xml' }).end('<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>');
      } else {
        res.writeHead(200, { 'x-amz-meta-signature': 'cafe' }).end('ok');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const reader = direct(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    try {
      expect(await reader.getObject('bucket', 'a b/c')).toEqual({ body: Buffer.from('ok'), metadata: { signature: 'cafe' } });
      expect(seen.map((s) => s.url)).toEqual(['/bucket/a%20b/c', '/bucket/a%20b/c']);
      expect(seen[1]!.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=testing\/\d{8}\/us-east-1\/s3\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/);
    } finally {
      reader.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('fails with a retryable ObjectStoreError when nothing answers', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    const reader = direct(`http://127.0.0.1:${port}`);
    try {
      const error: unknown = await reader.getObject('bucket', 'k').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ObjectStoreError);
      expect((error as ObjectStoreError).retryable).toBe(true);
    } finally {
      reader.destroy();
    }
  });
});
