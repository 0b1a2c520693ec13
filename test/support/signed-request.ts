/**
 * Sends raw, SigV4-signed HTTP requests (signed by the real @smithy/signature-v4), for tests
 * that need bodies and headers no SDK would produce: malformed JSON, wrong types, bad targets.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

export const TARGET_PREFIX = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101';

export interface RawRequest {
  url: string;
  body: string | Uint8Array;
  headers?: Record<string, string>;
  path?: string;
  query?: Record<string, string>;
  method?: string;
  service?: string;
  region?: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Sign as if at this time (for expired signatures). */
  signingDate?: Date;
  /** Leave the request unsigned. */
  unsigned?: boolean;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  body: string;
  json(): { __type?: string; message?: string } & Record<string, unknown>;
}

export async function sendSigned(request: RawRequest): Promise<RawResponse> {
  const url = new URL(request.url);
  const body = typeof request.body === 'string' ? Buffer.from(request.body) : request.body;
  const unsigned = new HttpRequest({
    method: request.method ?? 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: request.path ?? '/',
    ...(request.query && { query: request.query }),
    headers: { host: url.host, 'content-type': 'application/x-amz-json-1.1', ...request.headers },
    body,
  });
  const signer = new SignatureV4({
    service: request.service ?? 'cloudtrail',
    region: request.region ?? 'us-east-1',
    credentials: { accessKeyId: request.accessKeyId, secretAccessKey: request.secretAccessKey },
    sha256: Sha256,
  });
  const signed = request.unsigned
    ? unsigned
    : ((await signer.sign(unsigned, request.signingDate ? { signingDate: request.signingDate } : {})) as HttpRequest);
  const query = new URLSearchParams(request.query ?? {}).toString();
  const headers = { ...signed.headers };
  delete headers.host;
  const response = await fetch(`${url.origin}${signed.path}${query ? `?${query}` : ''}`, {
    method: signed.method,
    headers,
    // fetch refuses a body on GET and HEAD, even an empty one.
    ...(signed.method !== 'GET' && signed.method !== 'HEAD' && { body: signed.body as Uint8Array }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text,
    json: () => JSON.parse(text) as { __type?: string; message?: string } & Record<string, unknown>,
  };
}
