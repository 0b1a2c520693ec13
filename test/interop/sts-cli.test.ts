/**
 * The stock AWS CLI and boto3 calling STS and IAM on a real server, with the credentials file
 * the server writes on first start: the CLI and botocore parse our XML answers and errors, and
 * the calls show up in lookup-events (STS in the region called, IAM in us-east-1).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCliAvailable, boto3Available } from '../support/peers.js';
import { serverProfileEnv } from '../support/profile-env.js';
import { BIN, startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

const hasAwsCli = awsCliAvailable();
const hasBoto3 = boto3Available();

let server: ServerProcess;

function aws(region: string, ...args: string[]) {
  return spawnSync('aws', ['--profile', 'opentrail', '--region', region, '--endpoint-url', server.url, '--output', 'json', ...args], {
    encoding: 'utf8',
    env: serverProfileEnv(server.dataDir),
    timeout: 60_000,
  });
}

interface LookedUp {
  EventName: string;
  CloudTrailEvent: string;
}

function lookup(region: string, eventSource: string): Record<string, unknown>[] {
  const result = aws(region, 'cloudtrail', 'lookup-events', '--lookup-attributes', `AttributeKey=EventSource,AttributeValue=${eventSource}`);
  expect(result.stderr).toBe('');
  return (JSON.parse(result.stdout) as { Events: LookedUp[] }).Events.map((e) => JSON.parse(e.CloudTrailEvent) as Record<string, unknown>);
}

beforeAll(async () => {
  server = await startServer();
  // The ready-made policies cover CloudTrail only; allow IAM and STS the IAM way.
  const policy = join(server.dataDir, 'identity.json');
  writeFileSync(policy, JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:*', 'sts:*'], Resource: '*' }] }));
  const attach = spawnSync(
    process.execPath,
    [BIN, 'policies', 'attach', '--account-id', server.accountId, '--user-name', 'admin', '--policy-name', 'identity', '--document', policy, '--data-dir', server.dataDir],
    { encoding: 'utf8' },
  );
  if (attach.status !== 0) throw new Error(`attaching the policy failed: ${attach.stderr}`);
});

afterAll(async () => {
  await server?.stop();
});

describe.skipIf(!hasAwsCli)('AWS CLI', () => {
  it('aws sts get-caller-identity', () => {
    const result = aws('eu-central-1', 'sts', 'get-caller-identity');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      UserId: expect.stringMatching(/^AIDA/) as unknown,
      Account: server.accountId,
      Arn: `arn:aws:iam::${server.accountId}:user/admin`,
    });
    const [record] = lookup('eu-central-1', 'sts.amazonaws.com');
    expect(record).toMatchObject({ eventName: 'GetCallerIdentity', awsRegion: 'eu-central-1', userAgent: expect.stringContaining('aws-cli/') as unknown });
  });

  it('aws iam list-users signed for another region is answered, and recorded in us-east-1', () => {
    const result = aws('eu-central-1', 'iam', 'list-users');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect((JSON.parse(result.stdout) as { Users: { UserName: string }[] }).Users.map((u) => u.UserName)).toContain('admin');
    const [record] = lookup('us-east-1', 'iam.amazonaws.com');
    expect(record).toMatchObject({ eventName: 'ListUsers', awsRegion: 'us-east-1' });
    expect(record!.errorCode).toBeUndefined();
  });
});

describe.skipIf(!hasBoto3)('boto3', () => {
  function python(code: string): { status: number | null; stdout: string; stderr: string } {
    return spawnSync('python3', ['-c', code], { encoding: 'utf8', env: { ...serverProfileEnv(server.dataDir), ENDPOINT: server.url }, timeout: 60_000 });
  }

  it('sts.get_caller_identity()', () => {
    const result = python(`
import json, os, boto3
session = boto3.Session(profile_name='opentrail')
sts = session.client('sts', endpoint_url=os.environ['ENDPOINT'], region_name='ap-south-1')
identity = sts.get_caller_identity()
print(json.dumps({k: identity[k] for k in ('UserId', 'Account', 'Arn')}))
`);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({ Account: server.accountId, Arn: `arn:aws:iam::${server.accountId}:user/admin` });
  });

  it('reads our error codes, messages, statuses and request ids', () => {
    const result = python(`
import json, os, boto3, botocore
session = boto3.Session(profile_name='opentrail')
sts = session.client('sts', endpoint_url=os.environ['ENDPOINT'], region_name='ap-south-1', config=botocore.config.Config(retries={'max_attempts': 0}))
try:
    sts.get_federation_token(Name='session')
except botocore.exceptions.ClientError as e:
    print(json.dumps({'error': e.response['Error'], 'status': e.response['ResponseMetadata']['HTTPStatusCode'], 'id': e.response['ResponseMetadata']['RequestId']}))
`);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      error: { Type: 'Sender', Code: 'UnsupportedOperation', Message: 'The operation GetFederationToken is not supported by this OpenTrail server yet.' },
      status: 400,
      id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
    });
  });
});
