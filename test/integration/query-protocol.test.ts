/**
 * IAM and STS over the AWS query protocol, against a real server process: routing by the SigV4
 * credential scope, XML answers and errors the AWS SDK parses, and the calls' records (STS in
 * the region called, IAM in us-east-1 whatever the client signed for).
 */
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { GetFederationTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { parseXML } from '@aws-sdk/xml-builder';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientOptions, cloudTrailClient } from '../support/clients.js';
import { runAdminCli } from '../support/admin-cli.js';
import { startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';
import { sendSigned } from '../support/signed-request.js';
import type { RawRequest } from '../support/signed-request.js';

const FORM = 'application/x-www-form-urlencoded; charset=utf-8';

let server: ServerProcess;
let nobody: { accessKeyId: string; secretAccessKey: string };

function opentrail(...args: string[]): string {
  return runAdminCli(server.dataDir, ...args);
}

async function query(body: string, overrides: Partial<RawRequest> = {}) {
  const response = await sendSigned({
    url: server.url,
    body,
    service: 'sts',
    region: 'eu-west-2',
    headers: { 'content-type': FORM },
    accessKeyId: server.accessKeyId,
    secretAccessKey: server.secretAccessKey,
    ...overrides,
  });
  return { ...response, xml: parseXML(response.body) as Record<string, Record<string, unknown>> };
}

function errorOf(xml: Record<string, Record<string, unknown>>): Record<string, unknown> {
  return xml.ErrorResponse!.Error as Record<string, unknown>;
}

/** The newest records of the admin account in `region`, optionally of one event source. */
async function records(region: string, eventSource?: string, n = 5): Promise<Record<string, unknown>[]> {
  const client = cloudTrailClient(server, { region });
  try {
    const { Events } = await client.send(
      new LookupEventsCommand({ MaxResults: n, ...(eventSource && { LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: eventSource }] }) }),
    );
    return Events!.map((e) => JSON.parse(e.CloudTrailEvent!) as Record<string, unknown>);
  } finally {
    client.destroy();
  }
}

