/** `validate-logs`: the stock CLI's digest chain validation plus OpenTrail's Merkle tree checks. */
export { displayTime, parseTimeArgument, parseTrailArn } from './digest-keys.js';
export { GzipFormatError, gunzipMember } from './gzip-member.js';
export { printResult, startupText } from './report.js';
export type { Output } from './report.js';
export type { TrustedDigestInput } from './trusted-digest.js';
export type { Entry, ObjectReader, PublicKey, PublicKeySource, ValidationResult } from './types.js';
export { DEFAULT_CONCURRENCY, ValidationAbort, validateTrail } from './validate-trail.js';
export type { ValidateOptions } from './validate-trail.js';
