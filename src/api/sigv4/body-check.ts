/**
 * Picks the body check a verified streaming request needs, so that the gateway cannot forget
 * one: a declared SHA-256 is hashed, an aws-chunked body decoded and its signatures checked, an
 * unsigned payload passed as is.
 */
import type { Transform } from 'node:stream';
import { awsChunkedDecoder } from './aws-chunked.js';
import type { AwsChunkedOptions } from './aws-chunked.js';
import { bodyErrors } from './body-errors.js';
import { headerMap } from './canonical-request.js';
import { payloadHashCheck } from './payload-check.js';
import type { HeaderRecord } from './types.js';
import { single } from './verify-core.js';
import type { StreamingVerified } from './verify-streaming.js';

/** Limits passed on to the aws-chunked decoder. */
export type BodyCheckLimits = Pick<AwsChunkedOptions, 'maxChunkSize' | 'maxLineLength' | 'maxTrailerBytes'>;

/**
 * The Transform to pipe the request body through before it reaches the upstream, or undefined
 * for `UNSIGNED-PAYLOAD` (nothing to check). For aws-chunked bodies the decoded length comes
 * from `x-amz-decoded-content-length` and the trailer names from `x-amz-trailer`.
 * @throws ServiceError (InvalidRequest) when `x-amz-decoded-content-length` is not a number.
 */
export function bodyCheckFor(
  verified: StreamingVerified,
  requestHeaders: HeaderRecord,
  limits: BodyCheckLimits = {},
): Transform | undefined {
  switch (verified.payloadMode) {
    case 'unsigned':
      return undefined;
    case 'sha256':
      return payloadHashCheck(verified.payloadHash);
    default: {
      const headers = headerMap(requestHeaders);
      const rawLength = single(headers, 'x-amz-decoded-content-length');
      if (rawLength !== undefined && !/^\d{1,15}$/.test(rawLength)) {
        throw bodyErrors.malformed(`x-amz-decoded-content-length is not a length: '${rawLength}'`);
      }
      const trailer = single(headers, 'x-amz-trailer');
      return awsChunkedDecoder({
        ...limits,
        mode: verified.payloadMode,
        ...(verified.payloadMode !== 'streaming-unsigned-trailer' && {
          signing: {
            signingKey: verified.signingKey,
            amzDate: verified.amzDate,
            scope: verified.scope,
            seedSignature: verified.seedSignature,
          },
        }),
        ...(rawLength !== undefined && { decodedContentLength: Number(rawLength) }),
        ...(trailer !== undefined && {
          declaredTrailers: trailer.split(',').map((name) => name.trim()).filter((name) => name !== ''),
        }),
      });
    }
  }
}
