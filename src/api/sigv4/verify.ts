/**
 * Server-side verification of AWS Signature Version 4, header form. Pure: no I/O, the clock is
 * an input, and every malformed request becomes a VerifyResult rather than an exception, since
 * anything a client sends must end up as an AWS-shaped error (and an audit record), not a 500.
 */
import { timingSafeEqual } from 'node:crypto';
import { parseAuthorizationHeader, parseCredential } from './authorization-header.js';
import { canonicalRequest, headerMap, sha256Hex } from './canonical-request.js';
import { sigv4Errors } from './errors.js';
import { formatAmzDate, parseAmzDate, parseHttpDate } from './request-date.js';
import type { RequestDate } from './request-date.js';
import { computeSignature, deriveSigningKey } from './signing-key.js';
import { TERMINATOR, credentialScope, stringToSign } from './string-to-sign.js';
import type { SigV4Error, SignedRequest, VerifyOptions, VerifyResult } from './types.js';

/** AWS tolerates five minutes of clock skew for these services. */
export const DEFAULT_MAX_SKEW_MS = 5 * 60 * 1000;

/** A region is only ever a short lower-case slug; anything else must not reach the audit log as one. */
const REGION_SHAPE = /^[a-z0-9-]{1,64}$/;
/** Only an id of this shape is handed back for attribution, so a garbage Credential cannot pose as a key. */
const ACCESS_KEY_ID_SHAPE = /^\w{1,128}$/;
/** The hex form of an HMAC-SHA256, as every signer emits it. */
const SIGNATURE_LENGTH = 64;

type Headers = ReturnType<typeof headerMap>;

function single(headers: Headers, name: string): string | undefined {
  const value = headers.get(name);
  return value === undefined || typeof value === 'string' ? value : value.join(',');
}

/** X-Amz-Date wins over Date, as in AWS: clients that cannot set Date send X-Amz-Date instead. */
function requestDateHeader(headers: Headers): { name: 'X-Amz-Date' | 'Date'; value: string } | undefined {
  const amzDate = single(headers, 'x-amz-date');
  if (amzDate !== undefined) return { name: 'X-Amz-Date', value: amzDate };
  const httpDate = single(headers, 'date');
  return httpDate === undefined ? undefined : { name: 'Date', value: httpDate };
}

function signaturesEqual(expectedHex: string, provided: string): boolean {
  const providedBytes = Buffer.from(provided, 'utf8');
  // The length of a signature is public (always 64), so only equal-length values need the constant-time compare.
  if (providedBytes.length !== SIGNATURE_LENGTH) return false;
  return timingSafeEqual(Buffer.from(expectedHex, 'latin1'), providedBytes);
}

/** Fails closed: a NaN `nowMs` or skew makes every comparison false and so rejects. */
function skewError(date: RequestDate, nowMs: number, maxSkewMs: number): SigV4Error | undefined {
  const minutes = String(maxSkewMs / 60_000);
  const now = formatAmzDate(nowMs);
  if (!(date.epochMs >= nowMs - maxSkewMs)) {
    return sigv4Errors.expired(date.amzDate, formatAmzDate(nowMs - maxSkewMs), now, minutes);
  }
  if (!(date.epochMs <= nowMs + maxSkewMs)) {
    return sigv4Errors.notYetCurrent(date.amzDate, formatAmzDate(nowMs + maxSkewMs), now, minutes);
  }
  return undefined;
}

/**
 * Verifies the SigV4 `Authorization` header of a request.
 *
 * Checks, in order: the header is present and well formed, a date header is present, the
 * credential scope (date, region, service, terminator) fits the request and `options.services`,
 * `host` and the date header are signed and every signed header is present, the date is within
 * the allowed skew of `options.nowMs`, the key is known, a signed `x-amz-content-sha256` matches
 * the body, and finally the signature itself (compared in constant time).
 *
 * Never throws for any request; only an exception thrown by `options.lookupSecret` propagates.
 * @returns The authenticated key, scope and time, or an AWS-shaped error that still carries the
 * access key id and region whenever they could be parsed.
 */
