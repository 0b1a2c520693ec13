/**
 * verifySigV4Streaming against the AWS SDK's signer with S3's settings (no double encoding,
 * declared payload hash) and its presigner, plus every S3-shaped failure of the two forms.
 */
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bodyCheckFor, payloadHashCheck, sha256Hex, verifySigV4Streaming } from './index.js';
import type { SignedRequest, StreamingVerifyResult, VerifyOptions } from './index.js';

const KEY = 'AKIDEXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const NOW_MS = Date.UTC(2024, 4, 1, 12, 0, 0);
const HOST = 's3.example.test:9000';

/** Percent-encoding as the S3 SDK serializers put keys and query values on the wire. */
function escapeUri(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
const escapeKey = (key: string): string => key.split('/').map(escapeUri).join('/');

function signer(overrides: { service?: string; uriEscapePath?: boolean; sessionToken?: string } = {}): SignatureV4 {
  return new SignatureV4({
    credentials: { accessKeyId: KEY, secretAccessKey: SECRET, sessionToken: overrides.sessionToken },
    region: 'us-east-1',
    service: overrides.service ?? 's3',
    sha256: Sha256,
    uriEscapePath: overrides.uriEscapePath ?? false,
    applyChecksum: true,
  });
}

function options(overrides: Partial<VerifyOptions> = {}): VerifyOptions {
  return {
    services: ['s3'],
    nowMs: NOW_MS,
    uriEncoding: 's3',
    lookupSecret: (id) => (id === KEY ? SECRET : undefined),
    ...overrides,
  };
}

function wireQuery(query: Record<string, string | string[] | null>): string {
  return Object.entries(query)
    .flatMap(([name, value]) => [value ?? ''].flat().map((one) => `${escapeUri(name)}=${escapeUri(one)}`))
    .join('&');
}

function lowerCaseHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

interface SignSpec {
  method?: string;
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: Buffer;
  signingDate?: Date;
  sessionToken?: string;
}

async function signHeaderForm(spec: SignSpec): Promise<Omit<SignedRequest, 'body'>> {
  const signed = await signer({ ...(spec.sessionToken !== undefined && { sessionToken: spec.sessionToken }) }).sign(
    new HttpRequest({
      method: spec.method ?? 'PUT',
      protocol: 'https:',
      hostname: HOST,
      path: spec.path,
      query: spec.query ?? {},
      headers: { host: HOST, ...spec.headers },
      body: spec.body,
    }),
    { signingDate: spec.signingDate ?? new Date(NOW_MS) },
  );
  return { method: spec.method ?? 'PUT', path: spec.path, query: wireQuery(spec.query ?? {}), headers: lowerCaseHeaders(signed.headers) };
}

/** Presigns as the S3 presigner does: UNSIGNED-PAYLOAD, not hoisted into the query and not sent. */
async function presign(spec: SignSpec & { expiresIn?: number }): Promise<Omit<SignedRequest, 'body'>> {
  const presigned = await signer({ ...(spec.sessionToken !== undefined && { sessionToken: spec.sessionToken }) }).presign(
    new HttpRequest({
      method: spec.method ?? 'GET',
      protocol: 'https:',
      hostname: HOST,
      path: spec.path,
      query: spec.query ?? {},
      headers: { host: HOST, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', ...spec.headers },
    }),
    {
      expiresIn: spec.expiresIn ?? 900,
      signingDate: spec.signingDate ?? new Date(NOW_MS),
      unsignableHeaders: new Set(['x-amz-content-sha256']),
      unhoistableHeaders: new Set(['x-amz-content-sha256']),
    },
  );
  const headers = lowerCaseHeaders(presigned.headers);
  delete headers['x-amz-content-sha256'];
  return { method: spec.method ?? 'GET', path: spec.path, query: wireQuery(presigned.query as Record<string, string>), headers };
}

const keyChar = fc.oneof(
  fc.constantFrom(...' !#$&\'()*+,:;=?@[]%~-._"<>\\^`{|}/'),
  fc.constantFrom('ሴ', 'é', '😀'),
  fc.stringMatching(/^[A-Za-z0-9]$/),
);
const objectKey = fc.string({ unit: keyChar, minLength: 1, maxLength: 24 });

async function collect(stream: NodeJS.ReadWriteStream | undefined, body: Buffer): Promise<{ output: Buffer; error?: unknown }> {
  const out: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      out.push(chunk);
      callback();
    },
  });
  try {
    await (stream === undefined ? pipeline(Readable.from([body]), sink) : pipeline(Readable.from([body]), stream, sink));
    return { output: Buffer.concat(out) };
  } catch (error) {
    return { output: Buffer.concat(out), error };
  }
}

