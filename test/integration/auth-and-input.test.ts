/**
 * Authentication, authorization, accounts and bad input, against a real server process.
 * Every refusal must be AWS-shaped, and recorded in the history whenever the account is known.
 */
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudTrailClient } from '../support/clients.js';
import { runAdminCli } from '../support/admin-cli.js';
import { startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';
import { sendRaw } from '../support/raw-http.js';
import { TARGET_PREFIX, sendSigned } from '../support/signed-request.js';
import type { RawRequest } from '../support/signed-request.js';

let server: ServerProcess;
let admin: CloudTrailClient;
let other: { accessKeyId: string; secretAccessKey: string };
let reader: { accessKeyId: string; secretAccessKey: string };

function opentrail(...args: string[]): string {
  return runAdminCli(server.dataDir, ...args);
}

function newKey(accountId: string, userName: string): { accessKeyId: string; secretAccessKey: string } {
  const [, line] = opentrail('keys', 'create', '--account-id', accountId, '--user-name', userName).trim().split('\n');
  const [accessKeyId, secretAccessKey] = line!.split('\t');
  return { accessKeyId: accessKeyId!, secretAccessKey: secretAccessKey! };
}

async function raw(overrides: Partial<RawRequest>): Promise<ReturnType<typeof sendSigned> extends Promise<infer R> ? R : never> {
  return sendSigned({
    url: server.url,
    body: '{}',
    headers: { 'x-amz-target': `${TARGET_PREFIX}.LookupEvents` },
    accessKeyId: server.accessKeyId,
    secretAccessKey: server.secretAccessKey,
    ...overrides,
  });
}

/** The newest records of the admin account, as parsed CloudTrail records. */
async function recentRecords(n = 10): Promise<Record<string, unknown>[]> {
  const { Events } = await admin.send(new LookupEventsCommand({ MaxResults: n }));
  return Events!.map((e) => JSON.parse(e.CloudTrailEvent!) as Record<string, unknown>);
}

beforeAll(async () => {
  server = await startServer();
  admin = cloudTrailClient(server);
  opentrail('accounts', 'create', '--account-id', '999988887777', '--name', 'other');
  opentrail('users', 'create', '--account-id', '999988887777', '--user-name', 'owner', '--policy', 'OpenTrailFullAccess');
  other = newKey('999988887777', 'owner');
  opentrail('users', 'create', '--account-id', server.accountId, '--user-name', 'reader', '--policy', 'OpenTrailReadOnly');
  reader = newKey(server.accountId, 'reader');
  const deny = join(server.dataDir, 'deny.json');
  writeFileSync(deny, JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'cloudtrail:LookupEvents', Resource: '*' }] }));
  opentrail('users', 'create', '--account-id', server.accountId, '--user-name', 'denied', '--policy', 'OpenTrailFullAccess');
  opentrail('policies', 'attach', '--account-id', server.accountId, '--user-name', 'denied', '--policy-name', 'no-lookups', '--document', deny);
});

afterAll(async () => {
  admin?.destroy();
  await server?.stop();
});

describe('authentication', () => {
  it('refuses a wrong secret and records the attempt in the key owner account', async () => {
    const response = await raw({ secretAccessKey: 'not-the-secret-0123456789' });
    expect(response.status).toBe(400);
    expect(response.json().__type).toBe('InvalidSignatureException');
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    const [record] = await recentRecords(1);
    expect(record).toMatchObject({ errorCode: 'InvalidSignatureException', eventName: 'LookupEvents', userIdentity: { accessKeyId: server.accessKeyId } });
  });

  it('refuses an unknown key', async () => {
    const response = await raw({ accessKeyId: 'AKIAUNKNOWNUNKNOWN00' });
    expect(response.json().__type).toBe('UnrecognizedClientException');
  });

  it('refuses an expired signature', async () => {
    const response = await raw({ signingDate: new Date(Date.now() - 16 * 60_000) });
    expect(response.json()).toMatchObject({ __type: 'InvalidSignatureException', message: expect.stringMatching(/^Signature expired/) as unknown });
    const [record] = await recentRecords(1);
    expect(record!.errorCode).toBe('InvalidSignatureException');
  });

  it('refuses a credential scope for another service', async () => {
    const response = await raw({ service: 'cloudtrail-data' });
    expect(response.json().__type).toBe('InvalidSignatureException');
    expect(response.json().message).toContain("'cloudtrail'");
  });

  it('takes a call signed for a service it does not host as the gateway\'s: without an upstream, NotImplemented in that service\'s form', async () => {
    const response = await raw({ service: 's3' });
    expect(response.status).toBe(501);
    expect(response.body).toContain('<Code>NotImplemented</Code>');
  });

  it('refuses an unsigned request', async () => {
    const response = await raw({ unsigned: true });
    expect(response.status).toBe(403);
    expect(response.json().__type).toBe('MissingAuthenticationTokenException');
  });

  it('keeps accounts apart: another account sees only its own history', async () => {
    const theirs = cloudTrailClient(server, other);
    await theirs.send(new LookupEventsCommand({ MaxResults: 1 }));
    const { Events } = await theirs.send(new LookupEventsCommand({}));
    const records = Events!.map((e) => JSON.parse(e.CloudTrailEvent!) as Record<string, unknown>);
    expect(records.every((r) => r.recipientAccountId === '999988887777')).toBe(true);
    // Its own lookup, and the admin CLI's IAM calls that made its user and key (docs/identity.md).
    expect(records.map((r) => r.eventName).sort()).toEqual(['AttachUserPolicy', 'CreateAccessKey', 'CreateUser', 'LookupEvents']);
    const mine = await recentRecords(50);
    expect(mine.every((r) => r.recipientAccountId === server.accountId)).toBe(true);
    theirs.destroy();
  });
});

