/**
 * The stock AWS CLI and boto3 assume a role on a real server (`aws sts assume-role
 * --endpoint-url`, `sts.assume_role`), call with the session credentials (AWS_SESSION_TOKEN,
 * boto3's aws_session_token), and see each step in lookup-events with its identity type and
 * Username; aws:SourceIp conditions and a token used with another key, as these clients see them.
 * The roles are made with `aws iam create-role` and `put-role-policy` (boto3 without the CLI).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCliAvailable, boto3Available } from '../support/peers.js';
import { BIN, startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

const hasAwsCli = awsCliAvailable();
const hasBoto3 = boto3Available();

let server: ServerProcess;

interface SessionKeys {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
}

interface LookupEvent {
  EventName: string;
  Username: string;
  CloudTrailEvent: string;
}

function roleArn(name: string): string {
  return `arn:aws:iam::${server.accountId}:role/${name}`;
}

/** The environment of a CLI or boto3 run: the server's profile, or explicit (session) keys. */
function clientEnv(keys?: SessionKeys): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_SHARED_CREDENTIALS_FILE: join(server.dataDir, 'credentials'),
    AWS_CONFIG_FILE: join(server.dataDir, 'no-such-config'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_DEFAULT_REGION: 'us-east-1',
  };
  // An empty AWS_PROFILE names a profile "" to the CLI: unset what does not apply.
  for (const name of ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) delete env[name];
  if (keys === undefined) return { ...env, AWS_PROFILE: 'opentrail' };
  return { ...env, AWS_ACCESS_KEY_ID: keys.AccessKeyId, AWS_SECRET_ACCESS_KEY: keys.SecretAccessKey, AWS_SESSION_TOKEN: keys.SessionToken };
}

function aws(keys: SessionKeys | undefined, ...args: string[]) {
  const profile = keys === undefined ? ['--profile', 'opentrail'] : [];
  return spawnSync('aws', [...profile, '--region', 'us-east-1', '--endpoint-url', server.url, '--output', 'json', ...args], {
    encoding: 'utf8',
    env: clientEnv(keys),
    timeout: 60_000,
  });
}

