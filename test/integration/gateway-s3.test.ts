/**
 * The gateway in front of a real, independent S3 API (a moto server): the AWS SDK for
 * JavaScript signs with OpenTrail credentials, OpenTrail verifies, authorizes, forwards
 * re-signed with moto's credentials, and records each call as CloudTrail would. Checked
 * against moto directly (the effect) and against LookupEvents and a trail's log files (the record).
 */
import { CreateTrailCommand, LookupEventsCommand, PutEventSelectorsCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreatePolicyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { join } from 'node:path';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdminCli } from '../support/admin-cli.js';
import { clientOptions, cloudTrailClient } from '../support/clients.js';
import { bucketKeys, eventually, readLogFile } from '../support/log-files.js';
import { getAsWritten } from '../support/http-as-written.js';
import { motoAvailable, startMoto } from '../support/moto.js';
import type { MotoServer } from '../support/moto.js';
import { startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

const hasMoto = motoAvailable();
const ACCOUNT = '111122223333';

let moto: MotoServer;
let server: ServerProcess;
let s3: S3Client;
let direct: S3Client;
let trails: CloudTrailClient;

type Record = { [field: string]: unknown };

async function lookup(eventName: string): Promise<Record[]> {
  const page = await trails.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: eventName }], MaxResults: 50 }));
  return (page.Events ?? []).map((e) => JSON.parse(e.CloudTrailEvent!) as Record);
}

async function s3Error(promise: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof S3ServiceException) return error;
    throw error;
  }
  throw new Error('the call succeeded');
}

function trailRecords(): Record[] {
  const dir = join(server.dataDir, 'buckets', 'audit');
  return bucketKeys(dir)
    .filter((key) => key.endsWith('.json.gz') && key.includes('/CloudTrail/'))
    .flatMap((key) => readLogFile(dir, key));
}

