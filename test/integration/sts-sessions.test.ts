/**
 * STS sessions against a real server process with the AWS SDK v3: AssumeRole and
 * GetSessionToken with STSClient, then calls with the session credentials (STSClient,
 * CloudTrailClient), their records and LookupEvents' Username, aws:SourceIp conditions, and
 * tokens that do not belong to the key. Roles are created with the IAM API (IAMClient).
 */
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { Event } from '@aws-sdk/client-cloudtrail';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import type { Credentials as StsCredentials } from '@aws-sdk/client-sts';
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientOptions, cloudTrailClient } from '../support/clients.js';
import { runAdminCli } from '../support/admin-cli.js';
import { startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

let server: ServerProcess;
const STS_REGION = 'eu-west-1';

interface SessionKeys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

function opentrail(...args: string[]): string {
  return runAdminCli(server.dataDir, ...args);
}

function stsClient(credentials?: SessionKeys): STSClient {
  return new STSClient(clientOptions(server, { region: STS_REGION, ...credentials }));
}

function keysOf(credentials: StsCredentials | undefined): SessionKeys {
  return { accessKeyId: credentials!.AccessKeyId!, secretAccessKey: credentials!.SecretAccessKey!, sessionToken: credentials!.SessionToken! };
}

function roleArn(name: string): string {
  return `arn:aws:iam::${server.accountId}:role/${name}`;
}

async function assume(name: string, sessionName: string, extra: { DurationSeconds?: number } = {}) {
  const client = stsClient();
  try {
    return await client.send(new AssumeRoleCommand({ RoleArn: roleArn(name), RoleSessionName: sessionName, ...extra }));
  } finally {
    client.destroy();
  }
}

/** The admin's view of a region's history, newest first. */
async function history(region: string, key: 'Username' | 'EventName' | 'EventSource', value: string): Promise<Event[]> {
  const client = cloudTrailClient(server, { region });
  try {
    const { Events } = await client.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: key, AttributeValue: value }] }));
    return Events ?? [];
  } finally {
    client.destroy();
  }
}

function recordOf(event: Event): Record<string, unknown> {
  return JSON.parse(event.CloudTrailEvent!) as Record<string, unknown>;
}

async function errorOf(promise: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, ...(e.$metadata?.httpStatusCode !== undefined && { status: e.$metadata.httpStatusCode }) };
  }
  throw new Error('expected the call to fail');
}

/** A role made through the IAM API, with one inline policy when given. */
async function createRole(roleName: string, trustPolicy: object, inlinePolicy?: object): Promise<void> {
  const iam = new IAMClient(clientOptions(server));
  try {
    await iam.send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: JSON.stringify(trustPolicy) }));
    if (inlinePolicy !== undefined) {
      await iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: 'inline', PolicyDocument: JSON.stringify(inlinePolicy) }));
    }
  } finally {
    iam.destroy();
  }
}

const trustThisAccount = () => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: server.accountId }, Action: 'sts:AssumeRole' }] });

beforeAll(async () => {
  server = await startServer();
  const policy = join(server.dataDir, 'sts-policy.json');
  writeFileSync(policy, JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole', 'iam:CreateRole', 'iam:PutRolePolicy'], Resource: '*' }] }));
  opentrail('policies', 'attach', '--account-id', server.accountId, '--user-name', 'admin', '--policy-name', 'assume-roles', '--document', policy);
  const lookupFrom = (condition: object) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'cloudtrail:LookupEvents', Resource: '*', Condition: condition }] });
  await createRole('auditor', trustThisAccount(), lookupFrom({ IpAddress: { 'aws:SourceIp': '127.0.0.1/32' } }));
  await createRole('office-only', trustThisAccount(), lookupFrom({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }));
  await createRole('not-from-loopback', trustThisAccount(), {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'cloudtrail:LookupEvents', Resource: '*' },
      { Effect: 'Deny', Action: '*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } } },
    ],
  });
  await createRole('loopback-only', trustThisAccount(), {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'cloudtrail:LookupEvents', Resource: '*' },
      { Effect: 'Deny', Action: '*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': '127.0.0.1/32' } } },
    ],
  });
  await createRole('trusts-nobody', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '999988887777' }, Action: 'sts:AssumeRole' }] });
});

afterAll(async () => {
  await server?.stop();
});