function awsJson<T>(keys: SessionKeys | undefined, ...args: string[]): T {
  const result = aws(keys, ...args);
  if (result.status !== 0) throw new Error(`aws ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

function cliAssume(role: string, sessionName: string): SessionKeys {
  return awsJson<{ Credentials: SessionKeys }>(undefined, 'sts', 'assume-role', '--role-arn', roleArn(role), '--role-session-name', sessionName).Credentials;
}

/** The admin's lookup-events by Username, newest first. */
function eventsOf(username: string): LookupEvent[] {
  return awsJson<{ Events: LookupEvent[] }>(undefined, 'cloudtrail', 'lookup-events', '--lookup-attributes', `AttributeKey=Username,AttributeValue=${username}`).Events;
}

function userIdentityOf(event: LookupEvent): Record<string, unknown> {
  return (JSON.parse(event.CloudTrailEvent) as { userIdentity: Record<string, unknown> }).userIdentity;
}

/** With `aws iam create-role` and `put-role-policy`, or boto3 where only boto3 is installed. */
function createRole(roleName: string, trustPolicy: object, inlinePolicy: object): void {
  if (hasAwsCli) {
    awsJson(undefined, 'iam', 'create-role', '--role-name', roleName, '--assume-role-policy-document', JSON.stringify(trustPolicy));
    const put = aws(undefined, 'iam', 'put-role-policy', '--role-name', roleName, '--policy-name', 'inline', '--policy-document', JSON.stringify(inlinePolicy));
    if (put.status !== 0) throw new Error(`put-role-policy failed: ${put.stderr}`);
    return;
  }
  if (!hasBoto3) return;
  const script = `
import sys, boto3
iam = boto3.client('iam', endpoint_url=sys.argv[1])
iam.create_role(RoleName=sys.argv[2], AssumeRolePolicyDocument=sys.argv[3])
iam.put_role_policy(RoleName=sys.argv[2], PolicyName='inline', PolicyDocument=sys.argv[4])
`;
  const result = spawnSync('python3', ['-c', script, server.url, roleName, JSON.stringify(trustPolicy), JSON.stringify(inlinePolicy)], { encoding: 'utf8', env: clientEnv(), timeout: 60_000 });
  if (result.status !== 0) throw new Error(`creating role ${roleName} with boto3 failed: ${result.stderr}`);
}

const trustThisAccount = () => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: server.accountId }, Action: 'sts:AssumeRole' }] });

beforeAll(async () => {
  server = await startServer();
  const policy = join(server.dataDir, 'sts-policy.json');
  writeFileSync(policy, JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole', 'iam:CreateRole', 'iam:PutRolePolicy'], Resource: '*' }] }));
  const attach = spawnSync(
    process.execPath,
    [BIN, 'policies', 'attach', '--account-id', server.accountId, '--user-name', 'admin', '--policy-name', 'assume-roles', '--document', policy, '--data-dir', server.dataDir],
    { encoding: 'utf8' },
  );
  if (attach.status !== 0) throw new Error(attach.stderr);
  const lookupFrom = (condition: object) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'cloudtrail:LookupEvents', Resource: '*', Condition: condition }] });
  for (const [roleName, network] of [['reader', '127.0.0.1/32'], ['elsewhere', '192.0.2.0/24']] as const) {
    createRole(roleName, trustThisAccount(), lookupFrom({ IpAddress: { 'aws:SourceIp': network } }));
  }
});

afterAll(async () => {
  await server?.stop();
});

describe.skipIf(!hasAwsCli)('AWS CLI', () => {
  it('assume-role, then calls with AWS_SESSION_TOKEN, each in lookup-events as the AssumedRole with Username = the session name', () => {
    const keys = cliAssume('reader', 'cli-session');
    expect(keys.AccessKeyId).toMatch(/^ASIA/);
    const who = awsJson<{ Arn: string; UserId: string }>(keys, 'sts', 'get-caller-identity');
    expect(who.Arn).toBe(`arn:aws:sts::${server.accountId}:assumed-role/reader/cli-session`);
    awsJson(keys, 'cloudtrail', 'lookup-events', '--max-items', '1');

    const steps = eventsOf('cli-session');
    expect(steps.map((e) => e.EventName)).toEqual(['LookupEvents', 'GetCallerIdentity']);
    for (const step of steps) {
      expect(step.Username).toBe('cli-session');
      expect(userIdentityOf(step)).toMatchObject({
        type: 'AssumedRole',
        arn: who.Arn,
        principalId: who.UserId,
        accessKeyId: keys.AccessKeyId,
        sessionContext: { sessionIssuer: { type: 'Role', arn: roleArn('reader'), userName: 'reader' }, attributes: { mfaAuthenticated: 'false' } },
      });
      expect(step.CloudTrailEvent).not.toContain(keys.SessionToken);
    }
    const assumeStep = eventsOf('admin').find((e) => e.EventName === 'AssumeRole');
    expect(assumeStep).toBeDefined();
    expect(userIdentityOf(assumeStep!)).toMatchObject({ type: 'IAMUser', userName: 'admin' });
    expect(JSON.parse(assumeStep!.CloudTrailEvent)).toMatchObject({
      eventSource: 'sts.amazonaws.com',
      awsRegion: 'us-east-1',
      userAgent: expect.stringContaining('aws-cli/') as unknown,
      requestParameters: { roleArn: roleArn('reader'), roleSessionName: 'cli-session' },
    });
  });

  it('aws:SourceIp: allowed from 127.0.0.1, denied by a policy that allows only another network', () => {
    const allowed = aws(cliAssume('reader', 'cli-ip-ok'), 'cloudtrail', 'lookup-events', '--max-items', '1');
    expect(allowed.status, allowed.stderr).toBe(0);
    const denied = aws(cliAssume('elsewhere', 'cli-ip-denied'), 'cloudtrail', 'lookup-events', '--max-items', '1');
    expect(denied.status).not.toBe(0);
    expect(denied.stderr).toContain('AccessDeniedException');
    expect(denied.stderr).toContain(`assumed-role/elsewhere/cli-ip-denied is not authorized to perform: cloudtrail:LookupEvents`);
  });

  it('a session token used with another session’s key is InvalidClientTokenId', () => {
    const a = cliAssume('reader', 'cli-token-a');
    const b = cliAssume('reader', 'cli-token-b');
    const result = aws({ ...a, SessionToken: b.SessionToken }, 'sts', 'get-caller-identity');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('InvalidClientTokenId');
    expect(result.stderr).toContain('The security token included in the request is invalid');
  });
});

describe.skipIf(!hasBoto3)('boto3', () => {
  const SCRIPT = `
import json, sys, boto3
endpoint, account = sys.argv[1], sys.argv[2]
sts = boto3.client('sts', endpoint_url=endpoint)
creds = sts.assume_role(RoleArn=f'arn:aws:iam::{account}:role/reader', RoleSessionName='boto3-session')['Credentials']
session = boto3.Session(aws_access_key_id=creds['AccessKeyId'], aws_secret_access_key=creds['SecretAccessKey'],
                        aws_session_token=creds['SessionToken'], region_name='us-east-1')
who = session.client('sts', endpoint_url=endpoint).get_caller_identity()
session.client('cloudtrail', endpoint_url=endpoint).lookup_events(MaxResults=1)
admin = boto3.client('cloudtrail', endpoint_url=endpoint)
events = admin.lookup_events(LookupAttributes=[{'AttributeKey': 'Username', 'AttributeValue': 'boto3-session'}])['Events']
print(json.dumps({'arn': who['Arn'], 'accessKeyId': creds['AccessKeyId'],
                  'expiration': creds['Expiration'].isoformat(),
                  'events': [{'EventName': e['EventName'], 'Username': e['Username'], 'CloudTrailEvent': e['CloudTrailEvent']} for e in events]}))
`;

  it('assume_role, then a Session with aws_session_token; lookup_events shows both calls as the AssumedRole', () => {
    const result = spawnSync('python3', ['-c', SCRIPT, server.url, server.accountId], { encoding: 'utf8', env: clientEnv(), timeout: 60_000 });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const out = JSON.parse(result.stdout) as { arn: string; accessKeyId: string; expiration: string; events: LookupEvent[] };
    expect(out.arn).toBe(`arn:aws:sts::${server.accountId}:assumed-role/reader/boto3-session`);
    expect(Date.parse(out.expiration)).toBeGreaterThan(Date.now() + 3_000_000);
    expect(out.events.map((e) => e.EventName)).toEqual(['LookupEvents', 'GetCallerIdentity']);
    for (const event of out.events) {
      expect(event.Username).toBe('boto3-session');
      expect(userIdentityOf(event)).toMatchObject({ type: 'AssumedRole', arn: out.arn, accessKeyId: out.accessKeyId });
    }
  });
});
