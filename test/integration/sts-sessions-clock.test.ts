/**
 * STS sessions through the real pipeline and SQLite stores, in process, with a manual clock:
 * what needs time to pass (expiry) or a peer other than loopback (aws:SourceIp), and the
 * token checks. Requests are signed by the real @smithy/signature-v4.
 */
import { parseXML } from '@aws-sdk/xml-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../src/api/http-types.js';
import { createRoleDirectly, applyIdentityChanges } from '../support/identity-setup.js';
import type { Credentials, InProcessPipeline } from '../support/in-process-pipeline.js';
import { startInProcessPipeline } from '../support/in-process-pipeline.js';

let p: InProcessPipeline;
let roleArn: string;
let chainArn: string;
const LOOKUP = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents';

type Xml = Record<string, Record<string, Record<string, unknown>>>;

function xml(response: HttpResponse): Xml {
  return parseXML(response.body) as Xml;
}

function errorOf(response: HttpResponse): { Code: string; Message: string } {
  return (xml(response).ErrorResponse!.Error as unknown) as { Code: string; Message: string };
}

async function sts(body: string, credentials: Credentials, remoteAddress?: string): Promise<HttpResponse> {
  return p.send({ service: 'sts', body: `Version=2011-06-15&${body}`, credentials, ...(remoteAddress !== undefined && { remoteAddress }) });
}

async function assume(arn: string, sessionName: string, credentials: Credentials = p.admin, extra = ''): Promise<Credentials> {
  const response = await sts(`Action=AssumeRole&RoleArn=${encodeURIComponent(arn)}&RoleSessionName=${sessionName}${extra}`, credentials);
  expect(response.status, response.body).toBe(200);
  const c = xml(response).AssumeRoleResponse!.AssumeRoleResult!.Credentials as Record<string, string>;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
}

async function lookup(credentials: Credentials, remoteAddress?: string): Promise<HttpResponse> {
  return p.send({ service: 'cloudtrail', target: LOOKUP, body: '{"MaxResults":1}', credentials, ...(remoteAddress !== undefined && { remoteAddress }) });
}

beforeAll(async () => {
  p = await startInProcessPipeline();
  await p.stores.identity.store.putInlinePolicy({
    principal: { accountId: p.accountId, kind: 'user', name: 'admin' },
    policyName: 'sts',
    document: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:*', Resource: '*' }] }),
  });
  const trustAccount = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: p.accountId }, Action: 'sts:AssumeRole' }] };
  const role = createRoleDirectly(
    p.dataDir,
    { accountId: p.accountId, roleName: 'auditor', trustPolicy: trustAccount, maxSessionDuration: 7200 },
    {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['cloudtrail:LookupEvents', 'sts:AssumeRole'], Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '127.0.0.1/32' } } },
      ],
    },
  );
  roleArn = `arn:aws:iam::${p.accountId}:role/auditor`;
  expect(role.roleName).toBe('auditor');
  createRoleDirectly(p.dataDir, { accountId: p.accountId, roleName: 'chained', trustPolicy: trustAccount, maxSessionDuration: 43200 });
  chainArn = `arn:aws:iam::${p.accountId}:role/chained`;
});

afterAll(async () => {
  await p?.close();
});

