/**
 * No effect without its record, for forwarded calls. The gateway journals a call durably before
 * it reaches its upstream and records its outcome before the answer is released, so:
 * - a call whose journal entry cannot be written never reaches the upstream;
 * - a call whose record cannot be written is answered as failed, and the next start records it
 *   from its journal entry as of unknown outcome (it did reach the upstream);
 * - an upstream that is down gets the client an AWS-shaped 503, and the attempt is recorded.
 */
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand, PutBucketTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3ServiceException } from '@aws-sdk/client-s3';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import Database from 'better-sqlite3';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientOptions, cloudTrailClient } from '../support/clients.js';
import { closedPort, startCountingUpstream } from '../support/counting-upstream.js';
import type { CountingUpstream } from '../support/counting-upstream.js';
import { getAsWritten } from '../support/http-as-written.js';
import { withRecordRefused } from '../support/refuse-record.js';
import { removeDir, startServer, tempDataDir } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

let upstream: CountingUpstream;
let server: ServerProcess;
let dataDir: string;
let downPort: number;
const KEY = { accessKeyId: 'AKIAGATEWAYFAULTS001', secretAccessKey: 'gateway-faults-secret-0123456789abcdef' };

async function start(): Promise<void> {
  server = await startServer({
    dataDir,
    ...KEY,
    args: ['--upstream', `s3=${upstream.url}`, '--upstream', `sqs=http://127.0.0.1:${downPort}`],
    env: { AWS_ACCESS_KEY_ID: 'upstream', AWS_SECRET_ACCESS_KEY: 'upstream' },
  });
}

function s3(): S3Client {
  return new S3Client({ ...clientOptions(server), forcePathStyle: true, maxAttempts: 1 });
}

async function failure(promise: Promise<unknown>): Promise<{ name: string; status: number | undefined }> {
  try {
    await promise;
  } catch (error) {
    const e = error as S3ServiceException;
    return { name: e.name, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('the call succeeded');
}

async function history(eventName: string): Promise<Record<string, unknown>[]> {
  const client = cloudTrailClient(server);
  const page = await client.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: eventName }] }));
  client.destroy();
  return (page.Events ?? []).map((e) => JSON.parse(e.CloudTrailEvent!) as Record<string, unknown>);
}

beforeAll(async () => {
  upstream = await startCountingUpstream();
  downPort = await closedPort();
  dataDir = tempDataDir();
  await start();
});

afterAll(async () => {
  await server?.stop();
  await upstream?.close();
  removeDir(dataDir);
});

describe('a forwarded call and its record', () => {
  it('never reaches the upstream when its journal entry cannot be written', async () => {
    const db = new Database(join(dataDir, 'opentrail.db'));
    db.pragma('busy_timeout = 5000');
    db.exec("CREATE TRIGGER refuse_journal BEFORE INSERT ON forwarded_calls_in_flight BEGIN SELECT RAISE(ABORT, 'injected fault'); END");
    try {
      const client = s3();
      const refused = await failure(client.send(new CreateBucketCommand({ Bucket: 'never' })));
      client.destroy();
      expect(refused).toEqual({ name: 'InternalError', status: 500 });
    } finally {
      db.exec('DROP TRIGGER refuse_journal');
      db.close();
    }
    expect(upstream.received).toEqual([]);
  });

  it('is answered as failed when its record cannot be written, and recorded from the journal at the next start', async () => {
    const client = s3();
    const refused = await withRecordRefused(dataDir, 'PutBucketTagging', async () =>
      failure(client.send(new PutBucketTaggingCommand({ Bucket: 'tagged', Tagging: { TagSet: [{ Key: 'k', Value: 'v' }] } }))),
    );
    client.destroy();
    expect(refused.status).toBe(500);
    // It did reach the upstream: its effect may have happened, so it must not go unrecorded.
    expect(upstream.received).toEqual([expect.stringMatching(/^PUT \/tagged\/?\?tagging/)]);
    expect(await history('PutBucketTagging')).toEqual([]);

    await server.stop();
    await start();
    const [record] = await history('PutBucketTagging');
    expect(record).toMatchObject({
      eventSource: 's3.amazonaws.com',
      eventName: 'PutBucketTagging',
      errorCode: 'OutcomeUnknown',
      requestParameters: { bucketName: 'tagged', tagging: '' },
      userIdentity: { accessKeyId: KEY.accessKeyId },
    });
    // Recorded once: the journal entry left with its record.
    await server.stop();
    await start();
    expect(await history('PutBucketTagging')).toHaveLength(1);
  });

  it('answers an AWS-shaped 503 when the upstream is down, and records the attempt', async () => {
    const sqs = new SQSClient({ ...clientOptions(server), maxAttempts: 1 });
    const down = await failure(sqs.send(new ListQueuesCommand({})));
    sqs.destroy();
    expect(down).toEqual({ name: 'ServiceUnavailable', status: 503 });
    const [record] = await history('ListQueues');
    expect(record).toMatchObject({ eventSource: 'sqs.amazonaws.com', errorCode: 'ServiceUnavailable' });
  });

  it('forwards a recorded call once it can be recorded again', async () => {
    const client = s3();
    await client.send(new CreateBucketCommand({ Bucket: 'works' }));
    client.destroy();
    expect(upstream.received.at(-1)).toMatch(/^PUT \/works\/?$/);
    // Signed for the upstream with the server's own credential chain (here its environment).
    expect(upstream.authorizations.at(-1)).toMatch(/^AWS4-HMAC-SHA256 Credential=upstream\/\d{8}\/us-east-1\/s3\/aws4_request, /);
    const records = await history('CreateBucket');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ requestParameters: { bucketName: 'works' } });
  });

  it('refuses a path with dot segments before it reaches the upstream, and records the attempt', async () => {
    const { host, hostname, port } = new URL(server.url);
    const signer = new SignatureV4({ service: 's3', region: 'us-east-1', credentials: KEY, sha256: Sha256, uriEscapePath: false });
    const before = upstream.received.length;
    for (const path of ['/works/../payroll/salaries.csv', '/works/%2E%2E/payroll/salaries.csv']) {
      const signed = await signer.sign(new HttpRequest({ method: 'GET', protocol: 'http:', hostname, port: Number(port), path, headers: { host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } }));
      const answer = await getAsWritten(hostname, Number(port), path, signed.headers);
      expect(answer.status).toBe(400);
      expect(answer.body).toContain('<Code>InvalidURI</Code>');
    }
    expect(upstream.received.length).toBe(before);
    const records = await history('GetObject');
    // GetObject is a data event: not in the history; the attempt is in the log for trails.
    expect(records).toEqual([]);
    const db = new Database(join(dataDir, 'opentrail.db'), { readonly: true });
    const codes = db.prepare("SELECT json_extract(record, '$.errorCode') FROM events WHERE event_name = 'GetObject'").pluck().all();
    db.close();
    expect(codes).toEqual(['InvalidURI', 'InvalidURI']);
  });
});