describe('authorization', () => {
  it('denies by explicit Deny and records AccessDenied', async () => {
    const denied = newKey(server.accountId, 'denied');
    const client = cloudTrailClient(server, denied);
    await expect(client.send(new LookupEventsCommand({}))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    client.destroy();
    const [record] = await recentRecords(1);
    expect(record).toMatchObject({ errorCode: 'AccessDenied', eventName: 'LookupEvents', userIdentity: { userName: 'denied' } });
    expect(String(record!.errorMessage)).toContain('explicit deny');
  });

  it('lets a read-only user look up but not write', async () => {
    const client = cloudTrailClient(server, reader);
    await client.send(new LookupEventsCommand({ MaxResults: 1 }));
    const response = await raw({ ...reader, headers: { 'x-amz-target': `${TARGET_PREFIX}.StartLogging` }, body: '{"Name":"t"}' });
    expect(response.json().__type).toBe('AccessDeniedException');
    client.destroy();
  });

  it('refuses a deactivated key', async () => {
    const key = newKey(server.accountId, 'reader');
    opentrail('keys', 'deactivate', key.accessKeyId);
    const response = await raw(key);
    expect(response.json().__type).toBe('UnrecognizedClientException');
  });
});

describe('bad input', () => {
  it.each([
    ['malformed JSON', { body: '{"MaxResults": ' }, 400, 'SerializationException'],
    ['a JSON array', { body: '[]' }, 400, 'SerializationException'],
    ['invalid UTF-8', { body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) }, 400, 'SerializationException'],
    ['a wrong member type', { body: '{"MaxResults":"ten"}' }, 400, 'SerializationException'],
    ['a wrong nested type', { body: '{"LookupAttributes":[{"AttributeKey":1,"AttributeValue":"x"}]}' }, 400, 'SerializationException'],
    ['a missing required member', { body: '{"LookupAttributes":[{"AttributeKey":"EventName"}]}' }, 400, 'ValidationException'],
    ['a huge MaxResults', { body: '{"MaxResults":1e300}' }, 400, 'InvalidMaxResultsException'],
    ['EndTime before StartTime', { body: '{"StartTime":2000000000,"EndTime":1000000000}' }, 400, 'InvalidTimeRangeException'],
    ['a garbage NextToken', { body: '{"NextToken":"%%%"}' }, 400, 'InvalidNextTokenException'],
    ['an unknown operation', { headers: { 'x-amz-target': `${TARGET_PREFIX}.DropEverything` } }, 400, 'UnknownOperationException'],
    ['another service target', { headers: { 'x-amz-target': 'DynamoDB_20120810.ListTables' } }, 400, 'UnknownOperationException'],
    ['a wrong content type', { headers: { 'x-amz-target': `${TARGET_PREFIX}.LookupEvents`, 'content-type': 'text/plain' } }, 415, 'UnsupportedMediaTypeException'],
    ['an operation not built yet', { headers: { 'x-amz-target': `${TARGET_PREFIX}.CreateDashboard` } }, 400, 'UnsupportedOperationException'],
  ] as [string, Partial<RawRequest>, number, string][])('answers %s with %s', async (_name, overrides, status, code) => {
    const response = await raw(overrides);
    expect(response.status).toBe(status);
    expect(response.json().__type).toBe(code);
    expect(response.headers.get('x-amzn-errortype')).toBe(code);
    expect(typeof response.json().message).toBe('string');
  });

  it('answers an oversize body with 413 and keeps serving', async () => {
    // A declared size over the limit is answered before any of the body is sent (fetch would
    // race the early answer against its upload, so the request is written by hand).
    const answer = await sendRaw(server.url, [
      'POST / HTTP/1.1',
      `Host: ${new URL(server.url).host}`,
      'Content-Type: application/x-amz-json-1.1',
      `X-Amz-Target: ${TARGET_PREFIX}.LookupEvents`,
      `Content-Length: ${3 * 1024 * 1024}`,
      '',
      '{',
    ].join('\r\n'));
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ __type: 'RequestEntityTooLargeException' });
    // A body that grows past the limit without a declared size is refused too.
    const chunked = await sendRaw(server.url, [
      'POST / HTTP/1.1',
      `Host: ${new URL(server.url).host}`,
      'Content-Type: application/x-amz-json-1.1',
      `X-Amz-Target: ${TARGET_PREFIX}.LookupEvents`,
      'Transfer-Encoding: chunked',
      '',
      `${(3 * 1024 * 1024).toString(16)}\r\n${'x'.repeat(3 * 1024 * 1024)}\r\n0\r\n\r\n`,
    ].join('\r\n'));
    expect(chunked.status).toBe(413);
    const after = await admin.send(new LookupEventsCommand({ MaxResults: 1 }));
    expect(after.$metadata.httpStatusCode).toBe(200);
  });

  it('records bad-input calls with their error code', async () => {
    await raw({ body: '{"MaxResults":"ten"}' });
    const [record] = await recentRecords(1);
    expect(record).toMatchObject({ errorCode: 'SerializationException', eventName: 'LookupEvents' });
  });
});