describe('verifySigV4Streaming, header form, against the SDK signer with S3 settings', () => {
  it('accepts any object key as the S3 SDK encodes it, and checks the declared hash while streaming', async () => {
    await fc.assert(
      fc.asyncProperty(objectKey, fc.uint8Array({ maxLength: 300 }), fc.boolean(), async (key, bytes, unsigned) => {
        const body = Buffer.from(bytes);
        const request = await signHeaderForm({
          path: `/bucket/${escapeKey(key)}`,
          query: { 'x-id': 'PutObject' },
          headers: { 'content-type': 'application/octet-stream', ...(unsigned && { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }) },
          body,
        });
        const result = verifySigV4Streaming(request, options());
        expect(result).toMatchObject({
          ok: true,
          authenticationMethod: 'AuthHeader',
          accessKeyId: KEY,
          region: 'us-east-1',
          service: 's3',
          payloadMode: unsigned ? 'unsigned' : 'sha256',
          payloadHash: unsigned ? 'UNSIGNED-PAYLOAD' : sha256Hex(body),
          seedSignature: /Signature=([0-9a-f]{64})/.exec(String(request.headers.authorization))![1],
        });
        if (!result.ok) return;
        const check = bodyCheckFor(result, request.headers);
        expect((await collect(check, body)).output.equals(body)).toBe(true);
        if (!unsigned) {
          const other = Buffer.concat([body, Buffer.from('!')]);
          expect((await collect(bodyCheckFor(result, request.headers), other)).error).toMatchObject({
            code: 'XAmzContentSHA256Mismatch',
            httpStatus: 400,
          });
        }
      }),
      { numRuns: 150 },
    );
  });

  it('signs the raw path: a double-encoding verifier would not accept it, and a changed path fails', async () => {
    const request = await signHeaderForm({ path: '/bucket/a%20b%2Bc', body: Buffer.from('x') });
    expect(verifySigV4Streaming(request, options())).toMatchObject({ ok: true });
    expect(verifySigV4Streaming(request, options({ uriEncoding: 'double' }))).toMatchObject({ ok: false });
    expect(verifySigV4Streaming({ ...request, path: '/bucket/a+b%2Bc' }, options())).toMatchObject({
      ok: false,
      error: { code: 'SignatureDoesNotMatch', httpStatus: 403 },
      accessKeyId: KEY,
      region: 'us-east-1',
      authenticationMethod: 'AuthHeader',
    });
  });

  it('keeps the double encoding for other services', async () => {
    const signed = await signer({ service: 'sqs', uriEscapePath: true }).sign(
      new HttpRequest({ method: 'POST', protocol: 'https:', hostname: HOST, path: '/1234/a%20b', headers: { host: HOST }, body: 'x=1' }),
      { signingDate: new Date(NOW_MS) },
    );
    const request = { method: 'POST', path: '/1234/a%20b', query: '', headers: lowerCaseHeaders(signed.headers) };
    expect(verifySigV4Streaming(request, options({ services: ['sqs'], uriEncoding: 'double' }))).toMatchObject({
      ok: true,
      payloadHash: sha256Hex('x=1'),
    });
  });

  it('passes the session token and the declared streaming mode', async () => {
    const request = await signHeaderForm({
      path: '/bucket/key',
      sessionToken: 'TOKEN',
      headers: { 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'x-amz-trailer': 'x-amz-checksum-crc32' },
    });
    expect(verifySigV4Streaming(request, options())).toMatchObject({
      ok: true,
      sessionToken: 'TOKEN',
      payloadMode: 'streaming-unsigned-trailer',
    });
  });
});

