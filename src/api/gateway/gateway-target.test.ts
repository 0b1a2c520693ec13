import { describe, expect, it } from 'vitest';
import { accessKeyIdOf, hasDotSegment, isS3SigV2, scopeServiceOf, virtualHostBucket } from './gateway-target.js';

const AUTH = 'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20261202/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc';

describe('which service a request is for', () => {
  it('reads the credential scope of the header or of a presigned URL', () => {
    expect(scopeServiceOf({ authorization: AUTH }, '')).toBe('s3');
    expect(accessKeyIdOf({ authorization: AUTH }, '')).toBe('AKIAEXAMPLE');
    const query = 'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20261202%2Fus-east-1%2Fdynamodb%2Faws4_request&X-Amz-Signature=1';
    expect(scopeServiceOf({}, query)).toBe('dynamodb');
    expect(accessKeyIdOf({}, query)).toBe('AKIAEXAMPLE');
  });

  it('names no service for unsigned, malformed or oddly encoded credentials', () => {
    expect(scopeServiceOf({}, '')).toBeUndefined();
    expect(scopeServiceOf({ authorization: 'Bearer x' }, '')).toBeUndefined();
    expect(scopeServiceOf({}, 'X-Amz-Credential=%E0%A4%A')).toBeUndefined();
    expect(scopeServiceOf({}, 'X-Amz-Credential=AKIA%2F2026%2Fus-east-1%2Fs3')).toBeUndefined();
  });

  it('finds the bucket of a virtual-hosted S3 request under a configured domain only', () => {
    expect(virtualHostBucket('finance.localhost:4747', ['localhost'])).toBe('finance');
    expect(virtualHostBucket('logs.2026.s3.example.internal', ['s3.example.internal'])).toBe('logs.2026');
    expect(virtualHostBucket('127.0.0.1:4747', ['localhost'])).toBeUndefined();
    expect(virtualHostBucket('localhost:4747', ['localhost'])).toBeUndefined();
    expect(virtualHostBucket('Evil_Bucket.localhost', ['localhost'])).toBeUndefined();
    expect(virtualHostBucket('finance.example.com', ['localhost'])).toBeUndefined();
  });
});

describe('isS3SigV2', () => {
  it('recognizes the presigned URLs of the AWS CLI v1 and boto3 defaults, and the SigV2 header', () => {
    // As `aws s3 presign` (botocore 1.43, us-east-1, no signature_version) writes it.
    const query = 'AWSAccessKeyId=AKIAMANUAL0000000001&Signature=xK7mxjFntYBHnNYn%2FT3wirU2SJg%3D&Expires=1796184709';
    expect(isS3SigV2({}, query)).toBe(true);
    expect(scopeServiceOf({}, query)).toBeUndefined();
    expect(isS3SigV2({ authorization: 'AWS AKIAMANUAL0000000001:xK7mxjFntYBHnNYn/T3wirU2SJg=' }, '')).toBe(true);
  });

  it('reads the key id of either SigV2 form, for the verifier and for attribution', () => {
    expect(accessKeyIdOf({}, 'AWSAccessKeyId=AKIAMANUAL0000000001&Signature=xK7mxjFntYBHnNYn%2FT3wirU2SJg%3D&Expires=1796184709')).toBe('AKIAMANUAL0000000001');
    expect(accessKeyIdOf({}, 'Expires=1&AWSAccessKeyId=ASIA%41BC&Signature=x')).toBe('ASIAABC');
    expect(accessKeyIdOf({}, 'AWSAccessKeyId=%E0%A4%A&Signature=x&Expires=1')).toBeUndefined();
    expect(accessKeyIdOf({ authorization: 'AWS AKIAMANUAL0000000001:xK7mxjFntYBHnNYn/T3wirU2SJg=' }, '')).toBe('AKIAMANUAL0000000001');
    expect(accessKeyIdOf({ authorization: 'AWS AKIAMANUAL0000000001' }, '')).toBeUndefined();
  });

  it('is false for SigV4, for unsigned requests, and for a query naming only some of the parameters', () => {
    expect(isS3SigV2({ authorization: 'AWS4-HMAC-SHA256 Credential=AKIA/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00' }, '')).toBe(false);
    expect(isS3SigV2({}, '')).toBe(false);
    expect(isS3SigV2({}, 'Signature=x&Expires=1')).toBe(false);
    expect(isS3SigV2({}, 'Action=ListUsers&AWSAccessKeyId=AKIA&SignatureVersion=2&SignatureMethod=HmacSHA256&Expires=2026-01-01T00%3A00%3A00Z&Signature=x')).toBe(false);
    expect(isS3SigV2({}, 'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=a%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=0')).toBe(false);
  });
});

describe('hasDotSegment', () => {
  it.each([
    ['/finance/../payroll/x', true],
    ['/finance/%2E%2E/payroll', true],
    ['/finance/.%2e/payroll', true],
    ['/finance/./x', true],
    ['/finance/..', true],
    ['/finance/a..b/x', false],
    ['/finance/.hidden', false],
    ['/finance//x', false],
    ['/finance/...', false],
    ['/', false],
  ])('%s: %s', (path, expected) => {
    expect(hasDotSegment(path)).toBe(expected);
  });
});
