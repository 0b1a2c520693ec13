/**
 * Delivery to a real, independent S3 API (a moto server on loopback): objects at CloudTrail's
 * keys with server-side encryption, the CloudTrail SNS message through moto's SNS into an SQS
 * queue, an HMAC-signed webhook, and an S3 outage under load after which everything arrives.
 */
import { CreateChannelCommand, CreateTrailCommand, DeleteTrailCommand, GetTrailCommand, GetTrailStatusCommand, LookupEventsCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvent, eventData, putAuditEvents } from '../support/audit-events.js';
import type { PutAuditEventsOutput } from '../support/audit-events.js';
import { cloudTrailClient } from '../support/clients.js';
import { LOG_FILE_KEY, eventually, logFileRecords } from '../support/log-files.js';
import { motoAvailable, startMoto } from '../support/moto.js';
import type { MotoServer } from '../support/moto.js';
import { startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';
import type { WebhookReceiver } from '../support/webhook-receiver.js';

const hasMoto = motoAvailable();
const BUCKET = 'ct-delivery';
const SECRET = 'webhook-secret-for-tests';
const KEY = { accessKeyId: 'AKIAS3DELIVERYTEST01', secretAccessKey: 's3-delivery-secret-0123456789abcdefgh' };

let moto: MotoServer;
let server: ServerProcess;
let client: CloudTrailClient;
let s3: S3Client;
let queueUrl: string;
let channelArn: string;
let webhook: WebhookReceiver<{ s3Bucket: string; s3ObjectKey: string[] }>;

async function bucketRecords(): Promise<Map<string, Record<string, unknown>[]>> {
  const files = new Map<string, Record<string, unknown>[]>();
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, ...(token && { ContinuationToken: token }) }));
    for (const { Key } of page.Contents ?? []) {
      const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key }));
      files.set(Key!, logFileRecords(Buffer.from(await object.Body!.transformToByteArray())));
    }
    token = page.NextContinuationToken;
  } while (token);
  return files;
}

async function ingest(prefix: string, calls: number): Promise<string[]> {
  const ids: string[] = [];
  for (let c = 0; c < calls; c++) {
    const events = Array.from({ length: 20 }, (_, e) => auditEvent(`${prefix}-${c}-${e}`, eventData({ UID: `${prefix}-${c}-${e}` })));
    const out = (await putAuditEvents(server.url, KEY, channelArn, events)).json() as unknown as PutAuditEventsOutput;
    ids.push(...out.successful.map((s) => s.eventID));
  }
  return ids;
}

beforeAll(async () => {
  if (!hasMoto) return;
  moto = await startMoto();
  s3 = new S3Client(moto.clientConfig);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const sns = new SNSClient(moto.clientConfig);
  const sqs = new SQSClient(moto.clientConfig);
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: 'trail-notices' }))).TopicArn!;
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'trail-notices' }))).QueueUrl!;
  const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn, Attributes: { RawMessageDelivery: 'false' } }));
  webhook = await startWebhookReceiver(SECRET, '/cloudtrail');
  const webhookUrl = webhook.url;

  server = await startServer({
    ...KEY,
    args: ['--delivery-interval', '1', '--object-store', 's3:'],
    env: { ...moto.env, OPENTRAIL_WEBHOOK_URL: webhookUrl, OPENTRAIL_WEBHOOK_SECRET: SECRET },
  });
  client = cloudTrailClient(server);
  await client.send(new CreateTrailCommand({ Name: 's3-trail', S3BucketName: BUCKET, SnsTopicName: topicArn }));
  await client.send(new StartLoggingCommand({ Name: 's3-trail' }));
  channelArn = (await client.send(new CreateChannelCommand({ Name: 's3-feed', Source: 'Custom', Destinations: [{ Type: 'EVENT_DATA_STORE', Location: 'eds-s3' }] }))).ChannelArn!;
  sns.destroy();
  sqs.destroy();
});

afterAll(async () => {
  client?.destroy();
  s3?.destroy();
  await server?.stop();
  await moto?.stop();
  webhook?.close();
});

