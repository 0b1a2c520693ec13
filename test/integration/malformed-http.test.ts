/**
 * Requests node:http cannot parse get AWS-shaped JSON errors like every other failure
 * (`{"__type","message"}`, application/x-amz-json-1.1, x-amzn-ErrorType), then the connection
 * is closed; node:http alone would send a bare status line with an empty body.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendRaw } from '../support/raw-http.js';
import type { RawAnswer } from '../support/raw-http.js';
import { removeDir, startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';
import { sendSigned, TARGET_PREFIX } from '../support/signed-request.js';

let server: ServerProcess;

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server?.stop();
  if (server) removeDir(server.dataDir);
});

function expectAwsError(answer: RawAnswer, status: number, type: string, message: RegExp): void {
  expect(answer.status, answer.raw).toBe(status);
  expect(answer.headers['content-type']).toBe('application/x-amz-json-1.1');
  expect(answer.headers['x-amzn-errortype']).toBe(type);
  expect(answer.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
  expect(answer.headers.connection).toBe('close');
  expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(answer.body));
  const body = JSON.parse(answer.body) as { __type?: string; message?: string };
  expect(body.__type).toBe(type);
  expect(body.message).toMatch(message);
}

const host = () => `Host: ${new URL(server.url).host}\r\n`;

describe('HTTP the server cannot parse', () => {
  it.each([
    ['Transfer-Encoding with Content-Length', () => `POST / HTTP/1.1\r\n${host()}Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, /Transfer-Encoding/],
    ['a bad chunk size', () => `POST / HTTP/1.1\r\n${host()}Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n`, /chunk size/],
    ['a garbage request line', () => 'HELLO THERE\r\n\r\n', /not valid HTTP\/1\.1/],
    ['no Host header', () => 'POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}', /Host header/],
    ['a negative Content-Length', () => `POST / HTTP/1.1\r\n${host()}Content-Length: -1\r\n\r\n`, /Content-Length/],
    ['a NUL in a header', () => `POST / HTTP/1.1\r\n${host()}X-Amz-Target: a\0b\r\nContent-Length: 0\r\n\r\n`, /header/],
  ])('answers %s with a JSON BadRequestException (400) and closes', async (_name, request, message) => {
    expectAwsError(await sendRaw(server.url, request()), 400, 'BadRequestException', message);
  });

  it('answers headers over 16 KB with a JSON RequestHeaderFieldsTooLarge (431) and closes', async () => {
    const request = `POST / HTTP/1.1\r\n${host()}X-Padding: ${'a'.repeat(17 * 1024)}\r\nContent-Length: 0\r\n\r\n`;
    expectAwsError(await sendRaw(server.url, request), 431, 'RequestHeaderFieldsTooLarge', /16384 bytes/);
  });

  it('keeps serving well-formed requests afterwards', async () => {
    const response = await sendSigned({
      url: server.url,
      body: '{}',
      headers: { 'x-amz-target': `${TARGET_PREFIX}.LookupEvents` },
      accessKeyId: server.accessKeyId,
      secretAccessKey: server.secretAccessKey,
    });
    expect(response.status).toBe(200);
  });
});
