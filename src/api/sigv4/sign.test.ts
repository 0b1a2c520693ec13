/**
 * signRequest, the upstream signer: for the same request it must produce the AWS SDK signer's
 * Authorization header exactly (S3 and non-S3 encodings), and our verifiers must accept it.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Hex, signRequest, verifySigV4, verifySigV4Streaming } from './index.js';

function escapeUri(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const text = fc.string({ unit: fc.oneof(fc.constantFrom(...' !*+/=&%~é😀'), fc.stringMatching(/^[A-Za-z0-9._-]$/)), maxLength: 10 });

const scenario = fc.record({
  s3: fc.boolean(),
  method: fc.constantFrom('GET', 'PUT', 'POST', 'DELETE'),
  segments: fc.array(text.filter((segment) => segment !== ''), { minLength: 1, maxLength: 4 }),
  query: fc.dictionary(fc.stringMatching(/^[a-zA-Z-]{1,8}$/), text, { maxKeys: 3 }),
  headers: fc.dictionary(fc.stringMatching(/^x-amz-meta-[a-z]{1,6}$/), fc.stringMatching(/^[ -~]{0,12}$/), { maxKeys: 3 }),
  contentType: fc.option(fc.constantFrom('application/json', 'text/plain; charset=utf-8'), { nil: undefined }),
  sessionToken: fc.option(fc.stringMatching(/^[A-Za-z0-9+/=]{1,40}$/), { nil: undefined }),
  body: fc.uint8Array({ maxLength: 64 }),
  nowMs: fc.integer({ min: Date.UTC(2015, 0, 1), max: Date.UTC(2035, 0, 1) }),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

const HOST = 'upstream.example.test';
const credentials = (s: Scenario) => ({
  accessKeyId: 'AKIDUPSTREAM',
  secretAccessKey: 'upstream/secret+key',
  ...(s.sessionToken !== undefined && { sessionToken: s.sessionToken }),
});

function wire(s: Scenario) {
  const path = `/${s.segments.map(escapeUri).join('/')}`;
  const query = Object.entries(s.query)
    .map(([name, value]) => `${escapeUri(name)}=${escapeUri(value)}`)
    .join('&');
  const headers: Record<string, string> = {
    host: HOST,
    'user-agent': 'never signed',
    ...s.headers,
    ...(s.contentType !== undefined && { 'content-type': s.contentType }),
  };
  return { path, query, headers };
}

describe('signRequest', () => {
  it('produces the SDK signer’s Authorization and verifies with ours', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const { path, query, headers } = wire(s);
        const service = s.s3 ? 's3' : 'sqs';
        const payloadHash = sha256Hex(s.body);
        const ours = signRequest({
          method: s.method,
          path,
          query,
          headers,
          payloadHash,
          credentials: credentials(s),
          region: 'eu-west-1',
          service,
          nowMs: s.nowMs,
          uriEncoding: s.s3 ? 's3' : 'double',
        });

        const smithy = new SignatureV4({
          credentials: credentials(s),
          region: 'eu-west-1',
          service,
          sha256: Sha256,
          uriEscapePath: !s.s3,
          applyChecksum: true,
        });
        const smithyHeaders = { ...headers };
        delete smithyHeaders['user-agent'];
        const signed = await smithy.sign(
          new HttpRequest({ method: s.method, protocol: 'https:', hostname: HOST, path, query: { ...s.query }, headers: smithyHeaders, body: s.body }),
          { signingDate: new Date(s.nowMs) },
        );
        expect(ours.authorization).toBe(signed.headers.authorization);
        expect(ours['x-amz-date']).toBe(signed.headers['x-amz-date']);
        expect(ours['x-amz-security-token']).toBe(signed.headers['x-amz-security-token']);

        const request = { method: s.method, path, query, headers: { ...headers, ...ours } };
        const options = {
          services: [service],
          nowMs: s.nowMs,
          uriEncoding: s.s3 ? ('s3' as const) : ('double' as const),
          lookupSecret: () => credentials(s).secretAccessKey,
        };
        expect(verifySigV4Streaming(request, options)).toMatchObject({ ok: true, payloadHash });
        expect(verifySigV4({ ...request, body: Buffer.from(s.body) }, options)).toMatchObject({ ok: true });
      }),
      { numRuns: 200 },
    );
  });

  it('signs a literal payload hash and replaces stale signing headers', () => {
    const headers = signRequest({
      method: 'PUT',
      path: '/bucket/key',
      query: '',
      headers: { host: HOST, authorization: 'stale', 'x-amz-date': '20000101T000000Z', 'x-amz-content-sha256': 'stale' },
      payloadHash: 'UNSIGNED-PAYLOAD',
      credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' },
      region: 'us-east-1',
      service: 's3',
      nowMs: Date.UTC(2024, 0, 1),
      uriEncoding: 's3',
    });
    expect(headers).toMatchObject({ 'x-amz-date': '20240101T000000Z', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' });
    expect(headers.authorization).toContain('SignedHeaders=host;x-amz-content-sha256;x-amz-date,');
    expect(headers).not.toHaveProperty('x-amz-security-token');
  });

  it('refuses a request without a host', () => {
    expect(() =>
      signRequest({
        method: 'GET',
        path: '/',
        query: '',
        headers: {},
        payloadHash: sha256Hex(''),
        credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' },
        region: 'us-east-1',
        service: 's3',
        nowMs: 0,
      }),
    ).toThrow(TypeError);
  });
});
