/**
 * SigV2 failures as S3 answers them. Malformed parts follow S3: missing query parameters, an
 * unreadable Expires and a missing or unreadable date are `AccessDenied` (403); an Authorization
 * header not of the form `AWS key:signature`, a parameter given twice and both forms at once
 * are `InvalidArgument` (400).
 */
import { echo } from '../sigv4/errors.js';
import type { SigV4Error } from '../sigv4/types.js';

function s3(code: string, message: string, httpStatus: number): SigV4Error {
  return { code, message, httpStatus };
}

export const sigv2Errors = {
  missingQueryParameters: (): SigV4Error =>
    s3('AccessDenied', 'Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters', 403),
  expiresNotANumber: (value: string): SigV4Error => s3('AccessDenied', `Invalid date (should be seconds since epoch): ${echo(value)}`, 403),
  expired: (): SigV4Error => s3('AccessDenied', 'Request has expired', 403),
  duplicateParameter: (name: string): SigV4Error => s3('InvalidArgument', `The ${echo(name)} query parameter is given more than once.`, 400),
  malformedHeader: (): SigV4Error => s3('InvalidArgument', 'AWS authorization header is invalid.  Expected AwsAccessKeyId:signature', 400),
  bothAuthForms: (): SigV4Error =>
    s3('InvalidArgument', 'Only one auth mechanism allowed; only the Signature query string parameter or the Authorization header should be specified', 400),
  missingDate: (): SigV4Error => s3('AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header', 403),
  skewed: (): SigV4Error => s3('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', 403),
  unknownKey: (): SigV4Error => s3('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403),
  signatureMismatch: (): SigV4Error =>
    s3('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', 403),
};
