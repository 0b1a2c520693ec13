/**
 * Notifications by webhook: an HTTP POST of a JSON body to a configured URL.
 *
 * Headers:
 *   content-type: application/json
 *   x-opentrail-signature: sha256=<hex HMAC-SHA256 of the exact body bytes, keyed with the secret>
 *   x-opentrail-delivery: <id>       the same on every attempt of one notification (deduplicate on it)
 *   x-opentrail-attempt: <n>         1 for the first attempt
 *
 * A 2xx answer is success. Each attempt has 5 s to answer; up to 5 attempts, waiting 1 s, 2 s,
 * 4 s, 8 s between them. No answer, a refused connection, 408, 429 and 5xx are retried; any other
 * answer (3xx, 4xx) is final at once: the receiver has said it will not take this request.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { NotificationError } from './notification.js';
import { withRetries } from './retry.js';

export const SIGNATURE_HEADER = 'x-opentrail-signature';
export const DELIVERY_HEADER = 'x-opentrail-delivery';
export const ATTEMPT_HEADER = 'x-opentrail-attempt';

/** `sha256=<hex HMAC-SHA256 of body under secret>`. */
export function webhookSignature(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface WebhookNotifierOptions {
  /** http: or https: URL to POST to. */
  url: string;
  /** Key of the HMAC in x-opentrail-signature. */
  secret: string;
  /** Per attempt; default 5000 ms. */
  timeoutMs?: number;
  /** Default 5. */
  maxAttempts?: number;
  /** Wait before the second attempt, doubling after each; default 1000 ms. */
  backoffMs?: number;
}

export interface WebhookResult {
  deliveryId: string;
  /** Attempts made, the successful one included. */
  attempts: number;
  status: number;
}

interface AttemptOutcome {
  ok: boolean;
  retryable: boolean;
  status?: number;
  problem: string;
}

export class WebhookNotifier {
  readonly url: string;
  readonly #secret: string;
  readonly #timeoutMs: number;
  readonly #maxAttempts: number;
  readonly #backoffMs: number;

  constructor(options: WebhookNotifierOptions) {
    let parsed: URL;
    try {
      parsed = new URL(options.url);
    } catch {
      throw new NotificationError(`webhook URL "${options.url}" is not a URL`, { retryable: false });
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new NotificationError(`webhook URL "${options.url}" must be http: or https:`, { retryable: false });
    }
    if (options.secret === '') throw new NotificationError('a webhook needs a non-empty secret to sign with', { retryable: false });
    this.url = options.url;
    this.#secret = options.secret;
    this.#timeoutMs = options.timeoutMs ?? 5_000;
    this.#maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.#backoffMs = options.backoffMs ?? 1_000;
  }

  /**
   * POSTs the body (a JSON text, or a value to serialize) until a 2xx answer; rejects with a
   * NotificationError naming the URL, the attempts and the last problem when it cannot.
   */
  async send(body: string | object, options: { deliveryId?: string } = {}): Promise<WebhookResult> {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const deliveryId = options.deliveryId ?? randomUUID();
    const signature = webhookSignature(this.#secret, text);
    let attempts = 0;
    try {
      return await withRetries(
        async (attempt) => {
          attempts = attempt;
          const outcome = await this.#attempt(text, signature, deliveryId, attempt);
          if (outcome.ok) return { deliveryId, attempts: attempt, status: outcome.status ?? 200 };
          throw new NotificationError(outcome.problem, { retryable: outcome.retryable });
        },
        { attempts: this.#maxAttempts, firstDelayMs: this.#backoffMs },
      );
    } catch (error) {
      const problem = error instanceof Error ? error.message : String(error);
      if (error instanceof NotificationError && !error.retryable) {
        throw new NotificationError(`webhook ${this.url} refused delivery ${deliveryId} (attempt ${attempts}): ${problem}`, { retryable: false });
      }
      throw new NotificationError(`webhook ${this.url} failed delivery ${deliveryId} after ${attempts} attempts; last: ${problem}`, { retryable: true });
    }
  }

  async #attempt(text: string, signature: string, deliveryId: string, attempt: number): Promise<AttemptOutcome> {
    const signal = AbortSignal.timeout(this.#timeoutMs);
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'opentrail-webhook/1',
          [SIGNATURE_HEADER]: signature,
          [DELIVERY_HEADER]: deliveryId,
          [ATTEMPT_HEADER]: String(attempt),
        },
        body: text,
        redirect: 'manual',
        signal,
      });
      // Read the answer to the end (within the same time limit) so the connection can be reused.
      await response.arrayBuffer();
      const status = response.status;
      if (status >= 200 && status < 300) return { ok: true, retryable: false, status, problem: '' };
      return { ok: false, retryable: status === 408 || status === 429 || status >= 500, status, problem: `HTTP ${status}` };
    } catch (error) {
      if (signal.aborted) return { ok: false, retryable: true, problem: `no answer within ${this.#timeoutMs} ms` };
      return { ok: false, retryable: true, problem: describeFetchError(error) };
    }
  }
}

function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as (Error & { code?: string }) | undefined;
  if (cause instanceof Error) return `${error.message}: ${cause.code ?? cause.message}`;
  return error.message;
}