describe('verifySigV4Streaming, header form, failures as S3 answers them', () => {
  const base = async (headers: Record<string, string> = {}) => signHeaderForm({ path: '/bucket/key', headers, body: Buffer.from('x') });
  const failure = (result: StreamingVerifyResult) => (result.ok ? undefined : result);

  it('requires x-amz-content-sha256 and one of the values S3 accepts', async () => {
    const request = await base();
    const headers = { ...request.headers };
    delete headers['x-amz-content-sha256'];
    expect(failure(verifySigV4Streaming({ ...request, headers }, options()))).toMatchObject({
      error: { code: 'InvalidRequest', httpStatus: 400, message: 'Missing required header for this request: x-amz-content-sha256' },
      accessKeyId: KEY,
    });
    const bogus = await base({ 'x-amz-content-sha256': 'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-X' });
    expect(failure(verifySigV4Streaming(bogus, options()))?.error).toMatchObject({ code: 'InvalidArgument', httpStatus: 400 });
  });

  it('answers RequestTimeTooSkewed, InvalidAccessKeyId, AuthorizationHeaderMalformed and AccessDenied', async () => {
    const request = await base();
    expect(failure(verifySigV4Streaming(request, options({ nowMs: NOW_MS + 6 * 60_000 })))).toMatchObject({
      error: { code: 'RequestTimeTooSkewed', httpStatus: 403 },
      accessKeyId: KEY,
      region: 'us-east-1',
    });
    expect(failure(verifySigV4Streaming(request, options({ lookupSecret: () => undefined })))?.error).toMatchObject({
      code: 'InvalidAccessKeyId',
      httpStatus: 403,
    });
    const authorization = String(request.headers.authorization).replace(/SignedHeaders=[^,]+, /, '');
    expect(failure(verifySigV4Streaming({ ...request, headers: { ...request.headers, authorization } }, options()))?.error).toMatchObject({
      code: 'AuthorizationHeaderMalformed',
      httpStatus: 400,
    });
    const headers = { ...request.headers };
    delete headers.authorization;
    expect(failure(verifySigV4Streaming({ ...request, headers }, options()))?.error).toMatchObject({ code: 'AccessDenied', httpStatus: 403 });
  });

  it('refuses a request signed both ways', async () => {
    const request = await base();
    const presigned = await presign({ path: '/bucket/key' });
    expect(failure(verifySigV4Streaming({ ...request, query: presigned.query }, options()))?.error).toMatchObject({
      code: 'InvalidArgument',
      httpStatus: 400,
    });
  });
});