beforeAll(async () => {
  server = await startServer();
  const policy = join(server.dataDir, 'identity.json');
  writeFileSync(policy, JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:*', 'sts:*'], Resource: '*' }] }));
  opentrail('policies', 'attach', '--account-id', server.accountId, '--user-name', 'admin', '--policy-name', 'identity', '--document', policy);
  opentrail('users', 'create', '--account-id', server.accountId, '--user-name', 'nobody');
  const [, line] = opentrail('keys', 'create', '--account-id', server.accountId, '--user-name', 'nobody').trim().split('\n');
  const [accessKeyId, secretAccessKey] = line!.split('\t');
  nobody = { accessKeyId: accessKeyId!, secretAccessKey: secretAccessKey! };
});

afterAll(async () => {
  await server?.stop();
});

describe('STS', () => {
  it('answers GetCallerIdentity in XML, and records it in the region called', async () => {
    const response = await query('Action=GetCallerIdentity&Version=2011-06-15');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/xml');
    const requestId = response.headers.get('x-amzn-requestid');
    expect(response.xml).toEqual({
      GetCallerIdentityResponse: {
        xmlns: 'https://sts.amazonaws.com/doc/2011-06-15/',
        GetCallerIdentityResult: { Arn: `arn:aws:iam::${server.accountId}:user/admin`, UserId: expect.stringMatching(/^AIDA/) as unknown, Account: server.accountId },
        ResponseMetadata: { RequestId: requestId },
      },
    });
    const [record] = await records('eu-west-2', 'sts.amazonaws.com', 1);
    expect(record).toMatchObject({
      eventSource: 'sts.amazonaws.com',
      eventName: 'GetCallerIdentity',
      awsRegion: 'eu-west-2',
      requestParameters: null,
      responseElements: null,
      readOnly: true,
      requestID: requestId,
    });
  });

  it('lets a user without any policy call GetCallerIdentity, as AWS does', async () => {
    const response = await query('Action=GetCallerIdentity&Version=2011-06-15', nobody);
    expect(response.status).toBe(200);
    expect(response.xml.GetCallerIdentityResponse!.GetCallerIdentityResult).toMatchObject({ Arn: `arn:aws:iam::${server.accountId}:user/nobody` });
  });

  it('answers the SDK v3 STS client with an error it parses', async () => {
    const client = new STSClient(clientOptions(server, { region: 'eu-west-2' }));
    try {
      const failure = await client.send(new GetFederationTokenCommand({ Name: 'partner' })).catch((e: unknown) => e);
      expect(failure).toMatchObject({ name: 'UnsupportedOperation', $metadata: { httpStatusCode: 400 } });
      expect((failure as Error).message).toBe('The operation GetFederationToken is not supported by this OpenTrail server yet.');
    } finally {
      client.destroy();
    }
  });
});

describe('IAM', () => {
  it('answers an operation not implemented yet with UnsupportedOperation, recorded in us-east-1', async () => {
    const response = await query('Action=ListSAMLProviders&Version=2010-05-08', { service: 'iam', region: 'eu-west-1' });
    expect(response.status).toBe(400);
    expect(response.xml).toMatchObject({
      ErrorResponse: { xmlns: 'https://iam.amazonaws.com/doc/2010-05-08/', Error: { Type: 'Sender', Code: 'UnsupportedOperation' }, RequestId: response.headers.get('x-amzn-requestid') },
    });
    const [record] = await records('us-east-1', 'iam.amazonaws.com', 1);
    expect(record).toMatchObject({ eventSource: 'iam.amazonaws.com', eventName: 'ListSAMLProviders', awsRegion: 'us-east-1', errorCode: 'UnsupportedOperationException' });
  });

  it('denies a user without a policy with a 403 AccessDenied, recorded without parameters', async () => {
    const response = await query('Action=GetUser&Version=2010-05-08&UserName=bob', { service: 'iam', region: 'us-east-1', ...nobody });
    expect(response.status).toBe(403);
    expect(errorOf(response.xml)).toMatchObject({ Code: 'AccessDenied', Message: expect.stringContaining('is not authorized to perform: iam:GetUser') as unknown });
    const [record] = (await records('us-east-1', 'iam.amazonaws.com', 5)).filter((r) => r.eventName === 'GetUser');
    expect(record).toMatchObject({ errorCode: 'AccessDenied', requestParameters: null, userIdentity: { userName: 'nobody' } });
  });
});

describe('bad requests get AWS query errors', () => {
  it.each([
    ['an unknown Action', 'Action=MakeCoffee&Version=2011-06-15', {}, 400, 'InvalidAction', 'Could not find operation MakeCoffee for version 2011-06-15'],
    ['a missing Action', 'Version=2011-06-15', {}, 400, 'MissingAction', 'Missing Action'],
    ['a wrong Version', 'Action=GetCallerIdentity&Version=2010-05-08', {}, 400, 'InvalidAction', 'Could not find operation GetCallerIdentity for version 2010-05-08'],
    ['a body that is not form-encoded', '{"Action":"GetCallerIdentity"}', { headers: { 'content-type': 'application/json' } }, 400, 'MalformedQueryString', undefined],
    ['bad percent-encoding', 'Action=GetCallerIdentity&Version=2011-06-15&X=%ZZ', {}, 400, 'MalformedQueryString', undefined],
    ['a wrong signature', 'Action=GetCallerIdentity&Version=2011-06-15', { secretAccessKey: 'wrong-secret-0123456789abcdefghijkl' }, 403, 'SignatureDoesNotMatch', undefined],
  ])('%s', async (_what, body, overrides: Partial<RawRequest>, status, code, message) => {
    const response = await query(body, overrides);
    expect(response.status).toBe(status);
    expect(errorOf(response.xml)).toMatchObject({ Type: 'Sender', Code: code, ...(message !== undefined && { Message: message }) });
  });

  it('records a call with an unknown Action under its name', async () => {
    await query('Action=MakeTea&Version=2011-06-15');
    const [record] = await records('eu-west-2', 'sts.amazonaws.com', 1);
    expect(record).toMatchObject({ eventName: 'MakeTea', errorCode: 'InvalidAction', awsRegion: 'eu-west-2' });
  });

  it('still routes a cloudtrail-scoped request without a target to CloudTrail, as before', async () => {
    const response = await sendSigned({ url: server.url, body: 'Action=GetCallerIdentity&Version=2011-06-15', headers: { 'content-type': FORM }, accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey });
    expect(response.status).toBe(400);
    expect(response.json().__type).toBe('UnknownOperationException');
  });
});
