/**
 * The checks every SigV4 form shares once its parts have been parsed (from the Authorization
 * header or from presigned query parameters): scope, signed headers, time, key, payload hash and
 * the signature itself. Each form parses its own syntax and words its own errors; keeping the
 * rest in one place means the header form, the streaming form and the presigned form cannot
 * drift apart on what a valid signature is.
 */
import { timingSafeEqual } from 'node:crypto';
import type { CredentialScope } from './authorization-header.js';
import { canonicalRequest, headerMap } from './canonical-request.js';
import type { UriEncoding } from './canonical-request.js';
import type { RequestDate } from './request-date.js';
import { formatAmzDate } from './request-date.js';
import type { ErrorSet } from './s3-errors.js';
import { computeSignature, deriveSigningKey } from './signing-key.js';
import { TERMINATOR, credentialScope, stringToSign } from './string-to-sign.js';
import type { HeaderRecord, SigV4Error } from './types.js';

/** A region is only ever a short lower-case slug; anything else must not reach the audit log as one. */
export const REGION_SHAPE = /^[a-z0-9-]{1,64}$/;
/** Only an id of this shape is handed back for attribution, so a garbage Credential cannot pose as a key. */
const ACCESS_KEY_ID_SHAPE = /^\w{1,128}$/;
/** The hex form of an HMAC-SHA256, as every signer emits it. */
const SIGNATURE_LENGTH = 64;

export type Headers = ReturnType<typeof headerMap>;

/** One header's value, repeated lines joined with `,`. */
export function single(headers: Headers, name: string): string | undefined {
  const value = headers.get(name);
  return value === undefined || typeof value === 'string' ? value : value.join(',');
}

/** The key id and region a failure may still carry, only when they have a plausible shape. */
export function attributionOf(scope: CredentialScope | undefined): { accessKeyId?: string; region?: string } {
  return {
    ...(scope !== undefined && ACCESS_KEY_ID_SHAPE.test(scope.accessKeyId) && { accessKeyId: scope.accessKeyId }),
    ...(scope !== undefined && REGION_SHAPE.test(scope.region) && { region: scope.region }),
  };
}

/** Compares a computed hex signature with a provided one in constant time. */
export function signaturesEqual(expectedHex: string, provided: string): boolean {
  const providedBytes = Buffer.from(provided, 'utf8');
  // The length of a signature is public (always 64), so only equal-length values need the constant-time compare.
  if (providedBytes.length !== SIGNATURE_LENGTH) return false;
  return timingSafeEqual(Buffer.from(expectedHex, 'latin1'), providedBytes);
}

/** Fails closed: a NaN `nowMs` or skew makes every comparison false and so rejects. */
export function skewError(date: RequestDate, nowMs: number, maxSkewMs: number, errors: ErrorSet): SigV4Error | undefined {
  const minutes = String(maxSkewMs / 60_000);
  const now = formatAmzDate(nowMs);
  if (!(date.epochMs >= nowMs - maxSkewMs)) {
    return errors.expired(date.amzDate, formatAmzDate(nowMs - maxSkewMs), now, minutes);
  }
  if (!(date.epochMs <= nowMs + maxSkewMs)) {
    return errors.notYetCurrent(date.amzDate, formatAmzDate(nowMs + maxSkewMs), now, minutes);
  }
  return undefined;
}

/** A signature's parts, however the request carried them. */
export interface SignatureParts {
  scope: CredentialScope;
  /** The SignedHeaders list as given, lower-cased. */
  signedHeaders: readonly string[];
  signature: string;
  date: RequestDate;
  /** The header the date came from, which must then be signed; undefined when it came from the query. */
  dateHeader?: 'X-Amz-Date' | 'Date';
}

export interface CoreInput {
  method: string;
  path: string;
  /** The query the canonical request is built from (a presigned request's without X-Amz-Signature). */
  query: string;
  headers: HeaderRecord;
  parts: SignatureParts;
  services: readonly string[];
  errors: ErrorSet;
  uriEncoding: UriEncoding;
  /** The form's time rule (skew, or a presigned URL's expiry). */
  timeError: (date: RequestDate) => SigV4Error | undefined;
  lookupSecret: (accessKeyId: string) => string | undefined;
  /** The payload hash for the canonical request, or why there is none; called after the key is known. */
  payloadHash: (signedHeaders: readonly string[]) => string | SigV4Error;
}

/** What a verified signature yields for checking the body that follows it. */
export interface CoreSuccess {
  ok: true;
  signingKey: Buffer;
  /** `YYYYMMDD/region/service/aws4_request`. */
  scope: string;
  /** The payload hash (or literal) that was signed. */
  payloadHash: string;
}

/**
 * Runs the shared checks in AWS's order: scope date, region, service, terminator, `host` (and the
 * date header) signed, every signed header present, time, key, payload, signature.
 */
export function verifyParts(input: CoreInput): CoreSuccess | { ok: false; error: SigV4Error } {
  const { parts, errors } = input;
  const fail = (error: SigV4Error) => ({ ok: false as const, error });
  const { scope, date } = parts;
  if (scope.date !== date.amzDate.slice(0, 8)) return fail(errors.scopeDateMismatch(scope.date, date.amzDate));
  if (!REGION_SHAPE.test(scope.region)) return fail(errors.invalidRegion(scope.region));
  if (!input.services.includes(scope.service)) return fail(errors.wrongService(input.services));
  if (scope.terminator !== TERMINATOR) return fail(errors.wrongTerminator(scope.terminator));

  const headers = headerMap(input.headers);
  if (!parts.signedHeaders.includes('host')) return fail(errors.hostNotSigned());
  if (parts.dateHeader !== undefined && !parts.signedHeaders.includes(parts.dateHeader.toLowerCase())) {
    return fail(errors.dateNotSigned(parts.dateHeader));
  }
  const absent = parts.signedHeaders.find((name) => !headers.has(name));
  if (absent !== undefined) return fail(errors.signedHeaderMissing(absent));

  const timeError = input.timeError(date);
  if (timeError !== undefined) return fail(timeError);

  const secret = input.lookupSecret(scope.accessKeyId);
  if (secret === undefined) return fail(errors.unrecognizedClient());

  const payloadHash = input.payloadHash(parts.signedHeaders);
  if (typeof payloadHash !== 'string') return fail(payloadHash);

  const canonical = canonicalRequest({
    method: input.method,
    path: input.path,
    query: input.query,
    headers: input.headers,
    signedHeaders: parts.signedHeaders,
    payloadHash,
    uriEncoding: input.uriEncoding,
  });
  // Undefined only if a signed header were absent, which was rejected above.
  if (canonical === undefined) return fail(errors.signatureMismatch());
  const signingKey = deriveSigningKey(secret, scope.date, scope.region, scope.service);
  const scopeText = credentialScope(scope.date, scope.region, scope.service);
  const expected = computeSignature(signingKey, stringToSign(date.amzDate, scopeText, canonical));
  if (!signaturesEqual(expected, parts.signature)) return fail(errors.signatureMismatch());
  return { ok: true, signingKey, scope: scopeText, payloadHash };
}

