/**
 * Failures found in a body while it streams, as S3 answers them. They are thrown into the
 * stream (`stream.destroy(error)`), so they are ServiceErrors: whatever ends the request can
 * answer them like any other error that reaches the wire.
 */
import { ServiceError } from '../errors.js';
import { echo } from './errors.js';

export const bodyErrors = {
  /** The body does not hash to the declared `x-amz-content-sha256`. */
  contentSha256Mismatch: (): ServiceError =>
    new ServiceError(
      'XAmzContentSHA256Mismatch',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
      400,
    ),

  /** A chunk or trailer signature of an aws-chunked body is wrong. */
  chunkSignatureMismatch: (): ServiceError =>
    new ServiceError(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      403,
    ),

  /** The body ended before the aws-chunked encoding did, or with fewer bytes than declared. */
  incomplete: (detail: string): ServiceError =>
    new ServiceError('IncompleteBody', `The request body terminated unexpectedly: ${detail}`, 400),

  /** The aws-chunked encoding is not well formed, or exceeds a limit. */
  malformed: (detail: string): ServiceError =>
    new ServiceError('InvalidRequest', `Invalid aws-chunked body: ${echo(detail)}`, 400),

  /** A trailing checksum does not match the decoded payload (S3 answers BadDigest). */
  checksumMismatch: (algorithm: string): ServiceError =>
    new ServiceError('BadDigest', `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`, 400),
};