describe('AssumeRole with the SDK', () => {
  it('issues ASIA credentials for the role, and records the call as CloudTrail does (without the secret or the token)', async () => {
    const before = Date.now();
    const answer = await assume('auditor', 'sdk-session', { DurationSeconds: 900 });
    const credentials = answer.Credentials!;
    expect(credentials.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(credentials.SecretAccessKey).toHaveLength(40);
    expect(credentials.SessionToken!.length).toBeGreaterThan(300);
    const expiresMs = credentials.Expiration!.getTime();
    expect(expiresMs).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 899_000);
    expect(expiresMs).toBeLessThanOrEqual(Date.now() + 900_000);
    expect(answer.AssumedRoleUser).toEqual({
      Arn: `arn:aws:sts::${server.accountId}:assumed-role/auditor/sdk-session`,
      AssumedRoleId: expect.stringMatching(/^AROA[A-Z2-7]{16}:sdk-session$/) as unknown,
    });

    const [event] = await history(STS_REGION, 'EventName', 'AssumeRole');
    expect(event!.Username).toBe('admin');
    const record = recordOf(event!);
    expect(record).toMatchObject({
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
      awsRegion: STS_REGION,
      readOnly: true,
      managementEvent: true,
      eventType: 'AwsApiCall',
      userIdentity: { type: 'IAMUser', userName: 'admin', accessKeyId: server.accessKeyId },
      requestParameters: { roleArn: roleArn('auditor'), roleSessionName: 'sdk-session', durationSeconds: 900 },
      responseElements: {
        credentials: { accessKeyId: credentials.AccessKeyId, expiration: expect.stringMatching(/^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}:\d{2} [AP]M$/) as unknown },
        assumedRoleUser: answer.AssumedRoleUser && { assumedRoleId: answer.AssumedRoleUser.AssumedRoleId, arn: answer.AssumedRoleUser.Arn },
      },
      resources: [{ ARN: roleArn('auditor'), accountId: server.accountId, type: 'AWS::IAM::Role' }],
    });
    expect(Object.keys((record.responseElements as { credentials: object }).credentials).sort()).toEqual(['accessKeyId', 'expiration']);
    expect(event!.CloudTrailEvent).not.toContain(credentials.SecretAccessKey);
    expect(event!.CloudTrailEvent).not.toContain(credentials.SessionToken);
    expect(server.output()).not.toContain(credentials.SessionToken);
  });

  it('calls with the session credentials are the assumed role: GetCallerIdentity, and LookupEvents with Username = the session name', async () => {
    const keys = keysOf((await assume('auditor', 'sdk-caller')).Credentials);
    const sts = stsClient(keys);
    const who = await sts.send(new GetCallerIdentityCommand({}));
    sts.destroy();
    expect(who).toMatchObject({
      Account: server.accountId,
      Arn: `arn:aws:sts::${server.accountId}:assumed-role/auditor/sdk-caller`,
      UserId: expect.stringMatching(/^AROA[A-Z2-7]{16}:sdk-caller$/) as unknown,
    });
    const cloudtrail = cloudTrailClient(server, keys);
    const { Events } = await cloudtrail.send(new LookupEventsCommand({ MaxResults: 1 }));
    cloudtrail.destroy();
    expect(Events).toBeDefined();

    const [stsEvent] = await history(STS_REGION, 'Username', 'sdk-caller');
    expect(stsEvent).toMatchObject({ EventName: 'GetCallerIdentity', Username: 'sdk-caller' });
    const [ctEvent] = await history('us-east-1', 'Username', 'sdk-caller');
    expect(ctEvent).toMatchObject({ EventName: 'LookupEvents', Username: 'sdk-caller' });
    const identity = recordOf(ctEvent!).userIdentity as Record<string, unknown>;
    expect(identity).toEqual({
      type: 'AssumedRole',
      principalId: who.UserId,
      arn: who.Arn,
      accountId: server.accountId,
      accessKeyId: keys.accessKeyId,
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: who.UserId!.split(':')[0], arn: roleArn('auditor'), accountId: server.accountId, userName: 'auditor' },
        attributes: { creationDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/) as unknown, mfaAuthenticated: 'false' },
      },
    });
  });

  it('refuses a role whose trust policy does not trust the caller, in AWS’s words, and records the denial', async () => {
    const error = await errorOf(assume('trusts-nobody', 'nope'));
    expect(error).toEqual({
      name: 'AccessDenied',
      message: `User: arn:aws:iam::${server.accountId}:user/admin is not authorized to perform: sts:AssumeRole on resource: ${roleArn('trusts-nobody')}`,
      status: 403,
    });
    const [event] = await history(STS_REGION, 'EventName', 'AssumeRole');
    expect(recordOf(event!)).toMatchObject({ errorCode: 'AccessDenied', errorMessage: error.message, requestParameters: null, responseElements: null });
  });
});

