/**
 * GetObject as one signed HTTP request, for reading many small objects from an S3-compatible
 * store at a configured endpoint: what `validate-logs` does for every log file of a range. The
 * SDK's middleware stack costs some 1-2 ms of CPU per request, several times what signing and
 * sending it cost, and on a two-core machine beside the store that CPU is taken from the store.
 *
 * Only for a configured endpoint (AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL): there the S3 client
 * (./s3-object-store.ts) addresses objects path-style, `<endpoint>/<bucket>/<key>`, so the URL
 * is known without the SDK's endpoint rules; AWS itself (virtual hosts, region redirects) stays
 * with the SDK. Credentials and region are the S3 client's own (the default chain, refreshed by
 * it). Answers map as the S3 store maps them: NoSuchKey is undefined, NoSuchBucket and other
 * errors are ObjectStoreErrors; network failures, 5xx and throttling are tried up to 3 times.
 */
import { createHash, createHmac } from 'node:crypto';
import type { BinaryLike } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { SignatureV4 } from '@smithy/signature-v4';
import { ObjectStoreError } from './errors.js';
import type { StoredObject } from './object-store.js';

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const MAX_ATTEMPTS = 3;
const CONNECT_TIMEOUT_MS = 5_000;
const REQUEST_TIMEOUT_MS = 60_000;

/** What the signer needs of a credential (the SDK's credential identity). */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

export interface DirectGetOptions {
  /** The configured endpoint URL (may carry a base path). */
  endpoint: string;
  region: () => Promise<string>;
  credentials: () => Promise<Credentials>;
}

/** What the signer hashes: the SDK's SourceData. */
type SourceData = string | ArrayBuffer | ArrayBufferView;

function binary(data: SourceData): BinaryLike {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** node:crypto behind the hash interface the signer takes (its default is a pure-JS SHA-256). */
class NodeSha256 {
  readonly #secret: BinaryLike | undefined;
  #hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;

  constructor(secret?: SourceData) {
    this.#secret = secret === undefined ? undefined : binary(secret);
    this.#hash = this.#secret === undefined ? createHash('sha256') : createHmac('sha256', this.#secret);
  }

  update(data: SourceData): void {
    this.#hash.update(binary(data));
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }

  reset(): void {
    this.#hash = this.#secret === undefined ? createHash('sha256') : createHmac('sha256', this.#secret);
  }
}

/** S3's path encoding of a key: each segment URI-encoded, `!'()*` too, the slashes kept. */
function encodeKey(key: string): string {
  return key
    .split('/')
    .map((part) => encodeURIComponent(part).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

class RetryableFailure extends Error {}

function errorCode(body: Buffer): { code: string | undefined; message: string | undefined } {
  const text = body.toString('utf8');
  return { code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1], message: /<Message>([^<]*)<\/Message>/.exec(text)?.[1] };
}

const delay = async (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function directGetObject(options: DirectGetOptions): { getObject(bucket: string, key: string): Promise<StoredObject | undefined>; destroy(): void } {
  const base = new URL(options.endpoint);
  const secure = base.protocol === 'https:';
  const basePath = base.pathname.replace(/\/+$/, '');
  // Keep-alive where the store allows it; the validator's own limit bounds the sockets.
  const agent = secure ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
  let signer: Promise<SignatureV4> | undefined;
  const signerOf = async () =>
    (signer ??= options.region().then((region) => new SignatureV4({ service: 's3', region, credentials: options.credentials, sha256: NodeSha256, uriEscapePath: false })));

  const once = async (bucket: string, key: string): Promise<Answer> => {
    const path = `${basePath}/${bucket}/${encodeKey(key)}`;
    const request = await (
      await signerOf()
    ).sign({
      method: 'GET',
      protocol: base.protocol,
      hostname: base.hostname,
      ...(base.port !== '' && { port: Number(base.port) }),
      path,
      query: {},
      headers: { host: base.host, 'x-amz-content-sha256': EMPTY_SHA256 },
    });
    return new Promise((resolve, reject) => {
      const req = (secure ? https : http).request(
        { method: 'GET', host: base.hostname, port: base.port, path, headers: request.headers, agent, timeout: REQUEST_TIMEOUT_MS },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', (error) => reject(new RetryableFailure(error.message, { cause: error })));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        },
      );
      const connectTimer = setTimeout(() => req.destroy(new Error(`no connection to ${base.host} within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
      req.once('socket', (socket) => {
        if (!socket.connecting) clearTimeout(connectTimer);
        else socket.once('connect', () => clearTimeout(connectTimer));
      });
      req.once('close', () => clearTimeout(connectTimer));
      req.on('timeout', () => req.destroy(new Error(`no answer from ${base.host} within ${REQUEST_TIMEOUT_MS} ms`)));
      req.on('error', (error) => reject(new RetryableFailure(error.message, { cause: error })));
      req.end();
    });
  };

  return {
    async getObject(bucket, key) {
      const doing = `getting s3://${bucket}/${key}`;
      for (let attempt = 1; ; attempt++) {
        let answer: Answer;
        try {
          answer = await once(bucket, key);
        } catch (error) {
          if (!(error instanceof RetryableFailure)) throw error;
          if (attempt >= MAX_ATTEMPTS) throw new ObjectStoreError(`${doing}: ${error.message}`, { retryable: true, code: 'NetworkError', cause: error });
          await delay(100 * 2 ** attempt);
          continue;
        }
        const { status, headers, body } = answer;
        if (status === 200) {
          const metadata: Record<string, string> = {};
          for (const [name, value] of Object.entries(headers)) {
            if (name.startsWith('x-amz-meta-') && typeof value === 'string') metadata[name.slice('x-amz-meta-'.length)] = value;
          }
          return { body, metadata };
        }
        const { code, message } = errorCode(body);
        if (code === 'NoSuchKey' || (status === 404 && code === undefined)) return undefined;
        if (code === 'NoSuchBucket') throw new ObjectStoreError(`bucket ${bucket} does not exist in the S3 store`, { retryable: false, code: 'NoSuchBucket' });
        const retryable = status >= 500 || status === 429 || status === 408 || code === 'SlowDown';
        if (retryable && attempt < MAX_ATTEMPTS) {
          await delay(100 * 2 ** attempt);
          continue;
        }
        const name = code ?? `HTTP ${status}`;
        throw new ObjectStoreError(`${doing}: ${name} (HTTP ${status})${message !== undefined ? `: ${message}` : ''}`, { retryable, code: status === 403 ? 'AccessDenied' : name });
      }
    },
    destroy() {
      agent.destroy();
    },
  };
}
