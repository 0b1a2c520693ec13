/**
 * Server-side verification of AWS Signature Version 4, header form. Pure: no I/O, the clock is
 * an input, and every malformed request becomes a VerifyResult rather than an exception, since
 * anything a client sends must end up as an AWS-shaped error (and an audit record), not a 500.
 */
import { headerMap, sha256Hex } from './canonical-request.js';
import { sigv4Errors } from './errors.js';
import { parseHeaderForm } from './header-form.js';
import { s3Errors } from './s3-errors.js';
import type { SignedRequest, VerifyOptions, VerifyResult } from './types.js';
import { attributionOf, single, skewError, verifyParts } from './verify-core.js';

/** AWS tolerates five minutes of clock skew for these services. */
export const DEFAULT_MAX_SKEW_MS = 5 * 60 * 1000;

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
  const uriEncoding = options.uriEncoding ?? 'double';
  const errors = uriEncoding === 's3' ? s3Errors('AuthHeader') : sigv4Errors;
  const headers = headerMap(request.headers);
  const authorization = single(headers, 'authorization');
  if (authorization === undefined || authorization.trim() === '') {
    return { ok: false, error: errors.missingAuthenticationToken() };
  }

  const parsed = parseHeaderForm(authorization, headers, errors);
  if (!parsed.ok) return { ok: false, error: parsed.error, ...attributionOf(parsed.scope) };
  const { scope, date } = parsed.parts;
  const checked = verifyParts({
    method: request.method,
    path: request.path,
    query: request.query,
    headers: request.headers,
    parts: parsed.parts,
    services: options.services,
    errors,
    uriEncoding,
    timeError: (requestDate) => skewError(requestDate, options.nowMs, options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS, errors),
    lookupSecret: options.lookupSecret,
    // The server hashes the body itself (botocore does not send x-amz-content-sha256 to these services);
    // a signed declaration must agree with it, or the signature would cover bytes that were never received.
    payloadHash: (signedHeaders) => {
      const payloadHash = sha256Hex(request.body);
      const declared = single(headers, 'x-amz-content-sha256');
      if (signedHeaders.includes('x-amz-content-sha256') && declared !== payloadHash) {
        return errors.contentSha256Mismatch();
      }
      return payloadHash;
    },
  });
  if (!checked.ok) return { ok: false, error: checked.error, ...attributionOf(scope) };

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
