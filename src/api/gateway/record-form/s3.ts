/**
 * S3 (rest-xml) calls as CloudTrail records them. Shapes follow real S3 records (management and
 * data events):
 *
 * - requestParameters: `bucketName`, `Host` (as the client sent it), `key` (decoded) for object
 *   calls, then every query parameter with its decoded value (sub-resource markers as `""`:
 *   `acl: ""`, `list-type: "2"`), except the presigned-URL auth parameters (`X-Amz-*`; SigV2's
 *   `AWSAccessKeyId`, `Signature`, `Expires`) and the
 *   SDKs' `x-id`; then the few request headers CloudTrail lists (REQUEST_HEADERS). Never a body:
 *   the gateway streams S3 bodies, so the members CloudTrail parses from them (PutBucketPolicy's
 *   `bucketPolicy`, PutBucketTagging's `Tagging`, CreateBucket's `CreateBucketConfiguration`) are
 *   not recorded. `x-amz-copy-source` is not recorded either (not seen in a real record here).
 * - responseElements: null, as CloudTrail has it for almost every S3 call; PutObject, CopyObject
 *   and CompleteMultipartUpload record the response headers RESPONSE_HEADERS (null when none);
 *   CreateMultipartUpload records `{ bucket, key, uploadId }` from its XML answer.
 * - additionalEventData: SignatureVersion (SigV4, or SigV2 for S3's legacy signatures), CipherSuite (TLS only: records of plain-HTTP calls
 *   have none), bytesTransferredIn, AuthenticationMethod, x-amz-id-2 (when the upstream sent
 *   one), bytesTransferredOut: the key order of S3's management records.
 * - resources: object calls name the object and its bucket; ListObjects/ListObjectVersions/
 *   ListMultipartUploads the objects by `ARNPrefix` (bucket/prefix) and the bucket, DeleteObjects
 *   (keys in the body) by `ARNPrefix` bucket/; other bucket calls the bucket.
 *   ListBuckets and CreateBucket name none, nor does a call that failed with NoSuchBucket (as in
 *   the real records).
 * - errors: `<Error><Code>/<Message>` of the answer; a HEAD failure has no body, so its code is
 *   the status in words (`NotFound`, `Forbidden`), as the SDKs report it.
 */
import { STATUS_CODES } from 'node:http';
import type { RecordResource } from '../../../core/record.js';
import type { ForwardedCall, RecordForm, UpstreamError } from '../contract.js';
import type { RecordFacts } from './shared.js';
import { baseForm, defined, failed, header, MAX_VALUE_LENGTH, queryParams, safeDecode, statusCode } from './shared.js';
import { childText, parseXml } from './xml.js';

/** Request headers CloudTrail lists among S3 requestParameters, by their wire name. */
export const REQUEST_HEADERS: readonly string[] = ['x-amz-acl', 'x-amz-server-side-encryption', 'x-amz-server-side-encryption-aws-kms-key-id'];

/** Response headers recorded as responseElements by the calls that write an object. */
export const RESPONSE_HEADERS: readonly string[] = ['x-amz-server-side-encryption', 'x-amz-version-id', 'x-amz-expiration'];

const OBJECT_WRITES = new Set(['PutObject', 'CopyObject', 'CompleteMultipartUpload']);
/**
 * Data events on a bucket's objects without one key: they name the objects by `ARNPrefix`
 * (the listing's prefix; DeleteObjects, whose keys are in its body and not recorded, the whole
 * bucket). Trails' data selectors match on that entry: without it none would deliver them.
 */
const OBJECT_PREFIX_CALLS = new Set(['ListObjects', 'ListObjectsV2', 'ListObjectVersions', 'ListMultipartUploads', 'DeleteObjects']);

/** SigV2 presigning's query parameters (a signature is never recorded). */
const SIGV2_AUTH_PARAMS = new Set(['AWSAccessKeyId', 'Signature', 'Expires']);

/** Query parameters that are never request members: presigning (SigV4's, SigV2's) and the SDKs' operation hint. */
function isAuthParam(name: string, sigV2: boolean): boolean {
  return name.toLowerCase().startsWith('x-amz-') || name === 'x-id' || (sigV2 && SIGV2_AUTH_PARAMS.has(name));
}

