/**
 * IAM with the stock AWS CLI and boto3 against a real server, as a user would script it: a user
 * with a key and a policy, that key used (allowed and denied), every step in the history as an
 * iam.amazonaws.com record in us-east-1 under the right user name; IAM's errors as the CLI
 * shows them; two CreateUser calls racing for one name; a refused record leaving no user.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCliAvailable, boto3Available } from '../support/peers.js';
import { withRecordRefused } from '../support/refuse-record.js';
import { startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

const hasAwsCli = awsCliAvailable();
const hasBoto3 = boto3Available();

let server: ServerProcess;

function baseEnv(): NodeJS.ProcessEnv {
  // One attempt: a refused call must fail at once, not after the CLI's retries.
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_CONFIG_FILE: join(server.dataDir, 'no-such-config'), AWS_EC2_METADATA_DISABLED: 'true', AWS_MAX_ATTEMPTS: '1' };
  for (const name of ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_DEFAULT_REGION', 'AWS_REGION']) delete env[name];
  return env;
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The AWS CLI with the admin profile of the credentials file the server wrote, or with a given key. */
function aws(args: string[], key?: { id: string; secret: string }): Run {
  const env = baseEnv();
  const profile: string[] = [];
  if (key === undefined) {
    env.AWS_SHARED_CREDENTIALS_FILE = join(server.dataDir, 'credentials');
    profile.push('--profile', 'opentrail');
  } else {
    env.AWS_SHARED_CREDENTIALS_FILE = join(server.dataDir, 'no-such-credentials');
    env.AWS_ACCESS_KEY_ID = key.id;
    env.AWS_SECRET_ACCESS_KEY = key.secret;
  }
  const result = spawnSync('aws', [...profile, '--region', 'us-east-1', '--endpoint-url', server.url, '--output', 'json', ...args], {
    encoding: 'utf8',
    env,
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function awsJson(args: string[], key?: { id: string; secret: string }): Record<string, unknown> {
  const result = aws(args, key);
  if (result.status !== 0) throw new Error(`aws ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout.trim() === '' ? {} : (JSON.parse(result.stdout) as Record<string, unknown>);
}

/** The history's IAM records, newest first, as the admin sees them. */
function iamRecords(): Record<string, unknown>[] {
  const { Events } = awsJson(['cloudtrail', 'lookup-events', '--lookup-attributes', 'AttributeKey=EventSource,AttributeValue=iam.amazonaws.com']) as {
    Events: { Username: string; CloudTrailEvent: string }[];
  };
  return Events.map((e) => ({ ...(JSON.parse(e.CloudTrailEvent) as Record<string, unknown>), lookupUsername: e.Username }));
}

const lookupsOnly = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'cloudtrail:LookupEvents', Resource: '*' }] });

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server?.stop();
});

describe.skipIf(!hasAwsCli)('AWS CLI', () => {
  it('a user with a key and a policy: the key may look events up and may not create a trail; every step is in the history', () => {
    const { User } = awsJson(['iam', 'create-user', '--user-name', 'ci-bot']) as { User: { Arn: string; UserId: string } };
    expect(User.Arn).toBe(`arn:aws:iam::${server.accountId}:user/ci-bot`);
    const { AccessKey } = awsJson(['iam', 'create-access-key', '--user-name', 'ci-bot']) as { AccessKey: { AccessKeyId: string; SecretAccessKey: string } };
    awsJson(['iam', 'put-user-policy', '--user-name', 'ci-bot', '--policy-name', 'lookups', '--policy-document', lookupsOnly]);
    // The CLI decodes IAM's URL-encoded documents back into JSON.
    const policy = awsJson(['iam', 'get-user-policy', '--user-name', 'ci-bot', '--policy-name', 'lookups']) as { PolicyDocument: unknown };
    expect(policy.PolicyDocument).toEqual(JSON.parse(lookupsOnly));

    const key = { id: AccessKey.AccessKeyId, secret: AccessKey.SecretAccessKey };
    expect(aws(['cloudtrail', 'lookup-events', '--max-items', '1'], key).status).toBe(0);
    const denied = aws(['cloudtrail', 'create-trail', '--name', 't', '--s3-bucket-name', 'b'], key);
    expect(denied.status).not.toBe(0);
    expect(denied.stderr).toContain('AccessDenied');

    const records = iamRecords();
    const steps = ['CreateUser', 'CreateAccessKey', 'PutUserPolicy', 'GetUserPolicy'].map((name) => records.find((r) => r.eventName === name));
    for (const record of steps) {
      expect(record).toMatchObject({ eventSource: 'iam.amazonaws.com', awsRegion: 'us-east-1', lookupUsername: 'admin', userIdentity: { type: 'IAMUser', userName: 'admin' } });
    }
    expect(steps[1]!.responseElements).toMatchObject({ accessKey: { accessKeyId: AccessKey.AccessKeyId, userName: 'ci-bot', status: 'Active' } });
    expect(JSON.stringify(records)).not.toContain(AccessKey.SecretAccessKey);
    expect(steps[2]!.requestParameters).toEqual({ userName: 'ci-bot', policyName: 'lookups', policyDocument: lookupsOnly });

    const { Events } = awsJson(['cloudtrail', 'lookup-events', '--lookup-attributes', 'AttributeKey=Username,AttributeValue=ci-bot']) as { Events: { EventName: string; CloudTrailEvent: string }[] };
    const byBot = Events.map((e) => JSON.parse(e.CloudTrailEvent) as Record<string, unknown>);
    expect(byBot.find((r) => r.eventName === 'CreateTrail')).toMatchObject({ errorCode: 'AccessDenied', userIdentity: { userName: 'ci-bot', accessKeyId: AccessKey.AccessKeyId } });
    expect(byBot.some((r) => r.eventName === 'LookupEvents' && r.errorCode === undefined)).toBe(true);
  });

  it('get-role decodes the trust policy; IAM errors show as the CLI shows them (DeleteConflict, NoSuchEntity)', () => {
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
    awsJson(['iam', 'create-role', '--role-name', 'builder', '--assume-role-policy-document', JSON.stringify(trust)]);
    const { Role } = awsJson(['iam', 'get-role', '--role-name', 'builder']) as { Role: { AssumeRolePolicyDocument: unknown; RoleId: string } };
    expect(Role.AssumeRolePolicyDocument).toEqual(trust);
    expect(Role.RoleId).toMatch(/^AROA/);

    awsJson(['iam', 'create-user', '--user-name', 'keyholder']);
    awsJson(['iam', 'create-access-key', '--user-name', 'keyholder']);
    const conflict = aws(['iam', 'delete-user', '--user-name', 'keyholder']);
    expect(conflict.status).not.toBe(0);
    expect(conflict.stderr).toContain('An error occurred (DeleteConflict) when calling the DeleteUser operation: Cannot delete entity, must delete access keys first.');
    const missing = aws(['iam', 'get-user', '--user-name', 'ghost']);
    expect(missing.stderr).toContain('An error occurred (NoSuchEntity) when calling the GetUser operation: The user with name ghost cannot be found.');
    const refused = iamRecords().find((r) => r.eventName === 'DeleteUser');
    expect(refused).toMatchObject({ errorCode: 'DeleteConflictException', errorMessage: 'Cannot delete entity, must delete access keys first.', awsRegion: 'us-east-1' });
  });

  it('a CreateUser whose record cannot be written fails and leaves no user', async () => {
    const result = await withRecordRefused(server.dataDir, 'CreateUser', () => aws(['iam', 'create-user', '--user-name', 'unrecorded', '--cli-read-timeout', '30']));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/InternalFailure|500/);
    expect(aws(['iam', 'get-user', '--user-name', 'unrecorded']).stderr).toContain('(NoSuchEntity)');
    // Without the fault the same call takes effect: the check above is not vacuous.
    expect(aws(['iam', 'create-user', '--user-name', 'unrecorded']).status).toBe(0);
  });
});

describe.skipIf(!hasBoto3)('boto3', () => {
  function python(script: string): Record<string, unknown> {
    const env = { ...baseEnv(), AWS_SHARED_CREDENTIALS_FILE: join(server.dataDir, 'credentials'), OPENTRAIL_URL: server.url };
    const result = spawnSync('python3', ['-c', script], { encoding: 'utf8', env, timeout: 120_000 });
    if (result.status !== 0) throw new Error(`python failed: ${result.stderr}`);
    return JSON.parse(result.stdout) as Record<string, unknown>;
  }

  it('two CreateUser calls racing for one name: one wins, the other is EntityAlreadyExists, both are recorded', () => {
    const outcome = python(`
import json, os, threading, boto3, botocore.config
session = boto3.Session(profile_name="opentrail")
cfg = botocore.config.Config(retries={"max_attempts": 1})
clients = [session.client("iam", endpoint_url=os.environ["OPENTRAIL_URL"], region_name="us-east-1", config=cfg) for _ in range(2)]
results = {}
def create(i, name, barrier):
    barrier.wait()
    try:
        clients[i].create_user(UserName=name)
        results.setdefault(name, []).append("ok")
    except clients[i].exceptions.EntityAlreadyExistsException as e:
        results.setdefault(name, []).append(e.response["Error"]["Code"])
for round in range(5):
    name = "racer%d" % round
    barrier = threading.Barrier(2)
    threads = [threading.Thread(target=create, args=(i, name, barrier)) for i in range(2)]
    for t in threads: t.start()
    for t in threads: t.join()
print(json.dumps(results))
`);
    expect(Object.keys(outcome)).toHaveLength(5);
    for (const results of Object.values(outcome)) expect([...(results as string[])].sort()).toEqual(['EntityAlreadyExists', 'ok']);
    const records = iamRecords().filter((r) => r.eventName === 'CreateUser' && String((r.requestParameters as { userName?: string }).userName).startsWith('racer'));
    expect(records).toHaveLength(10);
    expect(records.filter((r) => r.errorCode === 'EntityAlreadyExistsException')).toHaveLength(5);
    expect(records.filter((r) => r.errorCode === undefined && r.responseElements !== null)).toHaveLength(5);
  });

  it('boto3 pages list_users and reads URL-encoded policies decoded', () => {
    const outcome = python(`
import json, os, boto3
iam = boto3.Session(profile_name="opentrail").client("iam", endpoint_url=os.environ["OPENTRAIL_URL"], region_name="us-east-1")
iam.create_group(GroupName="py-group")
iam.put_group_policy(GroupName="py-group", PolicyName="p", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:ListUsers", "Resource": "*"}]}))
names = [u["UserName"] for page in iam.get_paginator("list_users").paginate(PaginationConfig={"PageSize": 2}) for u in page["Users"]]
doc = iam.get_group_policy(GroupName="py-group", PolicyName="p")["PolicyDocument"]
print(json.dumps({"names": names, "doc": doc}))
`);
    expect(outcome.names).toEqual(expect.arrayContaining(['admin', 'ci-bot', 'racer0']));
    expect(new Set(outcome.names as string[]).size).toBe((outcome.names as string[]).length);
    expect(outcome.doc).toEqual({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }] });
  });
});
