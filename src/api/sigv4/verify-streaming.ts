/**
 * Verification of a request whose body has not been read: S3's rules, where the client declares
 * the payload hash in `x-amz-content-sha256` (or signs `UNSIGNED-PAYLOAD` in a presigned URL)
 * and the body is checked against the declaration while it streams to the upstream. Accepts both
 * the Authorization-header form and the presigned query form, and hands back what the body
 * check needs (mode, signing key, seed signature, date and scope).
 */
import { headerMap } from './canonical-request.js';
import { sigv4Errors } from './errors.js';
import { parseHeaderForm } from './header-form.js';
import { parsePayloadMode } from './payload-mode.js';
import type { PayloadMode } from './payload-mode.js';
import { isPresigned, parsePresignedQuery, presignedTimeError } from './presigned-query.js';
import { s3Errors, s3OnlyErrors } from './s3-errors.js';
import type { AuthForm } from './s3-errors.js';
import type { SigV4Error, SignedRequest, VerifyOptions } from './types.js';
import { attributionOf, single, skewError, verifyParts } from './verify-core.js';
import type { CoreInput, Headers } from './verify-core.js';
import { DEFAULT_MAX_SKEW_MS } from './verify.js';

/** What verifying a streamed request yields: who signed it, and how to check the body that follows. */
export interface StreamingVerified {
  ok: true;
  authenticationMethod: AuthForm;
  accessKeyId: string;
  region: string;
  service: string;
  /** The signing time, `YYYYMMDDTHHMMSSZ`: the second line of every chunk's string to sign. */
  amzDate: string;
  /** The credential scope `YYYYMMDD/region/service/aws4_request`: the third line. */
  scope: string;
  /** The key the signature was made with, for chunk and trailer signatures. */
  signingKey: Buffer;
  /** The request's own signature: the "previous signature" of the first chunk. */
  seedSignature: string;
  payloadMode: PayloadMode;
  /** What was signed as the payload hash: the hex digest (mode `sha256`) or the literal. */
  payloadHash: string;
  sessionToken?: string;
  /** Presigned only: the URL's validity in seconds. */
  expiresSeconds?: number;
}

/** The outcome of {@link verifySigV4Streaming}; a failure keeps what could be parsed, for attribution. */
export type StreamingVerifyResult =
  | StreamingVerified
  | { ok: false; error: SigV4Error; authenticationMethod?: AuthForm; accessKeyId?: string; region?: string };

/** The declared payload hash of a header-signed request: required, and one of the values S3 accepts. */
function declaredPayload(headers: Headers): { hash: string; mode: PayloadMode } | SigV4Error {
  const declared = single(headers, 'x-amz-content-sha256');
  if (declared === undefined) return s3OnlyErrors.missingContentSha256();
  const mode = parsePayloadMode(declared);
  return mode === undefined ? s3OnlyErrors.invalidContentSha256() : { hash: declared, mode };
}

/**
 * Verifies a request without its body. The header form requires `x-amz-content-sha256` (S3's
 * `InvalidRequest` when missing, `InvalidArgument` when it is not a SHA-256 or a known literal).
 * The presigned form signs `UNSIGNED-PAYLOAD` unless `x-amz-content-sha256` is itself a signed
 * header. A request carrying both an Authorization header and `X-Amz-Algorithm` is refused, as S3
 * refuses it. With `uriEncoding: 's3'` the canonical URI is the raw path and errors are S3's.
 *
 * Never throws for any request; only an exception thrown by `options.lookupSecret` propagates.
 * Success says nothing about the body yet: the caller must run it through the check that
 * `payloadMode` names (`payloadHashCheck`, `awsChunkedDecoder`) before the upstream sees its end.
 */
export function verifySigV4Streaming(request: Omit<SignedRequest, 'body'>, options: VerifyOptions): StreamingVerifyResult {
  const uriEncoding = options.uriEncoding ?? 'double';
  const maxSkewMs = options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  const headers = headerMap(request.headers);
  const authorization = single(headers, 'authorization');
  const hasHeader = authorization !== undefined && authorization.trim() !== '';
  const presigned = isPresigned(request.query);
  if (hasHeader && presigned) return { ok: false, error: s3OnlyErrors.bothAuthForms() };
  const form: AuthForm = presigned ? 'QueryString' : 'AuthHeader';
  const errors = uriEncoding === 's3' ? s3Errors(form) : sigv4Errors;
  if (!hasHeader && !presigned) return { ok: false, error: errors.missingAuthenticationToken() };

  let payload: { hash: string; mode: PayloadMode } | undefined;
  const common = {
    method: request.method,
    path: request.path,
    headers: request.headers,
    services: options.services,
    errors,
    uriEncoding,
    lookupSecret: options.lookupSecret,
  };
  let input: CoreInput;
  let sessionToken: string | undefined;
  let expiresSeconds: number | undefined;
  if (presigned) {
    const parsed = parsePresignedQuery(request.query);
    if (!parsed.ok) return { ok: false, error: parsed.error, authenticationMethod: form, ...attributionOf(parsed.scope) };
    sessionToken = parsed.sessionToken;
    expiresSeconds = parsed.expiresSeconds;
    input = {
      ...common,
      query: parsed.canonicalQuery,
      parts: parsed.parts,
      timeError: (date) => presignedTimeError(date, parsed.expiresSeconds, options.nowMs, maxSkewMs),
      payloadHash: (signedHeaders) => {
        const declared = signedHeaders.includes('x-amz-content-sha256') ? declaredPayload(headers) : undefined;
        if (declared !== undefined && !('mode' in declared)) return declared;
        payload = declared ?? { hash: 'UNSIGNED-PAYLOAD', mode: 'unsigned' };
        return payload.hash;
      },
    };
  } else {
    const parsed = parseHeaderForm(authorization ?? '', headers, errors);
    if (!parsed.ok) return { ok: false, error: parsed.error, authenticationMethod: form, ...attributionOf(parsed.scope) };
    // Checked before the signature, as S3 does: without a declaration there is nothing to verify against.
    const declared = declaredPayload(headers);
    if (!('mode' in declared)) {
      return { ok: false, error: declared, authenticationMethod: form, ...attributionOf(parsed.parts.scope) };
    }
    sessionToken = single(headers, 'x-amz-security-token');
    input = {
      ...common,
      query: request.query,
      parts: parsed.parts,
      timeError: (date) => skewError(date, options.nowMs, maxSkewMs, errors),
      payloadHash: () => {
        payload = declared;
        return declared.hash;
      },
    };
  }

  const { scope, date, signature } = input.parts;
  const checked = verifyParts(input);
  if (!checked.ok || payload === undefined) {
    const error = checked.ok ? errors.signatureMismatch() : checked.error;
    return { ok: false, error, authenticationMethod: form, ...attributionOf(scope) };
  }
  return {
    ok: true,
    authenticationMethod: form,
    accessKeyId: scope.accessKeyId,
    region: scope.region,
    service: scope.service,
    amzDate: date.amzDate,
    scope: checked.scope,
    signingKey: checked.signingKey,
    seedSignature: signature,
    payloadMode: payload.mode,
    payloadHash: payload.hash,
    ...(sessionToken !== undefined && { sessionToken }),
    ...(expiresSeconds !== undefined && { expiresSeconds }),
  };
}
