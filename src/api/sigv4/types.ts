/**
 * The shapes the request pipeline exchanges with the SigV4 verifier. Kept free of node:http types
 * so the verifier can be driven from tests, other hosts, or a replayed request.
 */

import type { UriEncoding } from './canonical-request.js';

/** Header values as node:http `IncomingMessage.headers` (or `headersDistinct`) gives them. */
export type HeaderRecord = Readonly<Record<string, string | readonly string[] | undefined>>;

/** The parts of an HTTP request that a Signature Version 4 signature covers. */
export interface SignedRequest {
  /** The HTTP method exactly as received, e.g. `POST`. */
  method: string;
  /** Raw request path exactly as received, without the query (`/` or `/PutAuditEvents`). */
  path: string;
  /** Raw query string without `?`; `''` when there is none. */
  query: string;
  /**
   * Lower-case header names, as node:http gives them. An array value is treated as repeated
   * header lines, which are joined with `,` in the canonical request, as SigV4 requires; pass
   * `IncomingMessage.headersDistinct` to keep repeated signed headers exact (plain `headers`
   * joins them with `, `).
   */
  headers: HeaderRecord;
  /** The raw body bytes. */
  body: Buffer;
}

/** Server-side policy for one verification. */
export interface VerifyOptions {
  /** Services accepted in the credential scope, e.g. `['cloudtrail']` or `['cloudtrail-data']`. */
  services: readonly string[];
  /** Server time in epoch milliseconds. */
  nowMs: number;
  /** Allowed clock skew in milliseconds, default 5 minutes. */
  maxSkewMs?: number;
  /**
   * Returns the plaintext secret for a key id, or undefined when the key is unknown. Called at
   * most once, and only after the request is well formed; an exception it throws propagates.
   */
  lookupSecret: (accessKeyId: string) => string | undefined;
  /**
   * `double` (default): the rules of every service but S3. `s3`: S3's rules, that is the raw path
   * as the canonical URI and S3's error codes (`SignatureDoesNotMatch`, `InvalidAccessKeyId`,
   * `RequestTimeTooSkewed`, ...). S3 requests normally go through `verifySigV4Streaming`.
   */
  uriEncoding?: UriEncoding;
}

/** A failure as it reaches the wire: AWS error code (`__type`), message and HTTP status. */
export interface SigV4Error {
  code: string;
  message: string;
  httpStatus: number;
}

/**
 * The outcome of {@link verifySigV4}. A failure still carries the access key id and region
 * whenever they could be parsed, so the caller can attribute (and audit) the failed call.
 */
export type VerifyResult =
  | { ok: true; accessKeyId: string; region: string; service: string; amzDate: string; sessionToken?: string }
  | { ok: false; error: SigV4Error; accessKeyId?: string; region?: string };
