import { describe, expect, it } from 'vitest';
import { ACCOUNT, call, serviceModel, xmlBody } from '../../../../test/support/gateway-calls.js';
import { recordFormOf } from './index.js';

const s3 = serviceModel('s3', 'rest-xml');
const facts = { eventName: 'X', readOnly: true };
const bucketArn = 'arn:aws:s3:::finance';

describe('S3 requestParameters', () => {
  it.each([
    ['ListBuckets', '/', '', {}, { Host: 'h' }],
    ['GetBucketAcl', '/finance', 'acl', {}, { bucketName: 'finance', Host: 'h', acl: '' }],
    ['ListObjectsV2', '/finance', 'list-type=2&prefix=q%203%2F&encoding-type=url', {}, { bucketName: 'finance', Host: 'h', 'list-type': '2', prefix: 'q 3/', 'encoding-type': 'url' }],
    ['GetObject', '/finance/reports/q3%20final.pdf', 'versionId=v1&x-id=GetObject', {}, { bucketName: 'finance', Host: 'h', key: 'reports/q3 final.pdf', versionId: 'v1' }],
    [
      'GetObject (presigned)',
      '/finance/a',
      'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F&X-Amz-Signature=abc&X-Amz-Security-Token=t&response-content-type=text%2Fplain',
      {},
      { bucketName: 'finance', Host: 'h', key: 'a', 'response-content-type': 'text/plain' },
    ],
    ['UploadPart', '/finance/big', 'partNumber=2&uploadId=u-1', {}, { bucketName: 'finance', Host: 'h', key: 'big', partNumber: '2', uploadId: 'u-1' }],
    ['CreateMultipartUpload', '/finance/big', 'uploads', {}, { bucketName: 'finance', Host: 'h', key: 'big', uploads: '' }],
    ['CreateBucket', '/finance', '', { 'x-amz-acl': 'private' }, { bucketName: 'finance', Host: 'h', 'x-amz-acl': 'private' }],
    ['PutObject', '/finance/a', '', { 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-meta-secret': 's' }, { bucketName: 'finance', Host: 'h', key: 'a', 'x-amz-server-side-encryption': 'aws:kms' }],
    ['PutBucketPolicy (body never recorded)', '/finance', 'policy', {}, { bucketName: 'finance', Host: 'h', policy: '' }],
    ['a parameter named __proto__', '/finance', '__proto__=x', {}, { bucketName: 'finance', Host: 'h', ['__proto__']: 'x' }],
  ])('%s', (_name, path, query, headers, expected) => {
    const form = recordFormOf(call({ model: s3, request: { path, query, headers, host: 'h', body: Buffer.from('{"Statement":[]}') } }), facts);
    expect(form.requestParameters).toEqual(expected);
    expect(Object.getPrototypeOf(form.requestParameters)).toBe(Object.prototype);
  });

  it('takes bucket and key from the matched URI labels when there are', () => {
    const form = recordFormOf(call({ model: s3, operation: 'GetObject', uriParams: { Bucket: 'b', Key: 'k/1' }, request: { path: '/b/k%2F1', host: 'h' } }), facts);
    expect(form.requestParameters).toEqual({ bucketName: 'b', Host: 'h', key: 'k/1' });
  });
});

describe('S3 additionalEventData', () => {
  it('has the keys of the real records, in their order', () => {
    const form = recordFormOf(
      call({ model: s3, request: { path: '/finance', bytesIn: 12 }, response: { headers: { 'x-amz-id-2': 'id2', 'x-amz-request-id': 'R1' }, bytesOut: 552 } }),
      facts,
    );
    expect(Object.entries(form.additionalEventData!)).toEqual([
      ['SignatureVersion', 'SigV4'],
      ['CipherSuite', 'TLS_AES_128_GCM_SHA256'],
      ['bytesTransferredIn', 12],
      ['AuthenticationMethod', 'AuthHeader'],
      ['x-amz-id-2', 'id2'],
      ['bytesTransferredOut', 552],
    ]);
    expect(form.requestId).toBe('R1');
  });

  it('has no CipherSuite over plain HTTP, no x-amz-id-2 when the upstream sent none', () => {
    const form = recordFormOf(call({ model: s3, cipherSuite: null, authenticationMethod: 'QueryString', request: { path: '/finance' } }), facts);
    expect(form.additionalEventData).toEqual({ SignatureVersion: 'SigV4', bytesTransferredIn: 0, AuthenticationMethod: 'QueryString', bytesTransferredOut: 0 });
  });

  it('says SigV2 for an S3 SigV2 call, whose presigning parameters are not request parameters', () => {
    const query = 'AWSAccessKeyId=AKIAEXAMPLE&Signature=c2ln%2Bbg%3D%3D&Expires=1796184709&x-amz-security-token=t&response-content-type=text%2Fplain';
    const form = recordFormOf({ ...call({ model: s3, cipherSuite: null, authenticationMethod: 'QueryString', request: { path: '/finance/a', query, host: 'h' } }), signatureVersion: 'SigV2' }, facts);
    expect(form.additionalEventData).toMatchObject({ SignatureVersion: 'SigV2', AuthenticationMethod: 'QueryString' });
    expect(form.requestParameters).toEqual({ bucketName: 'finance', Host: 'h', key: 'a', 'response-content-type': 'text/plain' });
  });
});

describe('S3 responseElements', () => {
  it.each([
    ['GetObject', {}, undefined, null],
    ['PutObject', { 'x-amz-version-id': 'v2', 'x-amz-server-side-encryption': 'AES256', etag: '"x"' }, undefined, { 'x-amz-server-side-encryption': 'AES256', 'x-amz-version-id': 'v2' }],
    ['PutObject', { etag: '"x"' }, undefined, null],
    ['CompleteMultipartUpload', { 'x-amz-expiration': 'expiry-date="x"' }, undefined, { 'x-amz-expiration': 'expiry-date="x"' }],
    [
      'CreateMultipartUpload',
      {},
      xmlBody('<InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>finance</Bucket><Key>big</Key><UploadId>u-1</UploadId></InitiateMultipartUploadResult>'),
      { bucket: 'finance', key: 'big', uploadId: 'u-1' },
    ],
    ['CreateMultipartUpload', {}, undefined, null],
  ])('%s', (operation, headers, body, expected) => {
    const form = recordFormOf(call({ model: s3, operation, uriParams: { Bucket: 'finance', Key: 'big' }, response: { headers, ...(body && { body }) } }), facts);
    expect(form.responseElements).toEqual(expected);
  });
});

describe('S3 resources', () => {
  const bucket = { accountId: ACCOUNT, type: 'AWS::S3::Bucket', ARN: bucketArn };
  it.each([
    ['ListBuckets', '/', '', undefined, []],
    ['CreateBucket', '/finance', '', undefined, []],
    ['GetBucketAcl', '/finance', 'acl', undefined, [bucket]],
    ['GetObject', '/finance/q3.pdf', '', undefined, [{ type: 'AWS::S3::Object', ARN: `${bucketArn}/q3.pdf` }, bucket]],
    ['ListObjectsV2', '/finance', 'list-type=2&prefix=logs%2F', undefined, [{ type: 'AWS::S3::Object', ARNPrefix: `${bucketArn}/logs/` }, bucket]],
    ['ListObjects', '/finance', '', undefined, [{ type: 'AWS::S3::Object', ARNPrefix: `${bucketArn}/` }, bucket]],
    // The keys of DeleteObjects are in its body, not recorded: the objects are the bucket's (what a trail's data selector matches).
    ['DeleteObjects', '/finance', 'delete', undefined, [{ type: 'AWS::S3::Object', ARNPrefix: `${bucketArn}/` }, bucket]],
    ['ListMultipartUploads', '/finance', 'uploads&prefix=big', undefined, [{ type: 'AWS::S3::Object', ARNPrefix: `${bucketArn}/big` }, bucket]],
    ['PutBucketAcl', '/finance', 'acl', xmlBody('<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message></Error>'), []],
  ])('%s', (operation, path, query, errorBody, expected) => {
    const response = errorBody === undefined ? {} : { status: 404, body: errorBody };
    expect(recordFormOf(call({ model: s3, operation, request: { path, query }, response }), facts).resources).toEqual(expected);
  });
});

describe('S3 errors', () => {
  it('reads code, message and request id of the XML answer', () => {
    const body = xmlBody('<Error><Code>BucketNotEmpty</Code><Message>The bucket you tried to delete is not empty</Message><RequestId>BODY-ID</RequestId></Error>');
    const form = recordFormOf(call({ model: s3, operation: 'DeleteBucket', request: { path: '/finance', method: 'DELETE' }, response: { status: 409, body } }), facts);
    expect(form.error).toEqual({ code: 'BucketNotEmpty', message: 'The bucket you tried to delete is not empty' });
    expect(form.requestId).toBe('BODY-ID');
  });

  it.each([
    [404, 'NotFound', 'Not Found'],
    [403, 'Forbidden', 'Forbidden'],
  ])('names a HEAD failure (no body) %s by its status: %s', (status, code, message) => {
    const form = recordFormOf(call({ model: s3, operation: 'HeadObject', request: { method: 'HEAD', path: '/finance/a' }, response: { status } }), facts);
    expect(form.error).toEqual({ code, message });
  });

  it('records no upstream error when the call never reached the upstream', () => {
    const form = recordFormOf(call({ model: s3, request: { path: '/finance' }, response: null }), facts);
    expect(form.error).toBeUndefined();
    expect(form.additionalEventData).toMatchObject({ bytesTransferredOut: 0 });
  });

  it('marks data events', () => {
    expect(recordFormOf(call({ model: s3, request: { path: '/f/a' } }), { eventName: 'GetObject', readOnly: true, dataResourceType: 'AWS::S3::Object' }).eventCategory).toBe('Data');
    expect(recordFormOf(call({ model: s3, request: { path: '/f' } }), facts).eventCategory).toBe('Management');
  });
});