/** Bucket and key of a path-style request: from the matched URI labels, else from the path. */
export function bucketAndKey(call: ForwardedCall): { bucket?: string; key?: string } {
  const labels = call.matched?.uriParams;
  if (labels?.Bucket !== undefined) return { bucket: labels.Bucket, ...(labels.Key !== undefined && labels.Key !== '' && { key: labels.Key }) };
  const path = call.request.path.startsWith('/') ? call.request.path.slice(1) : call.request.path;
  if (path === '') return {};
  const slash = path.indexOf('/');
  const bucket = safeDecode(slash === -1 ? path : path.slice(0, slash));
  const key = slash === -1 ? '' : safeDecode(path.slice(slash + 1));
  return { bucket, ...(key !== '' && { key }) };
}

function s3Error(call: ForwardedCall): { error?: UpstreamError; bodyRequestId?: string } {
  if (!failed(call)) return {};
  const response = call.response!;
  const root = parseXml(response.body);
  const code = root?.name === 'Error' ? childText(root, 'Code') : undefined;
  if (code === undefined || code === '') {
    return { error: { code: statusCode(response.status), message: STATUS_CODES[response.status] ?? '' } };
  }
  return { error: { code, message: childText(root, 'Message') ?? '' }, bodyRequestId: childText(root, 'RequestId') };
}

function requestParameters(call: ForwardedCall, bucket: string | undefined, key: string | undefined): Record<string, unknown> {
  // A Map, then fromEntries: a parameter named `__proto__` stays a plain member.
  const params = new Map<string, unknown>();
  if (bucket !== undefined) params.set('bucketName', bucket);
  params.set('Host', call.request.host);
  if (key !== undefined) params.set('key', key.slice(0, MAX_VALUE_LENGTH));
  for (const [name, value] of queryParams(call.request.query)) {
    if (!isAuthParam(name, call.signatureVersion === 'SigV2') && !params.has(name)) params.set(name, value);
  }
  for (const name of REQUEST_HEADERS) {
    const value = header(call.request.headers, name);
    if (value !== undefined) params.set(name, value.slice(0, MAX_VALUE_LENGTH));
  }
  return Object.fromEntries(params);
}

function responseElements(call: ForwardedCall, operation: string | undefined): Record<string, unknown> | null {
  const response = call.response;
  if (response === undefined || failed(call)) return null;
  if (operation !== undefined && OBJECT_WRITES.has(operation)) {
    const out: Record<string, unknown> = {};
    for (const name of RESPONSE_HEADERS) {
      const value = header(response.headers, name);
      if (value !== undefined) out[name] = value;
    }
    return Object.keys(out).length > 0 ? out : null;
  }
  if (operation === 'CreateMultipartUpload') {
    const root = parseXml(response.body);
    if (root?.name !== 'InitiateMultipartUploadResult') return null;
    return defined({ bucket: childText(root, 'Bucket'), key: childText(root, 'Key'), uploadId: childText(root, 'UploadId') });
  }
  return null;
}

function resources(call: ForwardedCall, operation: string | undefined, bucket: string | undefined, key: string | undefined, error: UpstreamError | undefined): RecordResource[] {
  if (bucket === undefined || operation === 'CreateBucket' || error?.code === 'NoSuchBucket') return [];
  const bucketResource: RecordResource = { accountId: call.resourceAccountId, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` };
  if (key !== undefined) return [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/${key}` }, bucketResource];
  if (operation !== undefined && OBJECT_PREFIX_CALLS.has(operation)) {
    const prefix = queryParams(call.request.query).find(([name]) => name === 'prefix')?.[1] ?? '';
    return [{ type: 'AWS::S3::Object', ARNPrefix: `arn:aws:s3:::${bucket}/${prefix}` }, bucketResource];
  }
  return [bucketResource];
}

export function s3RecordForm(call: ForwardedCall, facts: RecordFacts): RecordForm {
  const operation = call.matched?.operation;
  const { bucket, key } = bucketAndKey(call);
  const { error, bodyRequestId } = s3Error(call);
  const idTwo = header(call.response?.headers, 'x-amz-id-2');
  const additionalEventData = defined({
    SignatureVersion: call.signatureVersion ?? 'SigV4',
    CipherSuite: call.cipherSuite,
    bytesTransferredIn: call.request.bytesIn,
    AuthenticationMethod: call.authenticationMethod,
    'x-amz-id-2': idTwo,
    bytesTransferredOut: call.response?.bytesOut ?? 0,
  });
  const requestId = header(call.response?.headers, 'x-amz-request-id') ?? bodyRequestId;
  return {
    ...baseForm(facts),
    requestParameters: requestParameters(call, bucket, key),
    responseElements: responseElements(call, operation),
    additionalEventData,
    resources: resources(call, operation, bucket, key, error),
    ...(error !== undefined && { error }),
    ...(requestId !== undefined && { requestId }),
  };
}
