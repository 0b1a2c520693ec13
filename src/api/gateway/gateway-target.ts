/**
 * Which service a request is for, read before its body: the gateway must decide whether to
 * stream a request before anything of it is consumed. The credential scope names the service,
 * in the Authorization header or, for a presigned URL, in X-Amz-Credential.
 */
import type { HeaderRecord } from '../sigv4/types.js';

const HEADER_SCOPE = /Credential=[^/,\s]{1,128}\/\d{8}\/[^/,\s]{1,64}\/([^/,\s]{1,64})\/aws4_request/;
const QUERY_CREDENTIAL = /(?:^|&)X-Amz-Credential=([^&]{1,512})/i;
const SIGV2_ACCESS_KEY_ID = /(?:^|&)AWSAccessKeyId=([^&]{1,384})/;

function single(headers: HeaderRecord, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : (value as string | undefined);
}

/** The signing service the request's credential scope names, when it names one. */
export function scopeServiceOf(headers: HeaderRecord, rawQuery: string): string | undefined {
  const authorization = single(headers, 'authorization');
  if (authorization !== undefined) return HEADER_SCOPE.exec(authorization)?.[1];
  const credential = QUERY_CREDENTIAL.exec(rawQuery)?.[1];
  if (credential === undefined) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(credential);
  } catch {
    return undefined;
  }
  const parts = decoded.split('/');
  return parts.length === 5 && parts[4] === 'aws4_request' ? parts[3] : undefined;
}

/**
 * The key id of the credential, from the header or the presigned query: SigV4's `Credential`,
 * or S3 SigV2's `AWS <key id>:` header and `AWSAccessKeyId` parameter.
 */
export function accessKeyIdOf(headers: HeaderRecord, rawQuery: string): string | undefined {
  const authorization = single(headers, 'authorization');
  if (authorization !== undefined) return (/Credential=([^/,\s]{1,128})\//.exec(authorization) ?? /^AWS ([^:\s]{1,128}):/.exec(authorization))?.[1];
  const credential = QUERY_CREDENTIAL.exec(rawQuery)?.[1];
  if (credential === undefined) {
    const sigV2 = SIGV2_ACCESS_KEY_ID.exec(rawQuery)?.[1];
    if (sigV2 === undefined) return undefined;
    try {
      return decodeURIComponent(sigV2);
    } catch {
      return undefined;
    }
  }
  try {
    return /^([^/]{1,128})\//.exec(decodeURIComponent(credential))?.[1];
  } catch {
    return undefined;
  }
}

/** An S3 bucket name as S3 allows it in a host name (lower case, digits, dots and hyphens). */
const BUCKET_LABEL = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * The bucket of a virtual-hosted-style S3 request (`finance.localhost:4747` → `finance`), when
 * the Host names one under a configured domain; undefined for path-style requests.
 */
export function virtualHostBucket(host: string, domains: readonly string[]): string | undefined {
  const hostname = host.replace(/:\d+$/, '').toLowerCase();
  for (const domain of domains) {
    const suffix = `.${domain.toLowerCase()}`;
    if (!hostname.endsWith(suffix)) continue;
    const bucket = hostname.slice(0, -suffix.length);
    return BUCKET_LABEL.test(bucket) ? bucket : undefined;
  }
  return undefined;
}

const SIGV2_QUERY = [/(?:^|&)AWSAccessKeyId=/, /(?:^|&)Signature=/, /(?:^|&)Expires=/];

/**
 * Whether a request is signed with S3's Signature Version 2 (`Authorization: AWS key:signature`,
 * or a presigned URL's `AWSAccessKeyId`, `Signature` and `Expires`), as the AWS CLI v1 and boto3
 * still presign S3 URLs by default. Such a request has no credential scope: without this it
 * would be taken for one of the hosted APIs. The gateway verifies it as S3 does (../sigv2/).
 */
export function isS3SigV2(headers: HeaderRecord, rawQuery: string): boolean {
  const authorization = single(headers, 'authorization');
  if (authorization !== undefined) return /^AWS [^:\s]{1,128}:/.test(authorization);
  // The query APIs' own SigV2 (`SignatureVersion=2`, IAM's, EC2's) is the hosted services' to refuse.
  return SIGV2_QUERY.every((parameter) => parameter.test(rawQuery)) && !/(?:^|&)SignatureVersion=/.test(rawQuery);
}

/**
 * Whether a raw path has a `.` or `..` segment, written plainly or percent-encoded. The
 * gateway authorizes the path as written (`finance/../payroll/x` is a key of `finance`), and an
 * upstream or a proxy before it that resolved the segments would act on another resource than
 * the one authorized; such paths are refused instead.
 */
export function hasDotSegment(rawPath: string): boolean {
  return rawPath.split('/').some((segment) => /^(?:\.|%2e){1,2}$/i.test(segment));
}
