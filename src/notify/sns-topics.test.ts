/**
 * SnsTopicDirectory: which SNS answers mean "no such topic" and which mean "SNS cannot be asked",
 * with stand-in clients; and the real thing against a moto server.
 */
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOTO_ACCOUNT, motoAvailable, startMoto } from '../../test/support/moto.js';
import type { MotoServer } from '../../test/support/moto.js';
import { SnsTopicDirectory, TopicCheckError } from './sns-topics.js';

/** An SDK-style error as the SNS client rejects with. */
function sdkError(name: string, status?: number): Error {
  return Object.assign(new Error(`${name} happened`), { name, ...(status !== undefined && { $metadata: { httpStatusCode: status } }) });
}

function answering(outcome: () => Promise<unknown>, regions: string[] = []): SnsTopicDirectory {
  return new SnsTopicDirectory({
    clientFor: (region) => {
      regions.push(region);
      return { send: outcome, destroy: () => undefined } as unknown as SNSClient;
    },
  });
}

const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:alerts';

describe('SnsTopicDirectory', () => {
  it('asks in the topic own region and says yes when SNS answers', async () => {
    const regions: string[] = [];
    await expect(answering(async () => Promise.resolve({ Attributes: {} }), regions).exists(TOPIC)).resolves.toBe(true);
    expect(regions).toEqual(['eu-west-1']);
  });

  it.each([
    ['NotFound', 404],
    ['AuthorizationError', 403],
    ['InvalidParameter', 400],
  ])('takes %s (HTTP %i) for "no such topic"', async (name, status) => {
    await expect(answering(async () => Promise.reject(sdkError(name, status))).exists(TOPIC)).resolves.toBe(false);
  });

  it.each([
    ['Throttling', 400],
    ['InternalError', 500],
    ['ServiceUnavailable', 503],
    ['CredentialsProviderError', undefined],
  ])('cannot tell on %s (HTTP %s): rejects with the reason', async (name, status) => {
    const answer = answering(async () => Promise.reject(sdkError(name, status))).exists(TOPIC);
    await expect(answer).rejects.toBeInstanceOf(TopicCheckError);
    await expect(answer).rejects.toThrow(name);
  });

  it('cannot tell when the connection is refused', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    await expect(answering(async () => Promise.reject(refused)).exists(TOPIC)).rejects.toThrow('ECONNREFUSED');
  });

  it('says no, without asking, to something that is not a topic ARN', async () => {
    const regions: string[] = [];
    await expect(answering(async () => Promise.resolve({}), regions).exists('alerts')).resolves.toBe(false);
    expect(regions).toEqual([]);
  });
});

describe.skipIf(!motoAvailable())('SnsTopicDirectory against moto', () => {
  let moto: MotoServer;
  let topics: SnsTopicDirectory;
  let topicArn: string;

  beforeAll(async () => {
    moto = await startMoto();
    const sns = new SNSClient(moto.clientConfig);
    topicArn = (await sns.send(new CreateTopicCommand({ Name: 'directory-topic' }))).TopicArn!;
    sns.destroy();
    topics = new SnsTopicDirectory({ env: moto.env });
  });

  afterAll(async () => {
    topics?.destroy();
    await moto?.stop();
  });

  it('sees the topics SNS has and no others', async () => {
    await expect(topics.exists(topicArn)).resolves.toBe(true);
    await expect(topics.exists(`arn:aws:sns:us-east-1:${MOTO_ACCOUNT}:no-such-topic`)).resolves.toBe(false);
  });
});
