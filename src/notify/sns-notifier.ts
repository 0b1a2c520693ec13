/**
 * Publishes notifications to SNS or an SNS-compatible service through `@aws-sdk/client-sns`,
 * configured the way the AWS tools are: endpoint AWS_ENDPOINT_URL_SNS, else AWS_ENDPOINT_URL,
 * else the SDK's default; region AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1 (a topic
 * ARN's own region wins: SNS answers only in the topic's region); credentials from the default
 * provider chain.
 */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { SNSClientConfig } from '@aws-sdk/client-sns';
import { credentialsFromEnv, environmentRegion, isRetryableAwsError, nonEmpty } from '../objects/aws-sdk.js';
import { NotificationError, snsTopicArn, snsTopicRegion } from './notification.js';
import { RegionalSnsClients, describeSnsError } from './sns-clients.js';

/** The client configuration the AWS tools would use in this environment (static keys only from an `env` other than process.env). */
export function snsClientConfig(env: NodeJS.ProcessEnv = process.env, region?: string): SNSClientConfig {
  const endpoint = nonEmpty(env.AWS_ENDPOINT_URL_SNS) ?? nonEmpty(env.AWS_ENDPOINT_URL);
  return {
    region: region ?? environmentRegion(env),
    ...(endpoint !== undefined && { endpoint }),
    ...credentialsFromEnv(env),
    // Bounded, and a timeout is an error (the handler only warns unless told to throw).
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000, throwOnRequestTimeout: true },
  };
}

export interface SnsNotifierOptions {
  env?: NodeJS.ProcessEnv;
  /** Account of topics given by name (default: none, so a bare name needs `accountId` at publish). */
  accountId?: string;
  /** Region of topics given by name (default: the environment's region). */
  region?: string;
  /** Builds the client for a region (tests); default: an SNSClient from snsClientConfig. */
  clientFor?: (region: string) => SNSClient;
}

export interface PublishResult {
  topicArn: string;
  messageId: string;
}

export class SnsNotifier {
  readonly #env: NodeJS.ProcessEnv;
  readonly #accountId: string | undefined;
  readonly #region: string;
  readonly #clients: RegionalSnsClients;

  constructor(options: SnsNotifierOptions = {}) {
    this.#env = options.env ?? process.env;
    this.#accountId = options.accountId;
    this.#region = options.region ?? environmentRegion(this.#env);
    // One attempt per publish: retries with backoff are notify/retry.ts's, around each publish.
    this.#clients = new RegionalSnsClients(options.clientFor ?? ((region) => new SNSClient({ ...snsClientConfig(this.#env, region), maxAttempts: 1 })));
  }

  /**
   * Publishes `message` to the topic (an ARN, or a name in `accountId` and `region`); resolves
   * with SNS's message id, rejects with a NotificationError.
   */
  async publish(topicArnOrName: string, message: string, at: { accountId?: string; region?: string; subject?: string } = {}): Promise<PublishResult> {
    let topicArn = topicArnOrName;
    if (!topicArnOrName.startsWith('arn:')) {
      const accountId = at.accountId ?? this.#accountId;
      if (accountId === undefined) {
        throw new NotificationError(`SNS topic "${topicArnOrName}" is a name, and no account is known to make its ARN`, { retryable: false });
      }
      topicArn = snsTopicArn(topicArnOrName, at.region ?? this.#region, accountId);
    }
    const region = snsTopicRegion(topicArn);
    if (region === undefined) throw new NotificationError(`"${topicArn}" is not an SNS topic ARN`, { retryable: false });
    try {
      const answer = await this.#clients.get(region).send(
        new PublishCommand({ TopicArn: topicArn, Message: message, ...(at.subject !== undefined && { Subject: at.subject }) }),
      );
      return { topicArn, messageId: answer.MessageId ?? '' };
    } catch (error) {
      throw new NotificationError(`publishing to SNS topic ${topicArn} failed: ${describeSnsError(error)}`, {
        retryable: isRetryableAwsError(error),
        cause: error,
      });
    }
  }

  /** Closes the clients' connections. */
  destroy(): void {
    this.#clients.destroy();
  }
}