export function verifySigV4(request: SignedRequest, options: VerifyOptions): VerifyResult {
  const headers = headerMap(request.headers);
  const authorization = single(headers, 'authorization');
  if (authorization === undefined || authorization.trim() === '') {
    return { ok: false, error: sigv4Errors.missingAuthenticationToken() };
  }

  const parsed = parseAuthorizationHeader(authorization);
  if (parsed.kind === 'not-key-value') {
    return { ok: false, error: sigv4Errors.notKeyValuePair(parsed.token, authorization) };
  }
  if (parsed.kind === 'duplicate') return { ok: false, error: sigv4Errors.duplicateParameter(parsed.name) };
  const { credential, signedHeaders, signature } = parsed.kind === 'parameters' ? parsed.parameters : {};
  const scope = credential === undefined ? undefined : parseCredential(credential);
  const regionIsValid = scope !== undefined && REGION_SHAPE.test(scope.region);
  const attribution = {
    ...(scope !== undefined && ACCESS_KEY_ID_SHAPE.test(scope.accessKeyId) && { accessKeyId: scope.accessKeyId }),
    ...(regionIsValid && { region: scope.region }),
  };
  const fail = (error: SigV4Error): VerifyResult => ({ ok: false, error, ...attribution });

  const dateHeader = requestDateHeader(headers);
  if (credential === undefined || signedHeaders === undefined || signature === undefined || dateHeader === undefined) {
    const missing = {
      credential: credential === undefined,
      signature: signature === undefined,
      signedHeaders: signedHeaders === undefined,
      date: dateHeader === undefined,
    };
    return fail(sigv4Errors.missingParts(missing, authorization));
  }
  if (scope === undefined) return fail(sigv4Errors.credentialShape(credential));

  const date = dateHeader.name === 'X-Amz-Date' ? parseAmzDate(dateHeader.value) : parseHttpDate(dateHeader.value);
  if (date === undefined) {
    return fail(
      dateHeader.name === 'X-Amz-Date'
        ? sigv4Errors.amzDateFormat(dateHeader.value)
        : sigv4Errors.httpDateFormat(dateHeader.value),
    );
  }
  if (scope.date !== date.amzDate.slice(0, 8)) return fail(sigv4Errors.scopeDateMismatch(scope.date, date.amzDate));
  if (!regionIsValid) return fail(sigv4Errors.invalidRegion(scope.region));
  if (!options.services.includes(scope.service)) return fail(sigv4Errors.wrongService(options.services));
  if (scope.terminator !== TERMINATOR) return fail(sigv4Errors.wrongTerminator(scope.terminator));

  const signedHeaderNames = signedHeaders.split(';').map((name) => name.toLowerCase());
  if (!signedHeaderNames.includes('host')) return fail(sigv4Errors.hostNotSigned());
  if (!signedHeaderNames.includes(dateHeader.name.toLowerCase())) {
    return fail(sigv4Errors.dateNotSigned(dateHeader.name));
  }
  const absent = signedHeaderNames.find((name) => !headers.has(name));
  if (absent !== undefined) return fail(sigv4Errors.signedHeaderMissing(absent));

  const skew = skewError(date, options.nowMs, options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS);
  if (skew !== undefined) return fail(skew);

  const secret = options.lookupSecret(scope.accessKeyId);
  if (secret === undefined) return fail(sigv4Errors.unrecognizedClient());

  // The server hashes the body itself (botocore does not send x-amz-content-sha256 to these services);
  // a signed declaration must agree with it, or the signature would cover bytes that were never received.
  const payloadHash = sha256Hex(request.body);
  if (signedHeaderNames.includes('x-amz-content-sha256') && single(headers, 'x-amz-content-sha256') !== payloadHash) {
    return fail(sigv4Errors.contentSha256Mismatch());
  }

  const canonical = canonicalRequest({
    method: request.method,
    path: request.path,
    query: request.query,
    headers: request.headers,
    signedHeaders: signedHeaderNames,
    payloadHash,
  });
  // Undefined only if a signed header were absent, which was rejected above.
  if (canonical === undefined) return fail(sigv4Errors.signatureMismatch());
  const expected = computeSignature(
    deriveSigningKey(secret, scope.date, scope.region, scope.service),
    stringToSign(date.amzDate, credentialScope(scope.date, scope.region, scope.service), canonical),
  );
  if (!signaturesEqual(expected, signature)) return fail(sigv4Errors.signatureMismatch());

  const sessionToken = single(headers, 'x-amz-security-token');
  return {
    ok: true,
    accessKeyId: scope.accessKeyId,
    region: scope.region,
    service: scope.service,
    amzDate: date.amzDate,
    ...(sessionToken !== undefined && { sessionToken }),
  };
}