describe.skipIf(!hasMoto)('the gateway in front of S3 (moto)', () => {
  beforeAll(async () => {
    moto = await startMoto();
    server = await startServer({
      accountId: ACCOUNT,
      args: ['--upstream', `s3=${moto.url}`, '--delivery-interval', '1'],
      // The upstream's own credentials come from the server's AWS credential chain.
      env: { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' },
    });
    s3 = new S3Client({ ...clientOptions(server), forcePathStyle: true });
    direct = new S3Client(moto.clientConfig);
    trails = cloudTrailClient(server);
    runAdminCli(server.dataDir, 'buckets', 'create', 'audit');
    await trails.send(new CreateTrailCommand({ Name: 'everything', S3BucketName: 'audit' }));
    await trails.send(
      new PutEventSelectorsCommand({
        TrailName: 'everything',
        EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::finance/'] }] }],
      }),
    );
    await trails.send(new StartLoggingCommand({ Name: 'everything' }));
  }, 60_000);

  afterAll(async () => {
    s3?.destroy();
    direct?.destroy();
    trails?.destroy();
    await server?.stop();
    await moto?.stop();
  });

  it('forwards CreateBucket to the upstream and records it as a management event', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'finance' }));
    const buckets = await direct.send(new ListBucketsCommand({}));
    expect(buckets.Buckets?.map((b) => b.Name)).toContain('finance');

    const [record] = await lookup('CreateBucket');
    expect(record).toMatchObject({
      eventSource: 's3.amazonaws.com',
      eventName: 'CreateBucket',
      eventCategory: 'Management',
      managementEvent: true,
      readOnly: false,
      recipientAccountId: ACCOUNT,
      userIdentity: { type: 'IAMUser', accountId: ACCOUNT, accessKeyId: server.accessKeyId },
      requestParameters: { bucketName: 'finance' },
    });
    expect(record!.requestParameters).toHaveProperty('Host');
    expect(record!.additionalEventData).toMatchObject({ SignatureVersion: 'SigV4', AuthenticationMethod: 'AuthHeader' });
    // CloudTrail's CreateBucket records carry no resources member; the history still names the bucket.
    expect(record).not.toHaveProperty('resources');
    // LookupEvents finds the bucket by its name, as CloudTrail shows it.
    const byName = await trails.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: 'finance' }] }));
    expect(byName.Events?.map((e) => e.EventName)).toContain('CreateBucket');
  });

  it('streams PutObject and GetObject through, with the data events delivered by the trail that selects them', async () => {
    const body = Buffer.alloc(256 * 1024, 7);
    await s3.send(new PutObjectCommand({ Bucket: 'finance', Key: 'q3.pdf', Body: body }));
    const stored = await direct.send(new GetObjectCommand({ Bucket: 'finance', Key: 'q3.pdf' }));
    expect(Buffer.from(await stored.Body!.transformToByteArray()).equals(body)).toBe(true);

    const got = await s3.send(new GetObjectCommand({ Bucket: 'finance', Key: 'q3.pdf' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body)).toBe(true);
    const ranged = await s3.send(new GetObjectCommand({ Bucket: 'finance', Key: 'q3.pdf', Range: 'bytes=10-19' }));
    expect(ranged.ContentRange).toBe(`bytes 10-19/${body.length}`);
    expect((await ranged.Body!.transformToByteArray()).length).toBe(10);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'finance', Key: 'q3.pdf' }));
    expect(head.ContentLength).toBe(body.length);

    // Data events are not in the event history; the trail selecting them delivers them.
    expect(await lookup('PutObject')).toEqual([]);
    const delivered = await eventually(() => {
      const records = trailRecords().filter((r) => r.eventName === 'PutObject' || r.eventName === 'GetObject');
      return records.length >= 3 ? records : undefined;
    }, 30_000, 'PutObject and GetObject in the trail');
    const put = delivered.find((r) => r.eventName === 'PutObject')!;
    expect(put).toMatchObject({
      eventCategory: 'Data',
      managementEvent: false,
      readOnly: false,
      requestParameters: { bucketName: 'finance', key: 'q3.pdf' },
      resources: [
        { type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::finance/q3.pdf' },
        { accountId: ACCOUNT, type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::finance' },
      ],
    });
    expect(put.additionalEventData).toMatchObject({ bytesTransferredIn: body.length });
    const get = delivered.find((r) => r.eventName === 'GetObject' && (r.additionalEventData as Record).bytesTransferredOut === body.length);
    expect(get).toBeDefined();
    expect(typeof get!.requestID).toBe('string');
  });

  it('passes the upstream\'s errors and 304s through, and records the error', async () => {
    const missing = await s3Error(s3.send(new GetObjectCommand({ Bucket: 'finance', Key: 'no-such.pdf' })));
    expect(missing.name).toBe('NoSuchKey');
    expect(missing.$metadata.httpStatusCode).toBe(404);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'finance', Key: 'q3.pdf' }));
    const notModified = await s3Error(s3.send(new GetObjectCommand({ Bucket: 'finance', Key: 'q3.pdf', IfNoneMatch: head.ETag })));
    expect(notModified.$metadata.httpStatusCode).toBe(304);
    const records = await eventually(() => {
      const found = trailRecords().filter((r) => r.eventName === 'GetObject' && r.errorCode === 'NoSuchKey');
      return found.length > 0 ? found : undefined;
    }, 30_000, 'the failed GetObject in the trail');
    expect(records[0]).toMatchObject({ requestParameters: { bucketName: 'finance', key: 'no-such.pdf' } });
  });

  it('lists, copies and deletes objects; a multipart upload completes and one aborted leaves nothing', async () => {
    await s3.send(new CopyObjectCommand({ Bucket: 'finance', Key: 'copy.pdf', CopySource: 'finance/q3.pdf' }));
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'finance' }));
    expect(listed.Contents?.map((o) => o.Key).sort()).toEqual(['copy.pdf', 'q3.pdf']);
    await s3.send(new DeleteObjectCommand({ Bucket: 'finance', Key: 'copy.pdf' }));

    const part = Buffer.alloc(5 * 1024 * 1024, 1);
    const upload = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'finance', Key: 'big.bin' }));
    const one = await s3.send(new UploadPartCommand({ Bucket: 'finance', Key: 'big.bin', UploadId: upload.UploadId, PartNumber: 1, Body: part }));
    const two = await s3.send(new UploadPartCommand({ Bucket: 'finance', Key: 'big.bin', UploadId: upload.UploadId, PartNumber: 2, Body: Buffer.from('tail') }));
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'finance',
        Key: 'big.bin',
        UploadId: upload.UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: one.ETag }, { PartNumber: 2, ETag: two.ETag }] },
      }),
    );
    const big = await direct.send(new HeadObjectCommand({ Bucket: 'finance', Key: 'big.bin' }));
    expect(big.ContentLength).toBe(part.length + 4);
    const aborted = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'finance', Key: 'gone.bin' }));
    await s3.send(new AbortMultipartUploadCommand({ Bucket: 'finance', Key: 'gone.bin', UploadId: aborted.UploadId }));

    const names = await eventually(() => {
      const seen = new Set(trailRecords().map((r) => r.eventName));
      const wanted = ['CopyObject', 'ListObjects', 'DeleteObject', 'CreateMultipartUpload', 'UploadPart', 'CompleteMultipartUpload', 'AbortMultipartUpload'];
      return wanted.every((n) => seen.has(n)) ? wanted : undefined;
    }, 30_000, 'the object calls in the trail');
    expect(names).toHaveLength(7);
  });

  it('verifies presigned URLs: a valid one is forwarded, a tampered or expired one is refused', async () => {
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'finance', Key: 'q3.pdf' }), { expiresIn: 60 });
    const ok = await fetch(url);
    expect(ok.status).toBe(200);
    expect((await ok.arrayBuffer()).byteLength).toBe(256 * 1024);
    const tampered = await fetch(url.replace('q3.pdf', 'q4.pdf'));
    expect(tampered.status).toBe(403);
    expect(await tampered.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    const old = await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'finance', Key: 'q3.pdf' }), { expiresIn: 1, signingDate: new Date(Date.now() - 3_600_000) });
    const expired = await fetch(old);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('<Code>AccessDenied</Code>');
    const records = await eventually(() => {
      const found = trailRecords().filter((r) => r.eventName === 'GetObject' && (r.additionalEventData as Record).AuthenticationMethod === 'QueryString');
      return found.length >= 1 ? found : undefined;
    }, 30_000, 'the presigned GetObject in the trail');
    expect(records[0]!.requestParameters).not.toHaveProperty('X-Amz-Signature');
  });

  it('a user allowed only s3:GetObject on one prefix reads there, is denied elsewhere without the call reaching S3, and both are recorded', async () => {
    await direct.send(new PutObjectCommand({ Bucket: 'finance', Key: 'reports/a.txt', Body: 'a' }));
    await direct.send(new PutObjectCommand({ Bucket: 'finance', Key: 'secret/b.txt', Body: 'b' }));
    const iam = new IAMClient(clientOptions(server));
    await iam.send(new CreateUserCommand({ UserName: 'reader' }));
    const policy = await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'reports-read',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::finance/reports/*' }] }),
      }),
    );
    await iam.send(new AttachUserPolicyCommand({ UserName: 'reader', PolicyArn: policy.Policy!.Arn }));
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'reader' }));
    iam.destroy();
    const reader = new S3Client({
      ...clientOptions(server, { accessKeyId: key.AccessKey!.AccessKeyId, secretAccessKey: key.AccessKey!.SecretAccessKey }),
      forcePathStyle: true,
    });
    const allowed = await reader.send(new GetObjectCommand({ Bucket: 'finance', Key: 'reports/a.txt' }));
    expect(await allowed.Body!.transformToString()).toBe('a');
    const denied = await s3Error(reader.send(new GetObjectCommand({ Bucket: 'finance', Key: 'secret/b.txt' })));
    expect(denied.name).toBe('AccessDenied');
    expect(denied.$metadata.httpStatusCode).toBe(403);
    // A denied write never reaches S3.
    const deniedPut = await s3Error(reader.send(new PutObjectCommand({ Bucket: 'finance', Key: 'reports/evil.txt', Body: 'x' })));
    expect(deniedPut.name).toBe('AccessDenied');
    const afterDenied = await direct.send(new ListObjectsV2Command({ Bucket: 'finance', Prefix: 'reports/' }));
    expect(afterDenied.Contents?.map((o) => o.Key)).toEqual(['reports/a.txt']);
    reader.destroy();

    const records = await eventually(() => {
      const mine = trailRecords().filter((r) => (r.userIdentity as Record).userName === 'reader');
      return mine.length >= 3 ? mine : undefined;
    }, 30_000, "the reader's calls in the trail");
    expect(records.find((r) => r.eventName === 'GetObject' && r.errorCode === undefined)).toMatchObject({ requestParameters: { key: 'reports/a.txt' } });
    expect(records.find((r) => r.eventName === 'GetObject' && r.errorCode === 'AccessDenied')).toMatchObject({ requestParameters: { key: 'secret/b.txt' } });
    expect(records.find((r) => r.eventName === 'PutObject')).toMatchObject({ errorCode: 'AccessDenied' });
  });

  it('answers a virtual-hosted-style request for the bucket in the Host', async () => {
    // Signed for `finance.localhost:<port>` as an SDK with virtual-hosted addressing signs it,
    // sent to the server's loopback address (names under .localhost need not resolve here).
    const port = new URL(server.url).port;
    const signer = new SignatureV4({
      service: 's3',
      region: 'us-east-1',
      credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
      sha256: Sha256,
      uriEscapePath: false,
    });
    const signed = await signer.sign(
      new HttpRequest({
        method: 'GET',
        protocol: 'http:',
        hostname: 'finance.localhost',
        port: Number(port),
        path: '/',
        query: { 'list-type': '2', prefix: 'reports/' },
        headers: { host: `finance.localhost:${port}`, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      }),
    );
    const answer = await getAsWritten('127.0.0.1', Number(port), '/?list-type=2&prefix=reports%2F', signed.headers);
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('<Key>reports/a.txt</Key>');
    expect(answer.body).not.toContain('secret/b.txt');
  });

  it('answers a clean AWS error for a service without an upstream, and records the attempt', async () => {
    const { DynamoDBClient, ListTablesCommand } = await import('@aws-sdk/client-dynamodb');
    const dynamo = new DynamoDBClient(clientOptions(server));
    const error = await dynamo.send(new ListTablesCommand({})).then(
      () => undefined,
      (e: unknown) => e as { name: string; $metadata: { httpStatusCode: number } },
    );
    dynamo.destroy();
    expect(error?.name).toBe('NotImplemented');
    expect(error?.$metadata.httpStatusCode).toBe(501);
    const [record] = await lookup('ListTables');
    expect(record).toMatchObject({ eventSource: 'dynamodb.amazonaws.com', errorCode: 'NotImplemented' });
  });

  it("refuses one account another account's bucket, never forwarding the call, and names the owner in the records", async () => {
    runAdminCli(server.dataDir, 'accounts', 'create', '--account-id', '444455556666', '--name', 'other');
    runAdminCli(server.dataDir, 'users', 'create', '--account-id', '444455556666', '--user-name', 'intruder', '--policy', 'AdministratorAccess');
    const [, line] = runAdminCli(server.dataDir, 'keys', 'create', '--account-id', '444455556666', '--user-name', 'intruder').trim().split('\n');
    const [accessKeyId, secretAccessKey] = line!.split('\t');
    const intruder = new S3Client({ ...clientOptions(server, { accessKeyId: accessKeyId!, secretAccessKey: secretAccessKey! }), forcePathStyle: true });
    const read = await s3Error(intruder.send(new GetObjectCommand({ Bucket: 'finance', Key: 'q3.pdf' })));
    expect(read.name).toBe('AccessDenied');
    const write = await s3Error(intruder.send(new PutObjectCommand({ Bucket: 'finance', Key: 'planted.txt', Body: 'x' })));
    expect(write.name).toBe('AccessDenied');
    // A copy out of it is refused too, even into a bucket of its own.
    await intruder.send(new CreateBucketCommand({ Bucket: 'intruder-own' }));
    const copy = await s3Error(intruder.send(new CopyObjectCommand({ Bucket: 'intruder-own', Key: 'stolen.pdf', CopySource: 'finance/q3.pdf' })));
    expect(copy.name).toBe('AccessDenied');
    // Its own bucket works; the owner's bucket is untouched.
    await intruder.send(new PutObjectCommand({ Bucket: 'intruder-own', Key: 'mine.txt', Body: 'mine' }));
    // Each account lists its own buckets only (both are in the one upstream).
    const theirs = (await intruder.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name);
    expect(theirs).toContain('intruder-own');
    expect(theirs).not.toContain('finance');
    const ours = (await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name);
    expect(ours).toContain('finance');
    expect(ours).not.toContain('intruder-own');
    intruder.destroy();
    const planted = await s3Error(direct.send(new HeadObjectCommand({ Bucket: 'finance', Key: 'planted.txt' })));
    expect(planted.$metadata.httpStatusCode).toBe(404);
    const records = await eventually(() => {
      const found = trailRecords().filter((r) => r.eventName === 'GetObject' && r.errorCode === 'AccessDenied' && (r.userIdentity as Record).accountId === '444455556666');
      return found.length > 0 ? found : undefined;
    }, 30_000, "the intruder's refused GetObject in the owner's trail");
    // The owner's copy, as CloudTrail writes it for a call from another account: the caller seen
    // as that account, the copies joined by sharedEventID; the bucket's resource names its owner.
    expect(records[0]).toMatchObject({ recipientAccountId: ACCOUNT, userIdentity: { type: 'AWSAccount', accountId: '444455556666' } });
    expect(typeof records[0]!.sharedEventID).toBe('string');
    expect(records[0]!.resources).toContainEqual({ accountId: ACCOUNT, type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::finance' });
  });

  it('prints where each service goes at start', () => {
    expect(server.output()).toContain(`Gateway: s3 calls go to ${moto.url}, recorded.`);
  });
});