describe('session credentials', () => {
  it('act as the assumed role until they expire, then answer ExpiredToken (query) and ExpiredTokenException (JSON)', async () => {
    const session = await assume(roleArn, 'expiring', p.admin, '&DurationSeconds=900');
    const who = await sts('Action=GetCallerIdentity', session);
    expect(who.status).toBe(200);
    expect(xml(who).GetCallerIdentityResponse!.GetCallerIdentityResult).toMatchObject({
      Arn: `arn:aws:sts::${p.accountId}:assumed-role/auditor/expiring`,
      UserId: expect.stringMatching(/^AROA[A-Z0-9]{16}:expiring$/) as unknown,
    });
    p.clock.advance(899_000);
    expect((await lookup(session)).status).toBe(200);
    p.clock.advance(1_000);
    const expired = await sts('Action=GetCallerIdentity', session);
    expect(expired.status).toBe(403);
    expect(errorOf(expired)).toMatchObject({ Code: 'ExpiredToken', Message: 'The security token included in the request is expired' });
    const expiredJson = await lookup(session);
    expect(expiredJson.status).toBe(400);
    expect(JSON.parse(expiredJson.body)).toMatchObject({ __type: 'ExpiredTokenException', message: 'The security token included in the request is expired' });
  });

  it('refuse a missing token, another session’s token, and a token with a long-term key (InvalidClientTokenId)', async () => {
    const a = await assume(roleArn, 'first');
    const b = await assume(roleArn, 'second');
    const cases: Credentials[] = [
      { accessKeyId: a.accessKeyId, secretAccessKey: a.secretAccessKey },
      { accessKeyId: a.accessKeyId, secretAccessKey: a.secretAccessKey, sessionToken: b.sessionToken! },
      { ...p.admin, sessionToken: a.sessionToken! },
    ];
    for (const credentials of cases) {
      const response = await sts('Action=GetCallerIdentity', credentials);
      expect(response.status).toBe(403);
      expect(errorOf(response)).toMatchObject({ Code: 'InvalidClientTokenId', Message: 'The security token included in the request is invalid.' });
    }
    // Expired and wrong: "invalid", so a guesser learns nothing about the key's own token.
    p.clock.advance(3_600_000);
    const both = await sts('Action=GetCallerIdentity', { accessKeyId: a.accessKeyId, secretAccessKey: a.secretAccessKey, sessionToken: b.sessionToken! });
    expect(errorOf(both).Code).toBe('InvalidClientTokenId');
  });

  it('a wrong signature with a session key is recorded in the role’s account, as for long-term keys', async () => {
    const session = await assume(roleArn, 'badsig');
    const response = await sts('Action=GetCallerIdentity', { ...session, secretAccessKey: 'not-the-secret-0123456789abcdefghijklmno' });
    expect(errorOf(response).Code).toBe('SignatureDoesNotMatch');
    const history = await p.send({
      service: 'cloudtrail',
      target: LOOKUP,
      body: JSON.stringify({ LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'badsig' }] }),
      credentials: p.admin,
    });
    const events = (JSON.parse(history.body) as { Events: { EventName: string; CloudTrailEvent: string }[] }).Events;
    expect(events.map((e) => e.EventName)).toEqual(['GetCallerIdentity']);
    expect(JSON.parse(events[0]!.CloudTrailEvent)).toMatchObject({
      errorCode: expect.stringMatching(/Signature/) as unknown,
      userIdentity: { type: 'AssumedRole', accessKeyId: session.accessKeyId },
    });
    expect(events[0]!.CloudTrailEvent).not.toContain(session.secretAccessKey);
    expect(events[0]!.CloudTrailEvent).not.toContain(session.sessionToken);
  });

  it('stop working when their role is deleted, even if a role of that name is created again', async () => {
    createRoleDirectly(p.dataDir, {
      accountId: p.accountId,
      roleName: 'ephemeral',
      trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: p.accountId }, Action: 'sts:AssumeRole' }] },
    });
    const session = await assume(`arn:aws:iam::${p.accountId}:role/ephemeral`, 'gone');
    expect((await sts('Action=GetCallerIdentity', session)).status).toBe(200);
    applyIdentityChanges(p.dataDir, { kind: 'deleteRole', accountId: p.accountId, roleName: 'ephemeral' });
    expect(errorOf(await sts('Action=GetCallerIdentity', session)).Code).toBe('InvalidClientTokenId');
    createRoleDirectly(p.dataDir, { accountId: p.accountId, roleName: 'ephemeral', trustPolicy: { Version: '2012-10-17', Statement: [] } });
    expect(errorOf(await sts('Action=GetCallerIdentity', session)).Code).toBe('InvalidClientTokenId');
  });

  it('are deleted by housekeeping a day after they expire', async () => {
    const session = await assume(roleArn, 'housekeeping', p.admin, '&DurationSeconds=900');
    expect(await p.stores.identity.store.findSession(session.accessKeyId)).toBeDefined();
    p.clock.advance(900_000 + 86_400_000 + 1);
    const deleted = await p.stores.identity.store.deleteSessionsExpiredBefore(p.clock.now() - 86_400_000);
    expect(deleted).toBeGreaterThan(0);
    expect(await p.stores.identity.store.findSession(session.accessKeyId)).toBeUndefined();
  });
});