describe('aws:SourceIp (the server listens on 127.0.0.1)', () => {
  async function lookupAs(role: string, sessionName: string) {
    const keys = keysOf((await assume(role, sessionName)).Credentials);
    const client = cloudTrailClient(server, keys);
    try {
      return await client.send(new LookupEventsCommand({ MaxResults: 1 }));
    } finally {
      client.destroy();
    }
  }

  it('an Allow on 127.0.0.1/32 allows, and a Deny unless 127.0.0.1/32 does not deny', async () => {
    await expect(lookupAs('auditor', 'ip-allowed')).resolves.toBeDefined();
    await expect(lookupAs('loopback-only', 'ip-not-denied')).resolves.toBeDefined();
  });

  it('an Allow only from 10.0.0.0/8 does not allow, and a Deny on 127.0.0.0/8 denies', async () => {
    const implicit = await errorOf(lookupAs('office-only', 'ip-elsewhere'));
    expect(implicit.name).toBe('AccessDeniedException');
    expect(implicit.message).toContain('because no identity-based policy allows the cloudtrail:LookupEvents action');
    const explicit = await errorOf(lookupAs('not-from-loopback', 'ip-denied'));
    expect(explicit.name).toBe('AccessDeniedException');
    expect(explicit.message).toContain('because an explicit deny in an identity-based policy denies it');
    const [event] = await history('us-east-1', 'Username', 'ip-denied');
    expect(recordOf(event!)).toMatchObject({ errorCode: 'AccessDenied', sourceIPAddress: '127.0.0.1', userIdentity: { type: 'AssumedRole' } });
  });
});

describe('tokens', () => {
  it('a session key with another session’s token, or without a token, is InvalidClientTokenId', async () => {
    const a = keysOf((await assume('auditor', 'token-a')).Credentials);
    const b = keysOf((await assume('auditor', 'token-b')).Credentials);
    for (const keys of [{ ...a, sessionToken: b.sessionToken! }, { accessKeyId: a.accessKeyId, secretAccessKey: a.secretAccessKey }]) {
      const client = stsClient(keys);
      const error = await errorOf(client.send(new GetCallerIdentityCommand({})));
      client.destroy();
      expect(error).toEqual({ name: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.', status: 403 });
    }
    const cloudtrail = cloudTrailClient(server, { accessKeyId: a.accessKeyId, secretAccessKey: a.secretAccessKey });
    const json = await errorOf(cloudtrail.send(new LookupEventsCommand({ MaxResults: 1 })));
    cloudtrail.destroy();
    expect(json).toMatchObject({ name: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' });
  });
});

describe('GetSessionToken with the SDK', () => {
  it('gives the IAM user session credentials; calls with them carry its sessionContext', async () => {
    const client = stsClient();
    const answer = await client.send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
    client.destroy();
    const keys = keysOf(answer.Credentials);
    expect(keys.accessKeyId).toMatch(/^ASIA/);
    const cloudtrail = cloudTrailClient(server, keys);
    await cloudtrail.send(new LookupEventsCommand({ MaxResults: 1 }));
    cloudtrail.destroy();
    const events = await history('us-east-1', 'Username', 'admin');
    const record = events.map(recordOf).find((r) => (r.userIdentity as { accessKeyId?: string }).accessKeyId === keys.accessKeyId);
    expect(record!.userIdentity).toMatchObject({
      type: 'IAMUser',
      userName: 'admin',
      arn: `arn:aws:iam::${server.accountId}:user/admin`,
      sessionContext: { sessionIssuer: {}, webIdFederationData: {}, attributes: { mfaAuthenticated: 'false' } },
    });
    const [own] = await history(STS_REGION, 'EventName', 'GetSessionToken');
    expect(recordOf(own!)).toMatchObject({ readOnly: false, responseElements: { credentials: { accessKeyId: keys.accessKeyId } } });
    expect(own!.CloudTrailEvent).not.toContain(keys.sessionToken);
    const again = stsClient(keys);
    const error = await errorOf(again.send(new GetSessionTokenCommand({})));
    again.destroy();
    expect(error).toEqual({ name: 'AccessDenied', message: 'Cannot call GetSessionToken with session credentials', status: 403 });
  });
});

describe('no effect without its record', () => {
  it('AssumeRole and GetSessionToken whose records are refused fail and leave no session behind', async () => {
    const db = new Database(join(server.dataDir, 'opentrail.db'));
    db.pragma('busy_timeout = 5000');
    const sessions = () => (db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n;
    const before = sessions();
    db.exec(`CREATE TRIGGER refuse_sts BEFORE INSERT ON events WHEN NEW.event_name IN ('AssumeRole', 'GetSessionToken') BEGIN SELECT RAISE(ABORT, 'injected fault'); END`);
    try {
      expect((await errorOf(assume('auditor', 'unrecorded'))).status).toBe(500);
      const client = stsClient();
      expect((await errorOf(client.send(new GetSessionTokenCommand({})))).status).toBe(500);
      client.destroy();
      expect(sessions()).toBe(before);
    } finally {
      db.exec('DROP TRIGGER refuse_sts');
    }
    await assume('auditor', 'recorded');
    expect(sessions()).toBe(before + 1);
    db.close();
  });
});
