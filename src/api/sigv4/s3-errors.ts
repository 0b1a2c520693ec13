/**
 * The same SigV4 failures as S3 answers them. S3 predates the JSON services' error vocabulary and
 * SDK users (and the S3 SDKs' retry and clock-skew logic) recognise its codes, so a gateway in
 * front of an S3-compatible store must answer `SignatureDoesNotMatch`, not
 * `InvalidSignatureException`. Where S3's exact wording is known it is used; otherwise the
 * descriptive message of the JSON-service error is kept under S3's code.
 */
import { echo, sigv4Errors } from './errors.js';
import type { SigV4Error } from './types.js';

/** The error constructors a verification uses; one set per dialect. */
export type ErrorSet = typeof sigv4Errors;

/** Which part of the request carried the signature, since S3 names malformed ones differently. */
export type AuthForm = 'AuthHeader' | 'QueryString';

const PAYLOAD_VALUES =
  'UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, ' +
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';

function s3(code: string, message: string, httpStatus: number): SigV4Error {
  return { code, message, httpStatus };
}

/** Failures only the S3 dialect (the streaming and presigned forms) can produce. */
export const s3OnlyErrors = {
  missingContentSha256: (): SigV4Error =>
    s3('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256', 400),

  invalidContentSha256: (): SigV4Error =>
    s3('InvalidArgument', `x-amz-content-sha256 must be ${PAYLOAD_VALUES}, or a valid sha256 value.`, 400),

  bothAuthForms: (): SigV4Error =>
    s3(
      'InvalidArgument',
      'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string ' +
        'parameter or the Authorization header should be specified',
      400,
    ),

  /** A presigned request's query parameters are unusable; the message says which and why. */
  queryParameters: (message: string): SigV4Error => s3('AuthorizationQueryParametersError', message, 400),

  requestExpired: (): SigV4Error => s3('AccessDenied', 'Request has expired', 403),

  requestNotYetValid: (): SigV4Error => s3('AccessDenied', 'Request is not valid yet', 403),
};

/** Presigned-URL parameter errors, worded after S3's. */
export const queryErrors = {
  missing: (names: readonly string[]): SigV4Error =>
    s3OnlyErrors.queryParameters(
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, ' +
        `X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters. Missing: ${names.join(', ')}.`,
    ),
  duplicate: (name: string): SigV4Error =>
    s3OnlyErrors.queryParameters(`The ${echo(name)} query parameter is given more than once.`),
  algorithm: (): SigV4Error =>
    s3OnlyErrors.queryParameters('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"'),
  credential: (credential: string): SigV4Error =>
    s3OnlyErrors.queryParameters(
      'Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting ' +
        `"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request". Got '${echo(credential)}'.`,
    ),
  date: (value: string): SigV4Error =>
    s3OnlyErrors.queryParameters(
      `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'". Got '${echo(value)}'.`,
    ),
  expiresNotNumber: (): SigV4Error => s3OnlyErrors.queryParameters('X-Amz-Expires should be a number'),
  expiresTooSmall: (): SigV4Error =>
    s3OnlyErrors.queryParameters('X-Amz-Expires must be at least 1 (seconds); it was 0 or negative'),
  expiresTooLarge: (): SigV4Error =>
    s3OnlyErrors.queryParameters('X-Amz-Expires must be less than a week (in seconds) that is 604800'),
};

/** Keeps a failure's message but answers it under S3's code for a malformed signature. */
function malformedAs<A extends unknown[]>(
  code: string,
  make: (...args: A) => SigV4Error,
): (...args: A) => SigV4Error {
  return (...args) => ({ ...make(...args), code, httpStatus: 400 });
}

/** The S3 dialect of {@link sigv4Errors} for a signature carried in `form`. */
export function s3Errors(form: AuthForm): ErrorSet {
  const code = form === 'AuthHeader' ? 'AuthorizationHeaderMalformed' : 'AuthorizationQueryParametersError';
  const skewed = (): SigV4Error =>
    s3('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', 403);
  return {
    missingAuthenticationToken: () => s3('AccessDenied', 'Access Denied', 403),
    missingParts: malformedAs(code, sigv4Errors.missingParts),
    notKeyValuePair: malformedAs(code, sigv4Errors.notKeyValuePair),
    duplicateParameter: malformedAs(code, sigv4Errors.duplicateParameter),
    credentialShape: malformedAs(code, sigv4Errors.credentialShape),
    amzDateFormat: malformedAs(code, sigv4Errors.amzDateFormat),
    httpDateFormat: malformedAs(code, sigv4Errors.httpDateFormat),
    scopeDateMismatch: malformedAs(code, sigv4Errors.scopeDateMismatch),
    invalidRegion: malformedAs(code, sigv4Errors.invalidRegion),
    wrongService: malformedAs(code, sigv4Errors.wrongService),
    wrongTerminator: malformedAs(code, sigv4Errors.wrongTerminator),
    hostNotSigned: malformedAs(code, sigv4Errors.hostNotSigned),
    dateNotSigned: malformedAs(code, sigv4Errors.dateNotSigned),
    signedHeaderMissing: malformedAs(code, sigv4Errors.signedHeaderMissing),
    expired: skewed,
    notYetCurrent: skewed,
    unrecognizedClient: () =>
      s3('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403),
    contentSha256Mismatch: () =>
      s3('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", 400),
    signatureMismatch: () =>
      s3(
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. ' +
          'Check your key and signing method.',
        403,
      ),
  };
}
