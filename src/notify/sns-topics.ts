/**
 * Whether an SNS topic exists, asked of the SNS API that trails' notifications go to (configured
 * as for the notifier, sns-notifier.ts: AWS_ENDPOINT_URL_SNS, else AWS_ENDPOINT_URL, else AWS's
 * own endpoint; the default credential chain). CreateTrail and UpdateTrail refuse a topic it
 * does not see, as CloudTrail does, rather than accept a trail whose every notification fails.
 */
import { GetTopicAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { awsErrorStatus, isRetryableAwsError } from '../objects/aws-sdk.js';
import { snsTopicRegion } from './notification.js';
import { RegionalSnsClients, describeSnsError } from './sns-clients.js';
import { snsClientConfig } from './sns-notifier.js';

export interface TopicDirectory {
  /**
   * True when the topic exists and OpenTrail may use it; false when SNS answers that it does not
   * exist or is not OpenTrail's to see. Rejects with a TopicCheckError when SNS cannot be asked
   * (unreachable, no credentials, throttled, failing).
   */
  exists(topicArn: string): Promise<boolean>;
}

/** SNS could not be asked; the message says why. */
export class TopicCheckError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TopicCheckError';
  }
}

export interface SnsTopicDirectoryOptions {
  env?: NodeJS.ProcessEnv;
  /** Builds the client for a region (tests); default: an SNSClient from snsClientConfig. */
  clientFor?: (region: string) => SNSClient;
}

/** SNS's own "no" to a well-formed request (NotFound, AuthorizationError, InvalidParameter): a 4xx that trying again will not change. */
function isRefusal(error: unknown): boolean {
  const status = awsErrorStatus(error);
  return status !== undefined && status >= 400 && status < 500 && !isRetryableAwsError(error);
}

export class SnsTopicDirectory implements TopicDirectory {
  readonly #clients: RegionalSnsClients;

  constructor(options: SnsTopicDirectoryOptions = {}) {
    const env = options.env ?? process.env;
    // One retry: a caller of CreateTrail is waiting.
    this.#clients = new RegionalSnsClients(options.clientFor ?? ((region) => new SNSClient({ ...snsClientConfig(env, region), maxAttempts: 2 })));
  }

  async exists(topicArn: string): Promise<boolean> {
    // SNS answers only in the topic's own region.
    const region = snsTopicRegion(topicArn);
    if (region === undefined) return false;
    try {
      await this.#clients.get(region).send(new GetTopicAttributesCommand({ TopicArn: topicArn }));
      return true;
    } catch (error) {
      if (isRefusal(error)) return false;
      throw new TopicCheckError(describeSnsError(error), { cause: error });
    }
  }

  /** Closes the clients' connections. */
  destroy(): void {
    this.#clients.destroy();
  }
}
