import { describe, expect, it } from 'vitest';
import type { HttpRequest } from '../http-types.js';
import { credentialScopeService } from './credential-scope.js';
import { routeRequest } from './route.js';
import type { ServiceProtocol } from './service-protocol.js';

function request(headers: Record<string, string>, query = '', path = '/'): HttpRequest {
  return { method: 'POST', path, query, headers, body: Buffer.alloc(0), remoteAddress: '127.0.0.1' };
}

const signed = (service: string) => ({
  authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/eu-west-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc`,
});

describe('the credential scope service of a request', () => {
  it.each([
    ['the Authorization header', request(signed('iam')), 'iam'],
    ['a presigned URL', request({}, 'Action=GetCallerIdentity&X-Amz-Credential=AKID%2F20261201%2Fus-east-1%2Fsts%2Faws4_request'), 'sts'],
    ['no credentials', request({}), undefined],
    ['another scheme', request({ authorization: 'Bearer xyz' }), undefined],
    ['a scope of the wrong shape', request({ authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20261201/sts, Signature=x' }), undefined],
    ['a service name no service has', request(signed('S3<x>')), undefined],
  ])('from %s', (_what, req, expected) => {
    expect(credentialScopeService(req)).toBe(expected);
  });
});

describe('routing', () => {
  const protocol = (signingName: string, routing: 'credential-scope' | undefined, matches: (r: HttpRequest) => boolean) =>
    ({ signingName, matches, ...(routing && { routing }) }) as ServiceProtocol;
  const iam = protocol('iam', 'credential-scope', () => false);
  const sts = protocol('sts', 'credential-scope', () => false);
  const cloudtrail = protocol('cloudtrail', undefined, (r) => r.path === '/');
  const data = protocol('cloudtrail-data', undefined, (r) => r.path === '/PutAuditEvents');
  const all = [iam, sts, cloudtrail, data];

  it.each([
    ['iam by its scope', request(signed('iam')), iam],
    ['sts by its scope', request(signed('sts')), sts],
    ['cloudtrail by its own test', request(signed('cloudtrail')), cloudtrail],
    ['a request signed for no known service, as before', request(signed('s3')), cloudtrail],
    ['an unsigned request, as before', request({}, '', '/PutAuditEvents'), data],
    ['nothing', request({}, '', '/elsewhere'), undefined],
  ])('%s', (_what, req, expected) => {
    expect(routeRequest(all, req)).toBe(expected);
  });
});
