/**
 * AWS Signature Version 4 for the server side: {@link verifySigV4} for the request pipeline,
 * {@link verifySigV4Streaming} and the body checks for the gateway, {@link signRequest} for its upstreams,
 * and the building blocks (canonical request, string to sign, signing key) for tests.
 */
export type { HeaderRecord, SigV4Error, SignedRequest, VerifyOptions, VerifyResult } from './types.js';
export { DEFAULT_MAX_SKEW_MS, verifySigV4 } from './verify.js';
export type { CanonicalRequestInput } from './canonical-request.js';
export {
  EMPTY_SHA256,
  canonicalHeaderValue,
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
  sha256Hex,
} from './canonical-request.js';
export { TERMINATOR, credentialScope, stringToSign } from './string-to-sign.js';
export { computeSignature, deriveSigningKey } from './signing-key.js';
export { ALGORITHM } from './authorization-header.js';
export type { UriEncoding } from './canonical-request.js';
export type { AuthForm, ErrorSet } from './s3-errors.js';
export { s3Errors } from './s3-errors.js';
export type { PayloadMode } from './payload-mode.js';
export { isChunkedMode, parsePayloadMode } from './payload-mode.js';
export type { StreamingVerified, StreamingVerifyResult } from './verify-streaming.js';
export { verifySigV4Streaming } from './verify-streaming.js';
export { MAX_EXPIRES_SECONDS } from './presigned-query.js';
export { bodyErrors } from './body-errors.js';
export { PayloadHashCheck, payloadHashCheck } from './payload-check.js';
export type { ChunkSigningContext } from './chunk-signature.js';
export { canonicalTrailers, chunkSignature, trailerSignature } from './chunk-signature.js';
export type { AwsChunkedOptions, ChunkedMode, TrailingChecksum } from './aws-chunked.js';
export {
  AwsChunkedDecoder,
  DEFAULT_MAX_CHUNK_SIZE,
  DEFAULT_MAX_LINE_LENGTH,
  DEFAULT_MAX_TRAILER_BYTES,
  awsChunkedDecoder,
} from './aws-chunked.js';
export type { BodyCheckLimits } from './body-check.js';
export { bodyCheckFor } from './body-check.js';