describe('across accounts', () => {
  it('a role of another account that trusts this one: the session acts in the role’s account', async () => {
    const other = '444455556666';
    await p.stores.identity.createAccount(other, 'other');
    createRoleDirectly(p.dataDir, {
      accountId: other,
      roleName: 'partner',
      trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${p.accountId}:root` }, Action: 'sts:AssumeRole' }] },
    });
    createRoleDirectly(p.dataDir, {
      accountId: other,
      roleName: 'private',
      trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: other }, Action: 'sts:AssumeRole' }] },
    });
    const session = await assume(`arn:aws:iam::${other}:role/partner`, 'visitor');
    const who = xml(await sts('Action=GetCallerIdentity', session)).GetCallerIdentityResponse!.GetCallerIdentityResult!;
    expect(who).toMatchObject({ Account: other, Arn: `arn:aws:sts::${other}:assumed-role/partner/visitor` });
    const refused = await sts(`Action=AssumeRole&RoleArn=${encodeURIComponent(`arn:aws:iam::${other}:role/private`)}&RoleSessionName=visitor`, p.admin);
    expect(errorOf(refused).Code).toBe('AccessDenied');
  });
});

describe('conditions on the request', () => {
  it('aws:SourceIp: the role allows LookupEvents from 127.0.0.1 and denies it from elsewhere', async () => {
    const session = await assume(roleArn, 'ipcheck');
    expect((await lookup(session, '127.0.0.1')).status).toBe(200);
    expect((await lookup(session, '::ffff:127.0.0.1')).status).toBe(200);
    const denied = await lookup(session, '10.1.2.3');
    expect(denied.status).toBe(400);
    expect(JSON.parse(denied.body)).toMatchObject({
      __type: 'AccessDeniedException',
      message: expect.stringContaining(`User: arn:aws:sts::${p.accountId}:assumed-role/auditor/ipcheck is not authorized to perform: cloudtrail:LookupEvents`) as unknown,
    });
  });

  it('sts:ExternalId in the trust policy', async () => {
    createRoleDirectly(p.dataDir, {
      accountId: p.accountId,
      roleName: 'vendor',
      trustPolicy: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${p.accountId}:user/admin` }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'tenant-42' } } }],
      },
    });
    const arn = `arn:aws:iam::${p.accountId}:role/vendor`;
    for (const extra of ['', '&ExternalId=tenant-41']) {
      const refused = await sts(`Action=AssumeRole&RoleArn=${encodeURIComponent(arn)}&RoleSessionName=vendor${extra}`, p.admin);
      expect(refused.status, refused.body).toBe(403);
      expect(errorOf(refused)).toEqual({
        Type: 'Sender',
        Code: 'AccessDenied',
        Message: `User: arn:aws:iam::${p.accountId}:user/admin is not authorized to perform: sts:AssumeRole on resource: ${arn}`,
      });
    }
    await assume(arn, 'vendor', p.admin, '&ExternalId=tenant-42');
  });
});

