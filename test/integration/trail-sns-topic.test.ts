/**
 * CreateTrail / UpdateTrail check the SNS topic exists, through a real SNS API (a moto server on
 * loopback) and the real AWS SDK against a real server, as CloudTrail does; and refuse a topic
 * when the configured SNS API cannot be reached.
 */
import { CreateTrailCommand, DeleteTrailCommand, GetTrailCommand, UpdateTrailCommand } from '@aws-sdk/client-cloudtrail';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudTrailClient } from '../support/clients.js';
import { MOTO_ACCOUNT, motoAvailable, startMoto } from '../support/moto.js';
import type { MotoServer } from '../support/moto.js';
import { BIN, startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

const hasMoto = motoAvailable();
const BUCKET = 'topic-bucket';
const MISSING = 'SNS Topic does not exist or the topic policy is incorrect!';

function createBucket(server: ServerProcess): void {
  const made = spawnSync(process.execPath, [BIN, 'buckets', 'create', BUCKET, '--data-dir', server.dataDir], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`buckets create failed: ${made.stderr}`);
}

/** A loopback port nothing listens on (taken from the kernel, then released). */
async function closedPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

describe.skipIf(!hasMoto)('the SNS topic of a trail must exist (moto)', () => {
  let moto: MotoServer;
  let server: ServerProcess;
  let client: CloudTrailClient;
  let topicArn: string;
  let otherTopicArn: string;

  beforeAll(async () => {
    moto = await startMoto();
    const sns = new SNSClient(moto.clientConfig);
    topicArn = (await sns.send(new CreateTopicCommand({ Name: 'trail-alerts' }))).TopicArn!;
    otherTopicArn = (await sns.send(new CreateTopicCommand({ Name: 'other-alerts' }))).TopicArn!;
    sns.destroy();
    // The trail's account is moto's, so a bare topic name means a topic moto holds.
    server = await startServer({ accountId: MOTO_ACCOUNT, env: moto.env });
    client = cloudTrailClient(server);
    createBucket(server);
  });

  afterAll(async () => {
    client?.destroy();
    await server?.stop();
    await moto?.stop();
  });

  it('accepts a topic that exists, by name or ARN', async () => {
    const byName = await client.send(new CreateTrailCommand({ Name: 'by-name', S3BucketName: BUCKET, SnsTopicName: 'trail-alerts' }));
    expect(byName).toMatchObject({ SnsTopicName: 'trail-alerts', SnsTopicARN: topicArn });
    const byArn = await client.send(new CreateTrailCommand({ Name: 'by-arn', S3BucketName: BUCKET, SnsTopicName: topicArn }));
    expect(byArn.SnsTopicARN).toBe(topicArn);
    for (const name of ['by-name', 'by-arn']) await client.send(new DeleteTrailCommand({ Name: name }));
  });

  it.each(['no-such-topic', `arn:aws:sns:us-east-1:${MOTO_ACCOUNT}:no-such-topic`, 'arn:aws:sns:us-east-1:999988887777:trail-alerts'])(
    'CreateTrail refuses the topic %j, which SNS does not have, as CloudTrail does',
    async (topic) => {
      await expect(client.send(new CreateTrailCommand({ Name: 'lost-topic', S3BucketName: BUCKET, SnsTopicName: topic }))).rejects.toMatchObject({
        name: 'InsufficientSnsTopicPolicyException',
        message: MISSING,
        $metadata: { httpStatusCode: 400 },
      });
      await expect(client.send(new GetTrailCommand({ Name: 'lost-topic' }))).rejects.toMatchObject({ name: 'TrailNotFoundException' });
    },
  );

  it('UpdateTrail refuses a missing topic, keeps the one it had, and takes another that exists', async () => {
    await client.send(new CreateTrailCommand({ Name: 'retopic', S3BucketName: BUCKET, SnsTopicName: 'trail-alerts' }));
    await expect(client.send(new UpdateTrailCommand({ Name: 'retopic', SnsTopicName: 'no-such-topic' }))).rejects.toMatchObject({
      name: 'InsufficientSnsTopicPolicyException',
      message: MISSING,
    });
    expect((await client.send(new GetTrailCommand({ Name: 'retopic' }))).Trail!.SnsTopicARN).toBe(topicArn);
    const updated = await client.send(new UpdateTrailCommand({ Name: 'retopic', SnsTopicName: otherTopicArn }));
    expect(updated.SnsTopicARN).toBe(otherTopicArn);
    // '' turns notifications off; nothing to check.
    const cleared = await client.send(new UpdateTrailCommand({ Name: 'retopic', SnsTopicName: '' }));
    expect(cleared.SnsTopicARN).toBeUndefined();
    await client.send(new DeleteTrailCommand({ Name: 'retopic' }));
  });
});

describe('the SNS topic of a trail, when the SNS API cannot be reached', () => {
  let server: ServerProcess;
  let client: CloudTrailClient;

  beforeAll(async () => {
    const port = await closedPort();
    server = await startServer({
      env: { AWS_ENDPOINT_URL_SNS: `http://127.0.0.1:${port}`, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' },
    });
    client = cloudTrailClient(server);
    createBucket(server);
  });

  afterAll(async () => {
    client?.destroy();
    await server?.stop();
  });

  it('refuses the topic, saying SNS could not be asked, and creates no trail', async () => {
    await expect(client.send(new CreateTrailCommand({ Name: 'unchecked', S3BucketName: BUCKET, SnsTopicName: 'alerts' }))).rejects.toMatchObject({
      name: 'InsufficientSnsTopicPolicyException',
      message: expect.stringContaining('SNS Topic arn:aws:sns:us-east-1:111122223333:alerts could not be checked') as unknown,
    });
    await expect(client.send(new GetTrailCommand({ Name: 'unchecked' }))).rejects.toMatchObject({ name: 'TrailNotFoundException' });
  });

  it('still creates trails without a topic', async () => {
    await client.send(new CreateTrailCommand({ Name: 'quiet', S3BucketName: BUCKET }));
    await client.send(new DeleteTrailCommand({ Name: 'quiet' }));
  });
});
