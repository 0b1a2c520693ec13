/**
 * Forwarding into an external CloudWatch Logs API (AWS, or any API that speaks it) through the
 * AWS SDK, with the server's credential chain. Calls are cut to PutLogEvents' limits. A redone
 * batch first reads back what its stream holds in the batch's time range and leaves out the
 * events already there (by eventID), so a crash between a put and the cursor's move sends
 * nothing twice.
 */
import {
  CloudWatchLogsClient,
  CreateLogStreamCommand,
  DescribeLogGroupsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import type { Logger } from 'pino';
import { awsErrorName } from '../../objects/aws-sdk.js';
import type { ForwardedEvent, LogDestination, LogGroupRef } from './log-destination.js';
import { putLogEventsBatches } from './put-log-events-batches.js';

export interface ExternalLogDestinationOptions {
  /** The API's URL; absent: the SDK's own resolution (AWS_ENDPOINT_URL_CLOUDWATCH_LOGS, AWS). */
  endpoint?: string;
  logger: Logger;
  /** For tests: how a region's client is made. */
  clientFor?: (region: string) => CloudWatchLogsClient;
}

function eventIdOf(message: string | undefined): string | undefined {
  if (message === undefined) return undefined;
  try {
    const id = (JSON.parse(message) as { eventID?: unknown }).eventID;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined; // not a CloudTrail record: someone else's event in the stream
  }
}

export class ExternalLogDestination implements LogDestination {
  readonly kind = 'external';
  readonly #clients = new Map<string, CloudWatchLogsClient>();
  readonly #clientFor: (region: string) => CloudWatchLogsClient;
  readonly #logger: Logger;

  constructor(options: ExternalLogDestinationOptions) {
    this.#logger = options.logger;
    // Bounded: an API that accepts the connection and never answers must not hold forwarding;
    // the attempt fails, the trail backs off and its batch is redone. No SDK retries: PutLogEvents
    // is not idempotent, and a retried put whose first try was only slow would land twice; the
    // redo reads back first instead. (A put that timed out and still lands after that read-back
    // would be the one way to see an event twice; the backoff before a redo makes it unlikely.)
    this.#clientFor =
      options.clientFor ??
      ((region) =>
        new CloudWatchLogsClient({
          region,
          requestHandler: { connectionTimeout: 5_000, requestTimeout: 10_000, throwOnRequestTimeout: true },
          maxAttempts: 1,
          ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
        }));
  }

  #client(region: string): CloudWatchLogsClient {
    let client = this.#clients.get(region);
    if (client === undefined) {
      client = this.#clientFor(region);
      this.#clients.set(region, client);
    }
    return client;
  }

  async exists(group: LogGroupRef): Promise<boolean> {
    const answer = await this.#client(group.region).send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group.logGroupName, limit: 50 }));
    return (answer.logGroups ?? []).some((g) => g.logGroupName === group.logGroupName);
  }

  async put(group: LogGroupRef, stream: string, events: readonly ForwardedEvent[], redo: boolean): Promise<void> {
    const client = this.#client(group.region);
    const present = redo ? await this.#eventIdsIn(client, group, stream, events) : new Set<string>();
    const { batches, tooLarge } = putLogEventsBatches(events.filter((e) => !present.has(e.eventId)));
    if (tooLarge.length > 0) {
      this.#logger.warn({ logGroup: group.logGroupName, events: tooLarge.map((e) => e.eventId) }, 'events over 256 KiB are not sent to CloudWatch Logs (as CloudTrail does)');
    }
    for (const batch of batches) {
      const input = { logGroupName: group.logGroupName, logStreamName: stream, logEvents: batch.map((e) => ({ timestamp: e.timestamp, message: e.message })) };
      try {
        await client.send(new PutLogEventsCommand(input));
      } catch (error) {
        if (awsErrorName(error) !== 'ResourceNotFoundException' || !(await this.#createStream(client, group, stream))) throw error;
        await client.send(new PutLogEventsCommand(input));
      }
    }
  }

  /** Makes the stream; false when the group itself is missing (the put's error then stands). */
  async #createStream(client: CloudWatchLogsClient, group: LogGroupRef, stream: string): Promise<boolean> {
    try {
      await client.send(new CreateLogStreamCommand({ logGroupName: group.logGroupName, logStreamName: stream }));
      return true;
    } catch (error) {
      const name = awsErrorName(error);
      if (name === 'ResourceAlreadyExistsException') return true;
      if (name === 'ResourceNotFoundException') return false;
      throw error;
    }
  }

  async #eventIdsIn(client: CloudWatchLogsClient, group: LogGroupRef, stream: string, events: readonly ForwardedEvent[]): Promise<Set<string>> {
    const ids = new Set<string>();
    if (events.length === 0) return ids;
    const startTime = Math.min(...events.map((e) => e.timestamp));
    const endTime = Math.max(...events.map((e) => e.timestamp)) + 1;
    let token: string | undefined;
    for (;;) {
      let answer;
      try {
        answer = await client.send(new GetLogEventsCommand({ logGroupName: group.logGroupName, logStreamName: stream, startTime, endTime, startFromHead: true, ...(token !== undefined && { nextToken: token }) }));
      } catch (error) {
        if (awsErrorName(error) === 'ResourceNotFoundException') return ids; // no stream yet: nothing was put
        throw error;
      }
      for (const event of answer.events ?? []) {
        const id = eventIdOf(event.message);
        if (id !== undefined) ids.add(id);
      }
      // The API answers the same forward token once the stream has no more events.
      if (answer.nextForwardToken === undefined || answer.nextForwardToken === token || (answer.events ?? []).length === 0) return ids;
      token = answer.nextForwardToken;
    }
  }

  destroy(): void {
    for (const client of this.#clients.values()) client.destroy();
    this.#clients.clear();
  }
}