describe('verifySigV4Streaming, presigned form, against the SDK presigner', () => {
  it('accepts presigned URLs for any key and query, with or without a session token', async () => {
    await fc.assert(
      fc.asyncProperty(
        objectKey,
        fc.dictionary(fc.stringMatching(/^[a-z-]{1,8}$/), fc.string({ unit: keyChar, maxLength: 8 }), { maxKeys: 3 }),
        fc.option(fc.stringMatching(/^[A-Za-z0-9+/=]{1,40}$/), { nil: undefined }),
        async (key, extraQuery, sessionToken) => {
          const query = Object.fromEntries(Object.entries(extraQuery).filter(([name]) => !name.startsWith('x-amz')));
          const request = await presign({ path: `/bucket/${escapeKey(key)}`, query, ...(sessionToken !== undefined && { sessionToken }) });
          expect(verifySigV4Streaming(request, options())).toMatchObject({
            ok: true,
            authenticationMethod: 'QueryString',
            accessKeyId: KEY,
            payloadMode: 'unsigned',
            payloadHash: 'UNSIGNED-PAYLOAD',
            expiresSeconds: 900,
            ...(sessionToken !== undefined && { sessionToken }),
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('also accepts the payload hash hoisted into the query, as the plain SDK presigner does', async () => {
    const presigned = await signer().presign(
      new HttpRequest({ method: 'GET', protocol: 'https:', hostname: HOST, path: '/bucket/k', headers: { host: HOST, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } }),
      { signingDate: new Date(NOW_MS), unsignableHeaders: new Set(['x-amz-content-sha256']) },
    );
    const request = { method: 'GET', path: '/bucket/k', query: wireQuery(presigned.query as Record<string, string>), headers: lowerCaseHeaders(presigned.headers) };
    expect(verifySigV4Streaming(request, options())).toMatchObject({ ok: true, authenticationMethod: 'QueryString' });
  });

  it('is valid from the date (with skew ahead) until date + expires, and no longer', async () => {
    const request = await presign({ path: '/bucket/key', expiresIn: 60 });
    expect(verifySigV4Streaming(request, options({ nowMs: NOW_MS + 60_000 }))).toMatchObject({ ok: true });
    expect(verifySigV4Streaming(request, options({ nowMs: NOW_MS + 61_000 }))).toMatchObject({
      ok: false,
      error: { code: 'AccessDenied', message: 'Request has expired', httpStatus: 403 },
      accessKeyId: KEY,
      region: 'us-east-1',
    });
    expect(verifySigV4Streaming(request, options({ nowMs: NOW_MS - 5 * 60_000 }))).toMatchObject({ ok: true });
    expect(verifySigV4Streaming(request, options({ nowMs: NOW_MS - 5 * 60_000 - 1000 }))).toMatchObject({
      ok: false,
      error: { code: 'AccessDenied', message: 'Request is not valid yet' },
    });
  });

  it('rejects a changed query, path or signature', async () => {
    const request = await presign({ path: '/bucket/key', query: { versionId: 'v1' } });
    for (const spoiled of [
      { ...request, query: request.query.replace('versionId=v1', 'versionId=v2') },
      { ...request, path: '/bucket/key2' },
      { ...request, query: request.query.replace(/X-Amz-Signature=(.)/, (_all, c: string) => `X-Amz-Signature=${c === 'a' ? 'b' : 'a'}`) },
    ]) {
      expect(verifySigV4Streaming(spoiled, options())).toMatchObject({
        ok: false,
        error: { code: 'SignatureDoesNotMatch', httpStatus: 403 },
        accessKeyId: KEY,
        region: 'us-east-1',
        authenticationMethod: 'QueryString',
      });
    }
  });
});

describe('verifySigV4Streaming, malformed presigned parameters', () => {
  const good = presign({ path: '/bucket/key' });
  const withQuery = async (edit: (query: string) => string) => {
    const request = await good;
    return verifySigV4Streaming({ ...request, query: edit(request.query) }, options());
  };
  const replaceParameter = (name: string, value: string | undefined) => (query: string) =>
    query
      .split('&')
      .flatMap((parameter) => (parameter.startsWith(`${name}=`) ? (value === undefined ? [] : [`${name}=${value}`]) : [parameter]))
      .join('&');

  it.each([
    ['X-Amz-Credential', undefined, /requires the X-Amz-Algorithm.*Missing: X-Amz-Credential/],
    ['X-Amz-Expires', undefined, /Missing: X-Amz-Expires/],
    ['X-Amz-Algorithm', 'AWS4-HMAC-SHA1', /X-Amz-Algorithm only supports/],
    ['X-Amz-Credential', 'AKIDEXAMPLE%2F20240501%2Fus-east-1', /Credential is mal-formed/],
    ['X-Amz-Date', '2024-05-01T12:00:00Z', /ISO8601 Long Format/],
    ['X-Amz-Expires', 'soon', /should be a number/],
    ['X-Amz-Expires', '0', /at least 1/],
    ['X-Amz-Expires', '604801', /less than a week/],
  ])('%s=%s', async (name, value, message) => {
    const result = await withQuery(replaceParameter(name, value));
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'AuthorizationQueryParametersError', httpStatus: 400, message: expect.stringMatching(message) as unknown },
      authenticationMethod: 'QueryString',
    });
  });

  it('keeps the key id and region of a failure for attribution', async () => {
    const result = await withQuery(replaceParameter('X-Amz-Expires', '604801'));
    expect(result).toMatchObject({ ok: false, accessKeyId: KEY, region: 'us-east-1' });
  });

  it('rejects a duplicated parameter and an unsigned host', async () => {
    expect(await withQuery((query) => `${query}&X-Amz-Date=20240501T120000Z`)).toMatchObject({
      ok: false,
      error: { code: 'AuthorizationQueryParametersError', message: expect.stringContaining('more than once') as unknown },
    });
    expect(await withQuery(replaceParameter('X-Amz-SignedHeaders', 'x-amz-date'))).toMatchObject({
      ok: false,
      error: { code: 'AuthorizationQueryParametersError', message: expect.stringContaining("'Host'") as unknown },
    });
  });
});

describe('payloadHashCheck', () => {
  it('holds the last piece back until the hash matched', async () => {
    const pieces = [Buffer.from('abc'), Buffer.from('def'), Buffer.from('ghi')];
    const check = payloadHashCheck(sha256Hex('abcdefghi'));
    const seen: string[] = [];
    check.on('data', (chunk: Buffer) => seen.push(chunk.toString()));
    check.write(pieces[0]);
    check.write(pieces[1]);
    check.write(pieces[2]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual(['abc', 'def']);
    expect(check.heldBytes).toBe(3);
    check.end();
    await new Promise((resolve) => check.on('end', resolve));
    expect(seen).toEqual(['abc', 'def', 'ghi']);
    expect(check.bytes).toBe(9);
  });

  it('never delivers the last piece of a body that does not match', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ minLength: 1, maxLength: 50 }), { minLength: 1, maxLength: 6 }), fc.nat(), async (chunks, at) => {
        const pieces = chunks.map((chunk) => Buffer.from(chunk));
        const body = Buffer.concat(pieces);
        const tampered = Buffer.from(body);
        const index = at % tampered.length;
        tampered[index] = tampered[index]! ^ 1;
        const outcome = await collect(payloadHashCheck(sha256Hex(body)), tampered);
        expect(outcome.error).toMatchObject({ code: 'XAmzContentSHA256Mismatch', httpStatus: 400 });
        expect(outcome.output.length).toBeLessThan(body.length);
        expect((await collect(payloadHashCheck(sha256Hex(body)), body)).output.equals(body)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('checks an empty body', async () => {
    expect((await collect(payloadHashCheck(sha256Hex('')), Buffer.alloc(0))).error).toBeUndefined();
    expect((await collect(payloadHashCheck(sha256Hex('x')), Buffer.alloc(0))).error).toBeDefined();
  });
});
