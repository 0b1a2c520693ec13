/**
 * Calls to an upstream: where it is, which credentials sign for it, and the signed request.
 * The upstream's own credentials come from its config entry or from the server's AWS
 * credential chain (environment, shared files, container and instance roles), as any AWS
 * client of this machine would find them. Signing is smithy's, the AWS SDK's own signer.
 */
import { createHash, createHmac } from 'node:crypto';
import type { Hash, Hmac } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { ClientRequest, OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, SourceData } from '@smithy/types';
import type { UpstreamConfig } from '../../config/upstreams.js';

/** node:crypto behind smithy's hash interface. */
class NodeSha256 {
  readonly #hash: Hash | Hmac;

  constructor(secret?: SourceData) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
  }

  update(data: SourceData): void {
    this.#hash.update(toBytes(data));
  }

  async digest(): Promise<Uint8Array> {
    return Promise.resolve(this.#hash.digest());
  }
}

function toBytes(data: SourceData): Uint8Array {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

export interface UpstreamCall {
  method: string;
  /** Raw (percent-encoded) path, path style, without the upstream's own prefix. */
  path: string;
  /** Raw query string without `?`, the client's authentication parameters removed. */
  query: string;
  headers: Record<string, string | string[]>;
  region: string;
  service: string;
  /** The payload hash to sign: a hex SHA-256 or `UNSIGNED-PAYLOAD`; for a buffered body its own. */
  payloadHash?: string;
  body?: Buffer;
}

/** Decoded query parameters for the signer (it encodes them itself); repeated names keep every value. */
function queryObject(raw: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    const decode = (text: string) => {
      try {
        return decodeURIComponent(text);
      } catch {
        return text;
      }
    };
    const name = decode(equals < 0 ? part : part.slice(0, equals));
    const value = decode(equals < 0 ? '' : part.slice(equals + 1));
    const previous = out[name];
    out[name] = previous === undefined ? value : [previous, value].flat();
  }
  return out;
}

export class UpstreamClient {
  readonly url: URL;
  readonly #config: UpstreamConfig;
  readonly #credentials: AwsCredentialIdentityProvider;
  readonly #agent: HttpAgent;

  constructor(config: UpstreamConfig, chain: AwsCredentialIdentityProvider) {
    this.#config = config;
    this.url = new URL(config.url);
    const own = config.credentials;
    this.#credentials = own === undefined ? chain : async () => Promise.resolve(own as AwsCredentialIdentity);
    // Keep-alive: a gateway that opened a connection per call would pay a handshake per call.
    const agentOptions = { keepAlive: true, maxSockets: 256, maxFreeSockets: 64 };
    this.#agent = this.url.protocol === 'https:' ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
  }

  /** The signed request, not yet sent: the caller writes (or pipes) the body and ends it. */
  async open(call: UpstreamCall): Promise<ClientRequest> {
    const prefix = this.url.pathname === '/' ? '' : this.url.pathname;
    const path = `${prefix}${call.path}`;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(call.headers)) headers[name] = Array.isArray(value) ? value.join(',') : value;
    headers.host = this.url.host;
    if (call.payloadHash !== undefined) headers['x-amz-content-sha256'] = call.payloadHash;
    const signer = new SignatureV4({
      credentials: this.#credentials,
      region: this.#config.region ?? call.region,
      service: call.service,
      sha256: NodeSha256,
      // S3 signs the path as sent; the other services sign it encoded once more.
      uriEscapePath: call.service !== 's3',
      applyChecksum: false,
    });
    const unsigned = new HttpRequest({
      method: call.method,
      protocol: this.url.protocol,
      hostname: this.url.hostname,
      ...(this.url.port !== '' && { port: Number(this.url.port) }),
      path,
      query: queryObject(call.query),
      headers,
      ...(call.body !== undefined && { body: call.body }),
    });
    const signed = await signer.sign(unsigned);
    const target = `${path}${call.query === '' ? '' : `?${call.query}`}`;
    const send = this.url.protocol === 'https:' ? httpsRequest : httpRequest;
    return send({
      protocol: this.url.protocol,
      hostname: this.url.hostname,
      port: this.url.port === '' ? undefined : Number(this.url.port),
      method: call.method,
      path: target,
      headers: signed.headers as OutgoingHttpHeaders,
      agent: this.#agent,
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}

/** The server's credential chain, resolved once and refreshed as the chain's credentials expire. */
export function serverCredentialChain(): AwsCredentialIdentityProvider {
  return defaultProvider();
}

