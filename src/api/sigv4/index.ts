/**
 * AWS Signature Version 4 for the server side: {@link verifySigV4} for the request pipeline,
 * and the building blocks (canonical request, string to sign, signing key) for tests and for a
 * future signer or presigner.
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
