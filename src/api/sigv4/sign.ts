/**
 * The client side of SigV4, for the gateway's forwarded calls: the request is re-signed with
 * the upstream's own credentials. It signs what the AWS SDKs sign for such a request (`host`,
 * every `x-amz-*` header, `content-type` and `content-md5`) and nothing a proxy may rewrite on
 * the way (user-agent, connection, expect, ...), so the upstream sees what a direct SDK call
 * would have sent.
 */
import { ALGORITHM } from './authorization-header.js';
import { canonicalRequest, headerMap } from './canonical-request.js';
import type { UriEncoding } from './canonical-request.js';
import { formatAmzDate } from './request-date.js';
import { computeSignature, deriveSigningKey } from './signing-key.js';
import { credentialScope, stringToSign } from './string-to-sign.js';
import type { HeaderRecord } from './types.js';

export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SignRequestInput {
  method: string;
  /** The raw path as it will be sent (percent-encoded once). */
  path: string;
  /** The raw query string without `?`. */
  query: string;
  /** The headers that will be sent; must include `host`. */
  headers: HeaderRecord;
  /**
   * The payload hash to sign: hex SHA-256 or a literal (`UNSIGNED-PAYLOAD`,
   * `STREAMING-...`). Also sent as `x-amz-content-sha256` (S3 requires it; other services ignore it).
   */
  payloadHash: string;
  credentials: SigningCredentials;
  region: string;
  service: string;
  /** Signing time in epoch milliseconds. */
  nowMs: number;
  /** Default `double` (every service but S3). */
  uriEncoding?: UriEncoding;
}

/** The headers to set on the outgoing request (names lower case). */
export interface SignedHeaders {
  authorization: string;
  'x-amz-date': string;
  'x-amz-content-sha256': string;
  'x-amz-security-token'?: string;
}

/** Headers signed besides `host` and `x-amz-*`, as the SDKs sign them when present. */
const ALSO_SIGNED = new Set(['content-type', 'content-md5']);
/** Hop-by-hop and proxy-owned `x-amz-*` names never signed: they may change on the way. */
const NEVER_SIGNED = new Set(['authorization', 'x-amzn-trace-id']);

/**
 * Signs a request and returns the headers to add to it. Existing `x-amz-date`,
 * `x-amz-content-sha256`, `x-amz-security-token` and `authorization` headers are replaced.
 */
export function signRequest(input: SignRequestInput): SignedHeaders {
  const amzDate = formatAmzDate(input.nowMs);
  const date = amzDate.slice(0, 8);
  const added: SignedHeaders = {
    authorization: '',
    'x-amz-date': amzDate,
    'x-amz-content-sha256': input.payloadHash,
    ...(input.credentials.sessionToken !== undefined && { 'x-amz-security-token': input.credentials.sessionToken }),
  };
  const headers = headerMap(input.headers);
  for (const name of ['x-amz-date', 'x-amz-content-sha256', 'x-amz-security-token', 'authorization']) headers.delete(name);
  for (const [name, value] of Object.entries(added)) if (name !== 'authorization') headers.set(name, value as string);
  if (!headers.has('host')) throw new TypeError('signRequest: the request has no host header');

  const signedHeaders = [...headers.keys()]
    .filter((name) => !NEVER_SIGNED.has(name) && (name === 'host' || name.startsWith('x-amz-') || ALSO_SIGNED.has(name)))
    .sort();
  const canonical = canonicalRequest({
    method: input.method,
    path: input.path,
    query: input.query,
    headers: Object.fromEntries(headers),
    signedHeaders,
    payloadHash: input.payloadHash,
    uriEncoding: input.uriEncoding ?? 'double',
  });
  // Every signed name was taken from the headers themselves, so the canonical request exists.
  const scope = credentialScope(date, input.region, input.service);
  const signature = computeSignature(
    deriveSigningKey(input.credentials.secretAccessKey, date, input.region, input.service),
    stringToSign(amzDate, scope, canonical!),
  );
  added.authorization =
    `${ALGORITHM} Credential=${input.credentials.accessKeyId}/${scope}, ` +
    `SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
  return added;
}