describe('names and members', () => {
  it('RoleSessionName is 2-64 of [\\w+=,.@-]; unknown roles and bad ARNs are refused; unsupported members are named', async () => {
    for (const name of ['x', 'a'.repeat(65), 'has%20space']) {
      const response = await sts(`Action=AssumeRole&RoleArn=${encodeURIComponent(roleArn)}&RoleSessionName=${name}`, p.admin);
      expect(errorOf(response).Code).toBe('ValidationError');
      expect(errorOf(response).Message).toContain("at 'roleSessionName' failed to satisfy constraint");
    }
    const missing = `arn:aws:iam::${p.accountId}:role/nosuchrole`;
    const unknown = await sts(`Action=AssumeRole&RoleArn=${encodeURIComponent(missing)}&RoleSessionName=abc`, p.admin);
    expect(errorOf(unknown)).toMatchObject({
      Code: 'AccessDenied',
      Message: `User: arn:aws:iam::${p.accountId}:user/admin is not authorized to perform: sts:AssumeRole on resource: ${missing}`,
    });
    const bad = await sts(`Action=AssumeRole&RoleArn=${encodeURIComponent(`arn:aws:iam::${p.accountId}:user/admin`)}&RoleSessionName=abc`, p.admin);
    expect(errorOf(bad)).toMatchObject({ Code: 'ValidationError', Message: 'Request ARN is invalid' });
    const policy = await sts(`Action=AssumeRole&RoleArn=${encodeURIComponent(roleArn)}&RoleSessionName=abc&Policy=%7B%7D`, p.admin);
    expect(errorOf(policy)).toMatchObject({ Code: 'UnsupportedOperation', Message: expect.stringContaining('Policy') as unknown });
    const external = await sts(`Action=AssumeRole&RoleArn=${encodeURIComponent(roleArn)}&RoleSessionName=abc&ExternalId=x`, p.admin);
    expect(errorOf(external).Message).toContain("at 'externalId' failed to satisfy constraint");
  });
});

describe('durations', () => {
  it('a role session lasts at most the role’s MaxSessionDuration, and one hour when chained', async () => {
    const tooLong = await sts(`Action=AssumeRole&RoleArn=${encodeURIComponent(roleArn)}&RoleSessionName=long&DurationSeconds=7201`, p.admin);
    expect(errorOf(tooLong)).toMatchObject({ Code: 'ValidationError', Message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.' });
    await assume(roleArn, 'long', p.admin, '&DurationSeconds=7200');
    const session = await assume(roleArn, 'hop');
    const chained = await sts(`Action=AssumeRole&RoleArn=${encodeURIComponent(chainArn)}&RoleSessionName=hop2&DurationSeconds=3601`, session);
    expect(errorOf(chained)).toMatchObject({
      Code: 'ValidationError',
      Message: 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    });
    const hop2 = await assume(chainArn, 'hop2', session);
    const who = await sts('Action=GetCallerIdentity', hop2);
    expect(xml(who).GetCallerIdentityResponse!.GetCallerIdentityResult!.Arn).toBe(`arn:aws:sts::${p.accountId}:assumed-role/chained/hop2`);
  });

  it('GetSessionToken: 12 hours by default, for long-term keys only', async () => {
    const before = p.clock.now();
    const response = await sts('Action=GetSessionToken', p.admin);
    expect(response.status, response.body).toBe(200);
    const c = xml(response).GetSessionTokenResponse!.GetSessionTokenResult!.Credentials as Record<string, string>;
    expect(Date.parse(c.Expiration!)).toBe(Math.floor(before / 1000) * 1000 + 43_200_000);
    const session = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
    const who = await sts('Action=GetCallerIdentity', session);
    expect(xml(who).GetCallerIdentityResponse!.GetCallerIdentityResult!.Arn).toBe(`arn:aws:iam::${p.accountId}:user/admin`);
    const again = await sts('Action=GetSessionToken', session);
    expect(again.status).toBe(403);
    expect(errorOf(again)).toMatchObject({ Code: 'AccessDenied', Message: 'Cannot call GetSessionToken with session credentials' });
    // Without MFA, GetSessionToken's credentials cannot call IAM (as in AWS).
    const iam = await p.send({ service: 'iam', body: 'Action=ListUsers&Version=2010-05-08', credentials: session });
    expect(errorOf(iam).Code).toBe('InvalidClientTokenId');
    p.clock.advance(43_200_000);
    expect(errorOf(await sts('Action=GetCallerIdentity', session)).Code).toBe('ExpiredToken');
  });
});