describe.skipIf(!hasMoto)('delivery to an S3 API (moto)', () => {
  it('writes every event once at CloudTrail keys, encrypted, and notifies SNS and the webhook', async () => {
    const ids = await ingest('first', 5);
    const files = await eventually(async () => {
      const all = await bucketRecords();
      const seen = new Set([...all.values()].flat().map((r) => r.eventID));
      return ids.every((id) => seen.has(id)) ? all : undefined;
    }, 30_000, 'the events in S3');
    const delivered = [...files.values()].flat().map((r) => r.eventID as string);
    expect(delivered.length).toBe(new Set(delivered).size);
    for (const key of files.keys()) {
      expect(key).toMatch(LOG_FILE_KEY);
      const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
      expect(head.ServerSideEncryption).toBe('AES256');
    }

    // SNS → SQS: the SNS envelope carries CloudTrail's message.
    const sqs = new SQSClient(moto.clientConfig);
    const notified = await eventually(async () => {
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      return Messages?.length ? Messages : undefined;
    }, 20_000, 'an SNS message in SQS');
    sqs.destroy();
    const message = JSON.parse((JSON.parse(notified[0]!.Body!) as { Message: string }).Message) as { s3Bucket: string; s3ObjectKey: string[] };
    expect(message.s3Bucket).toBe(BUCKET);
    expect(message.s3ObjectKey.every((k) => files.has(k))).toBe(true);

    await eventually(() => (webhook.messages.length > 0 ? true : undefined), 20_000, 'a webhook call');
    expect(webhook.badSignatures()).toBe(0);
    expect(webhook.messages[0]!.s3Bucket).toBe(BUCKET);
    expect(webhook.messages.flatMap((m) => m.s3ObjectKey).every((k) => files.has(k))).toBe(true);
    const status = await client.send(new GetTrailStatusCommand({ Name: 's3-trail' }));
    expect(status.LatestNotificationTime).toBeInstanceOf(Date);
    expect(status.LatestNotificationError).toBeUndefined();
  });

  it('reports an S3 outage in GetTrailStatus and delivers everything once S3 is back', async () => {
    const before = await ingest('pre-outage', 3);
    const kept = await eventually(async () => {
      const all = await bucketRecords();
      const seen = new Set([...all.values()].flat().map((r) => r.eventID));
      return before.every((id) => seen.has(id)) ? [...all.values()].flat() : undefined;
    }, 30_000, 'the pre-outage events in S3');

    await moto.stop();
    const during = await ingest('outage', 5);
    const failing = await eventually(async () => {
      const status = await client.send(new GetTrailStatusCommand({ Name: 's3-trail' }));
      return status.LatestDeliveryError ? status : undefined;
    }, 30_000, 'LatestDeliveryError');
    expect(failing.LatestDeliveryError).toMatch(/.+/);

    // moto restarts empty: bring the bucket back, as an operator would after an outage.
    await moto.start();
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const after = await ingest('post-outage', 2);
    const recovered = await eventually(async () => {
      const all = [...(await bucketRecords()).values()].flat();
      const seen = new Set(all.map((r) => r.eventID));
      return [...during, ...after].every((id) => seen.has(id)) ? all : undefined;
    }, 60_000, 'the outage events in S3');
    const everything = [...kept, ...recovered].map((r) => r.eventID as string);
    expect(everything.length).toBe(new Set(everything).size);
    const status = await client.send(new GetTrailStatusCommand({ Name: 's3-trail' }));
    expect(status.LatestDeliveryError).toBeUndefined();
  });

  it('deletes a trail at once during an S3 outage; what it could not deliver stays in the history', async () => {
    await moto.stop();
    const pending = await ingest('before-delete', 1);
    await client.send(new DeleteTrailCommand({ Name: 's3-trail' }));
    await expect(client.send(new GetTrailCommand({ Name: 's3-trail' }))).rejects.toMatchObject({ name: 'TrailNotFoundException' });
    const { Events } = await client.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'DeleteTrail' }] }));
    expect(Events?.length).toBe(1);
    for (const id of pending) {
      const found = await client.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventId', AttributeValue: id }] }));
      expect(found.Events?.length).toBe(1);
    }
    await moto.start();
  });
});
