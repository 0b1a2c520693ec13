/** S3's Signature Version 2, verified on the server side (the gateway's S3 SigV2 requests). */
export type { S3SigV2AuthenticationMethod, S3SigV2Options, S3SigV2Request, S3SigV2Result } from './verify.js';
export { SIGV2_MAX_SKEW_MS, verifyS3SigV2 } from './verify.js';
export { SUB_RESOURCES, canonicalizedAmzHeaders, canonicalizedResource, s3SigV2Signature, s3SigV2StringToSign, unquote } from './string-to-sign.js';
export { sigv2Errors } from './errors.js';
