import { describe, expect, it } from 'vitest';
import { accessKeyIdOf, scopeServiceOf, virtualHostBucket } from './gateway-target.js';

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
