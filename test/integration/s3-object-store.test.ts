/**
 * The s3: object store against a real moto server: the shared ObjectStore contract, the
 * server-side-encryption headers it sets, path-style addressing, configuration from the
 * environment as the AWS tools read it, and errors while the store is down.
 */
import { randomBytes } from 'node:crypto';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SecretBox } from '../../src/iam/secret-box.js';
import { isRetryableAwsError } from '../../src/objects/aws-sdk.js';
import { ObjectStoreError } from '../../src/objects/object-store.js';
import { openObjectStore } from '../../src/objects/open-object-store.js';
import { s3ClientConfig, S3ObjectStore } from '../../src/objects/s3-object-store.js';
import { objectStoreSuite } from '../conformance/object-store.suite.js';
import { motoAvailable, startMoto } from '../support/moto.js';
import type { MotoServer } from '../support/moto.js';

describe('s3ClientConfig', () => {
  it('reads endpoint and region the way the AWS tools do', () => {
    expect(s3ClientConfig({})).toMatchObject({ region: 'us-east-1' });
    expect(s3ClientConfig({}).endpoint).toBeUndefined();
    expect(s3ClientConfig({}).forcePathStyle).toBeUndefined();
    expect(s3ClientConfig({ AWS_DEFAULT_REGION: 'eu-west-1' }).region).toBe('eu-west-1');
    expect(s3ClientConfig({ AWS_DEFAULT_REGION: 'eu-west-1', AWS_REGION: 'ap-south-1' }).region).toBe('ap-south-1');
    expect(s3ClientConfig({ AWS_ENDPOINT_URL: 'http://127.0.0.1:1' })).toMatchObject({ endpoint: 'http://127.0.0.1:1', forcePathStyle: true });
    expect(s3ClientConfig({ AWS_ENDPOINT_URL: 'http://127.0.0.1:1', AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:2' }).endpoint).toBe('http://127.0.0.1:2');
    expect(s3ClientConfig({ AWS_ENDPOINT_URL: 'http://127.0.0.1:1', AWS_ENDPOINT_URL_S3: '' }).endpoint).toBe('http://127.0.0.1:1');
    expect(s3ClientConfig({ AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'SECRET' }).credentials).toEqual({ accessKeyId: 'AKID', secretAccessKey: 'SECRET' });
  });

  it('classifies SDK errors as retryable or not', () => {
    const withStatus = (name: string, status: number) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
    expect(isRetryableAwsError(withStatus('InternalError', 500))).toBe(true);
    expect(isRetryableAwsError(withStatus('SlowDown', 503))).toBe(true);
    expect(isRetryableAwsError(withStatus('TooManyRequestsException', 429))).toBe(true);
    expect(isRetryableAwsError(withStatus('Throttling', 400))).toBe(true);
    expect(isRetryableAwsError(withStatus('AccessDenied', 403))).toBe(false);
    expect(isRetryableAwsError(withStatus('NoSuchBucket', 404))).toBe(false);
    expect(isRetryableAwsError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isRetryableAwsError(new Error('wrapped', { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) }))).toBe(true);
    expect(isRetryableAwsError(Object.assign(new Error('no credentials'), { name: 'CredentialsProviderError' }))).toBe(false);
  });
});

describe.skipIf(!motoAvailable())('S3ObjectStore against moto', () => {
  let moto: MotoServer;
  let admin: S3Client;
  let store: S3ObjectStore;

  async function newBucket(): Promise<string> {
    const bucket = `opentrail-${randomBytes(6).toString('hex')}`;
    await admin.send(new CreateBucketCommand({ Bucket: bucket }));
    return bucket;
  }

  beforeAll(async () => {
    moto = await startMoto();
    admin = new S3Client(moto.clientConfig);
    store = new S3ObjectStore({ env: moto.env });
  });

  afterAll(async () => {
    store?.destroy();
    admin?.destroy();
    await moto?.stop();
  });

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  objectStoreSuite('s3 (moto)', { open: async () => ({ store, bucket: await newBucket() }) });

  it('asks for SSE-S3 by default and SSE-KMS with the key id, as a plain client sees', async () => {
    const bucket = await newBucket();
    const kmsKeyId = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    await store.putObject({ bucket, key: 'default.json.gz', body: Buffer.from('a'), contentType: 'application/json', metadata: { signature: 'abc' } });
    await store.putObject({ bucket, key: 'sse.json.gz', body: Buffer.from('b'), encryption: { type: 'AES256' } });
    await store.putObject({ bucket, key: 'kms.json.gz', body: Buffer.from('c'), encryption: { type: 'aws:kms', kmsKeyId } });

    const head = await admin.send(new HeadObjectCommand({ Bucket: bucket, Key: 'default.json.gz' }));
    expect(head.ServerSideEncryption).toBe('AES256');
    expect(head.ContentType).toBe('application/json');
    expect(head.Metadata).toEqual({ signature: 'abc' });
    expect((await admin.send(new HeadObjectCommand({ Bucket: bucket, Key: 'sse.json.gz' }))).ServerSideEncryption).toBe('AES256');
    const kms = await admin.send(new GetObjectCommand({ Bucket: bucket, Key: 'kms.json.gz' }));
    expect(kms.ServerSideEncryption).toBe('aws:kms');
    expect(kms.SSEKMSKeyId).toBe(kmsKeyId);
    expect(await kms.Body?.transformToString()).toBe('c');
  });

  it('addresses buckets path-style at the configured endpoint, as seen on the wire', async () => {
    const bucket = await newBucket();
    // A recording proxy in front of moto: what request line and Host does the store send?
    const seen: { method: string; url: string; host: string }[] = [];
    const proxy = createServer((request, response) => {
      seen.push({ method: request.method ?? '', url: (request.url ?? '').replace(/\?x-id=\w+$/, ''), host: request.headers.host ?? '' });
      const upstream = httpRequest(`${moto.url}${request.url ?? '/'}`, { method: request.method, headers: request.headers }, (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      });
      request.pipe(upstream);
    });
    await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done));
    const port = (proxy.address() as AddressInfo).port;
    const viaProxy = new S3ObjectStore({ env: { ...moto.env, AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}` } });
    try {
      await viaProxy.putObject({ bucket, key: 'dir/file name.json.gz', body: Buffer.from('path style') });
      expect((await viaProxy.getObject(bucket, 'dir/file name.json.gz'))?.body.toString()).toBe('path style');
      expect(await viaProxy.listKeys(bucket, 'dir/')).toEqual(['dir/file name.json.gz']);
      expect(seen.slice(0, 2)).toEqual([
        { method: 'PUT', url: `/${bucket}/dir/file%20name.json.gz`, host: `127.0.0.1:${port}` },
        { method: 'GET', url: `/${bucket}/dir/file%20name.json.gz`, host: `127.0.0.1:${port}` },
      ]);
      expect(seen[2]?.url.startsWith(`/${bucket}/?list-type=2`)).toBe(true);
      // And the object is where a path-style client of moto itself finds it.
      const plain = await admin.send(new GetObjectCommand({ Bucket: bucket, Key: 'dir/file name.json.gz' }));
      expect(await plain.Body?.transformToString()).toBe('path style');
    } finally {
      viaProxy.destroy();
      proxy.closeAllConnections();
      await new Promise((done) => proxy.close(done));
    }
  });

  it('is configured from the process environment by openObjectStore("s3:")', async () => {
    const bucket = await newBucket();
    vi.stubEnv('AWS_ENDPOINT_URL', 'http://127.0.0.1:9'); // S3's own endpoint variable wins over this dead one
    vi.stubEnv('AWS_ENDPOINT_URL_S3', moto.url);
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'testing');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'testing');
    const fromEnv = openObjectStore('s3:', { dataDir: '/nonexistent', secretBox: new SecretBox(randomBytes(32)) }) as S3ObjectStore;
    try {
      expect(await fromEnv.bucketExists(bucket)).toBe(true);
      await fromEnv.putObject({ bucket, key: 'env', body: Buffer.from('env') });
      expect((await fromEnv.getObject(bucket, 'env'))?.body.toString()).toBe('env');
    } finally {
      fromEnv.destroy();
    }
  });

  it('fails with a retryable error while the store is down, and works again after it is back', async () => {
    const own = await startMoto();
    const ownAdmin = new S3Client(own.clientConfig);
    const ownStore = new S3ObjectStore({ env: own.env });
    try {
      await ownAdmin.send(new CreateBucketCommand({ Bucket: 'outage-bucket' }));
      await ownStore.putObject({ bucket: 'outage-bucket', key: 'before', body: Buffer.from('1') });
      const pid = own.pid;
      await own.stop();
      expect(own.pid).toBeUndefined();
      const error = await ownStore.putObject({ bucket: 'outage-bucket', key: 'during', body: Buffer.from('2') }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ObjectStoreError);
      expect((error as ObjectStoreError).retryable).toBe(true);
      expect((error as ObjectStoreError).message).toMatch(/ECONNREFUSED/);

      await own.start(); // same port and URL, new process, empty state
      expect(own.pid).not.toBe(pid);
      expect(await ownStore.bucketExists('outage-bucket')).toBe(false);
      await ownAdmin.send(new CreateBucketCommand({ Bucket: 'outage-bucket' }));
      await ownStore.putObject({ bucket: 'outage-bucket', key: 'after', body: Buffer.from('3') });
      expect(await ownStore.listKeys('outage-bucket', '')).toEqual(['after']);
    } finally {
      ownStore.destroy();
      ownAdmin.destroy();
      await own.stop();
    }
  });
});
