/**
 * SNS clients by region, made on first use (SNS answers only in a topic's own region), and how
 * an SNS failure reads in a message. Shared by the notifier and the topic check.
 */
import type { SNSClient } from '@aws-sdk/client-sns';
import { awsErrorName, awsErrorStatus } from '../objects/aws-sdk.js';

export class RegionalSnsClients {
  readonly #clientFor: (region: string) => SNSClient;
  readonly #clients = new Map<string, SNSClient>();

  constructor(clientFor: (region: string) => SNSClient) {
    this.#clientFor = clientFor;
  }

  get(region: string): SNSClient {
    let client = this.#clients.get(region);
    if (client === undefined) {
      client = this.#clientFor(region);
      this.#clients.set(region, client);
    }
    return client;
  }

  /** Closes the clients' connections. */
  destroy(): void {
    for (const client of this.#clients.values()) client.destroy();
    this.#clients.clear();
  }
}

/** `<ErrorName> (HTTP <status>): <message>` of an SDK error. */
export function describeSnsError(error: unknown): string {
  const status = awsErrorStatus(error);
  const detail = error instanceof Error ? error.message : String(error);
  return `${awsErrorName(error)}${status !== undefined ? ` (HTTP ${status})` : ''}: ${detail}`;
}
