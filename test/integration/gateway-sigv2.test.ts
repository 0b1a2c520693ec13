/**
 * S3 SigV2 through the gateway, in process, over real SQLite stores, a real HTTP server and a
 * counting upstream: the header form (a PUT whose body streams through unsigned) and the query
 * form (a presigned GET) are forwarded re-signed and recorded as SigV2, in the gateway's default
 * region; a forged, expired or unknown-key request is answered as S3 answers it and never
 * forwarded. The signatures here are made from the documented string to sign, written out.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CountingUpstream } from '../support/counting-upstream.js';
import { getAsWritten } from '../support/http-as-written.js';
import { startInProcessGateway } from '../support/in-process-gateway.js';
import type { InProcessGateway } from '../support/in-process-gateway.js';
import type { InProcessPipeline } from '../support/in-process-pipeline.js';

let env: InProcessPipeline;
let upstream: CountingUpstream;
let gateway: InProcessGateway;
let port: number;

beforeAll(async () => {
  gateway = await startInProcessGateway({ defaultRegion: 'eu-west-3' });
  ({ env, upstream, port } = gateway);
});

afterAll(async () => {
  await gateway?.close();
});

const sign = (stringToSign: string, secret = env.admin.secretAccessKey): string => createHmac('sha1', secret).update(stringToSign, 'utf8').digest('base64');
const httpDate = (ms: number): string => new Date(ms).toUTCString();

async function records(): Promise<Record<string, unknown>[]> {
  const entries = await env.stores.events.readRange(env.accountId, 0, undefined, 1000);
  return entries.map((e) => JSON.parse(e.json) as Record<string, unknown>);
}

function presignedGet(key: string, expires: number, secret?: string, keyId = env.admin.accessKeyId): string {
  const signature = sign(`GET\n\n\n${expires}\n/bucket/${key}`, secret);
  return `http://127.0.0.1:${port}/bucket/${key}?AWSAccessKeyId=${keyId}&Expires=${expires}&Signature=${encodeURIComponent(signature)}`;
}

it('forwards a header-signed PUT with its body, recorded as SigV2 AuthHeader in the default region', async () => {
  const date = httpDate(env.clock.now());
  const signature = sign(`PUT\n\ntext/plain\n${date}\nx-amz-meta-owner:alice\n/bucket/a%20b.txt`);
  const answer = await fetch(`http://127.0.0.1:${port}/bucket/a%20b.txt`, {
    method: 'PUT',
    headers: { date, 'content-type': 'text/plain', 'x-amz-meta-owner': ' alice', authorization: `AWS ${env.admin.accessKeyId}:${signature}` },
    body: 'hello',
  });
  expect(answer.status).toBe(200);
  expect(upstream.received).toEqual(['PUT /bucket/a%20b.txt']);
  const put = (await records()).find((r) => r.eventName === 'PutObject');
  expect(put).toMatchObject({
    awsRegion: 'eu-west-3',
    requestParameters: { bucketName: 'bucket', key: 'a b.txt' },
    additionalEventData: { SignatureVersion: 'SigV2', AuthenticationMethod: 'AuthHeader', bytesTransferredIn: 5 },
  });
});

it('forwards a presigned GET (virtual-hosted too) without the presigning parameters, recorded as SigV2 QueryString', async () => {
  const expires = Math.floor(env.clock.now() / 1000) + 300;
  expect((await fetch(presignedGet('k.txt', expires))).status).toBe(200);
  expect(upstream.received.at(-1)).toBe('GET /bucket/k.txt');
  // Virtual-hosted: the signed resource still starts with the bucket.
  const signature = sign(`GET\n\n\n${expires}\n/bucket/v.txt`);
  // (fetch does not send a Host of one's own: node:http does.)
  const path = `/v.txt?AWSAccessKeyId=${env.admin.accessKeyId}&Expires=${expires}&Signature=${encodeURIComponent(signature)}`;
  const { status } = await getAsWritten('127.0.0.1', port, path, { host: `bucket.localhost:${port}` });
  expect(status).toBe(200);
  expect(upstream.received.at(-1)).toBe('GET /bucket/v.txt');
  const gets = (await records()).filter((r) => r.eventName === 'GetObject');
  expect(gets).toHaveLength(2);
  for (const get of gets) {
    expect(get).toMatchObject({ awsRegion: 'eu-west-3', additionalEventData: { SignatureVersion: 'SigV2', AuthenticationMethod: 'QueryString' } });
    expect(Object.keys(get.requestParameters as object).sort()).toEqual(['Host', 'bucketName', 'key']);
  }
});

it('answers a forged, an expired and an unknown-key request as S3 does, none forwarded; the forged one recorded', async () => {
  const before = upstream.received.length;
  const now = Math.floor(env.clock.now() / 1000);
  const forged = await fetch(presignedGet('k.txt', now + 300, 'not-the-secret'));
  expect(forged.status).toBe(403);
  expect(await forged.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  const expired = await fetch(presignedGet('k.txt', now - 1));
  expect(expired.status).toBe(403);
  expect(await expired.text()).toContain('<Message>Request has expired</Message>');
  const unknown = await fetch(presignedGet('k.txt', now + 300, undefined, 'AKIAUNKNOWNKEY000000'));
  expect(unknown.status).toBe(403);
  expect(await unknown.text()).toContain('<Code>InvalidAccessKeyId</Code>');
  expect(upstream.received.length).toBe(before);
  const failed = (await records()).filter((r) => r.errorCode !== undefined);
  expect(failed.map((r) => r.errorCode)).toEqual(expect.arrayContaining(['SignatureDoesNotMatch', 'AccessDenied']));
  const recorded = failed.find((r) => r.errorCode === 'SignatureDoesNotMatch');
  expect(recorded, JSON.stringify(recorded)).toMatchObject({ eventName: 'GetObject', additionalEventData: { SignatureVersion: 'SigV2' } });
});
