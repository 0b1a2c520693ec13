/**
 * SNS notifications through a real moto server: a topic with an SQS queue subscribed, so the
 * published message can be read back as a subscriber gets it.
 */
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOTO_ACCOUNT, MOTO_REGION, motoAvailable, startMoto } from '../../test/support/moto.js';
import type { MotoServer } from '../../test/support/moto.js';
import { logDeliveryMessage, NotificationError } from './notification.js';
import { snsClientConfig, SnsNotifier } from './sns-notifier.js';

describe('snsClientConfig', () => {
  it('reads endpoint and region the way the AWS tools do', () => {
    expect(snsClientConfig({}).endpoint).toBeUndefined();
    expect(snsClientConfig({}).region).toBe('us-east-1');
    expect(snsClientConfig({ AWS_DEFAULT_REGION: 'eu-west-1' }).region).toBe('eu-west-1');
    expect(snsClientConfig({ AWS_DEFAULT_REGION: 'eu-west-1' }, 'us-west-2').region).toBe('us-west-2');
    expect(snsClientConfig({ AWS_ENDPOINT_URL: 'http://127.0.0.1:1' }).endpoint).toBe('http://127.0.0.1:1');
    expect(snsClientConfig({ AWS_ENDPOINT_URL: 'http://127.0.0.1:1', AWS_ENDPOINT_URL_SNS: 'http://127.0.0.1:2' }).endpoint).toBe('http://127.0.0.1:2');
  });
});

describe.skipIf(!motoAvailable())('SnsNotifier against moto', () => {
  let moto: MotoServer;
  let sns: SNSClient;
  let sqs: SQSClient;

  beforeAll(async () => {
    moto = await startMoto();
    sns = new SNSClient(moto.clientConfig);
    sqs = new SQSClient(moto.clientConfig);
  });

  afterAll(async () => {
    sns?.destroy();
    sqs?.destroy();
    await moto?.stop();
  });

  /** A topic with a new queue subscribed; returns what publishing to it delivers to the queue. */
  async function subscribedTopic(name: string): Promise<{ topicArn: string; next: () => Promise<Record<string, unknown>> }> {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-queue` }));
    const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: attributes.Attributes?.QueueArn }));
    return {
      topicArn: TopicArn!,
      next: async () => {
        const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 5 }));
        const body = received.Messages?.[0]?.Body;
        if (body === undefined) throw new Error('no message arrived in the subscribed queue');
        return JSON.parse(body) as Record<string, unknown>;
      },
    };
  }

  it('publishes the CloudTrail log-delivery message to a topic named like a trail does', async () => {
    const { topicArn, next } = await subscribedTopic('trail-topic');
    const keys = ['AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/01/123456789012_CloudTrail_us-east-1_20261101T0210Z_Mu0KsOhtH1ar15ZZ.json.gz'];
    const notifier = new SnsNotifier({ env: moto.env, accountId: MOTO_ACCOUNT });
    try {
      const result = await notifier.publish('trail-topic', logDeliveryMessage('trail-bucket', keys));
      expect(result.topicArn).toBe(topicArn);
      expect(result.topicArn).toBe(`arn:aws:sns:${MOTO_REGION}:${MOTO_ACCOUNT}:trail-topic`);
      expect(result.messageId).not.toBe('');

      const envelope = await next();
      expect(envelope).toMatchObject({ Type: 'Notification', TopicArn: topicArn, MessageId: result.messageId });
      expect(typeof envelope.Message).toBe('string');
      expect(JSON.parse(envelope.Message as string)).toEqual({ s3Bucket: 'trail-bucket', s3ObjectKey: keys });

      // By ARN, with AWS_ENDPOINT_URL_SNS winning over a dead AWS_ENDPOINT_URL.
      const byArn = new SnsNotifier({ env: { ...moto.env, AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ENDPOINT_URL_SNS: moto.url } });
      await byArn.publish(topicArn, logDeliveryMessage('trail-bucket', ['a', 'b']));
      expect(JSON.parse((await next()).Message as string)).toEqual({ s3Bucket: 'trail-bucket', s3ObjectKey: ['a', 'b'] });
      byArn.destroy();
    } finally {
      notifier.destroy();
    }
  });

  it('fails clearly for a missing topic, a name without an account, and an unreachable service', async () => {
    const notifier = new SnsNotifier({ env: moto.env, accountId: MOTO_ACCOUNT });
    const missing = await notifier.publish('no-such-topic', '{}').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotificationError);
    expect((missing as NotificationError).message).toMatch(/arn:aws:sns:us-east-1:123456789012:no-such-topic/);
    expect((missing as NotificationError).retryable).toBe(false);
    notifier.destroy();

    const anonymous = new SnsNotifier({ env: moto.env });
    await expect(anonymous.publish('trail-topic', '{}')).rejects.toThrow(/no account is known/);
    anonymous.destroy();

    const down = new SnsNotifier({ env: { ...moto.env, AWS_ENDPOINT_URL: 'http://127.0.0.1:9' } });
    const refused = await down.publish(`arn:aws:sns:us-east-1:${MOTO_ACCOUNT}:trail-topic`, '{}').catch((e: unknown) => e);
    expect((refused as NotificationError).retryable).toBe(true);
    expect((refused as NotificationError).message).toMatch(/ECONNREFUSED/);
    down.destroy();
  });
});
