/**
 * Served over TLS, calls are recorded with tlsDetails (tlsVersion, cipherSuite,
 * clientProvidedHostHeader), as CloudTrail records calls made over HTTPS.
 */
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { spawnSync } from 'node:child_process';
import { Agent } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { startCountingUpstream } from '../support/counting-upstream.js';
import type { CountingUpstream } from '../support/counting-upstream.js';
import { commandWorks, peerAvailable } from '../support/peers.js';
import { startServer, tempDataDir } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

const hasOpenssl = peerAvailable('openssl', commandWorks('openssl', ['version']), 'the openssl command (to make a test certificate) was not found');
let server: ServerProcess;
let client: CloudTrailClient;
let upstream: CountingUpstream;

beforeAll(async () => {
  if (!hasOpenssl) return;
  const dir = tempDataDir();
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], { encoding: 'utf8' });
  expect(made.status, made.stderr).toBe(0);
  upstream = await startCountingUpstream();
  server = await startServer({
    args: ['--upstream', `s3=${upstream.url}`],
    env: { OPENTRAIL_TLS_CERT_FILE: cert, OPENTRAIL_TLS_KEY_FILE: key, AWS_ACCESS_KEY_ID: 'up', AWS_SECRET_ACCESS_KEY: 'up' },
  });
  expect(server.url).toMatch(/^https:/);
  client = new CloudTrailClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
    // A self-signed test certificate: trust it for this client only.
    requestHandler: { httpsAgent: new Agent({ rejectUnauthorized: false }) },
  });
});

afterAll(async () => {
  client?.destroy();
  await server?.stop();
  await upstream?.close();
});

describe.skipIf(!hasOpenssl)('TLS', () => {
  it('records tlsDetails for calls made over HTTPS', async () => {
    await client.send(new LookupEventsCommand({ MaxResults: 1 }));
    const { Events } = await client.send(new LookupEventsCommand({ MaxResults: 1 }));
    const record = JSON.parse(Events![0]!.CloudTrailEvent!) as { tlsDetails?: Record<string, string> };
    expect(record.tlsDetails).toMatchObject({
      tlsVersion: expect.stringMatching(/^TLSv1\.[23]$/) as unknown,
      cipherSuite: expect.stringMatching(/^TLS_|^ECDHE/) as unknown,
      clientProvidedHostHeader: new URL(server.url).host,
    });
  });

  it('records tlsDetails and the cipher of calls forwarded by the gateway', async () => {
    const s3 = new S3Client({
      endpoint: server.url,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
      requestHandler: { httpsAgent: new Agent({ rejectUnauthorized: false }) },
    });
    await s3.send(new CreateBucketCommand({ Bucket: 'over-tls' }));
    s3.destroy();
    const { Events } = await client.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateBucket' }] }));
    const record = JSON.parse(Events![0]!.CloudTrailEvent!) as { tlsDetails?: Record<string, string>; additionalEventData?: Record<string, unknown> };
    expect(record.tlsDetails).toMatchObject({ tlsVersion: expect.stringMatching(/^TLSv1\.[23]$/) as unknown, clientProvidedHostHeader: new URL(server.url).host });
    expect(record.additionalEventData?.CipherSuite).toBe(record.tlsDetails?.cipherSuite);
  });
});
