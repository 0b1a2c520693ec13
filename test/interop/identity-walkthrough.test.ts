/**
 * Issue 9's walkthrough with the stock AWS CLI and boto3, as a user would do it: an admin creates
 * a user, gives it a key and a policy; the user assumes a role and calls with the session's
 * credentials; every step is in the event history with the right identity type and Username.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCliAvailable, boto3Available } from '../support/peers.js';
import { startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

const hasAwsCli = awsCliAvailable();
const hasBoto3 = boto3Available();

const ACCOUNT = '111122223333';
let server: ServerProcess;

/** What the tests read of a record; the rest is checked through JSON.stringify. */
interface RecordedEvent {
  userIdentity: {
    type: string;
    arn?: string;
    accessKeyId?: string;
    sessionContext?: { sessionIssuer?: { arn?: string }; attributes?: { mfaAuthenticated?: string } };
  };
  errorCode?: string;
  awsRegion: string;
  eventSource: string;
  Username: string;
}

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

beforeAll(async () => {
  server = await startServer({ accountId: ACCOUNT });
});

afterAll(async () => {
  await server?.stop();
});

function awsAs(credentials: Credentials, region: string, ...args: string[]) {
  const result = spawnSync('aws', ['--region', region, '--endpoint-url', server.url, '--output', 'json', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      AWS_CONFIG_FILE: '/nonexistent',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      ...(credentials.sessionToken !== undefined && { AWS_SESSION_TOKEN: credentials.sessionToken }),
    },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, json: () => JSON.parse(result.stdout) as Record<string, unknown> };
}

function ok(result: ReturnType<typeof awsAs>): Record<string, unknown> {
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return result.stdout.trim() === '' ? {} : result.json();
}

function lookup(region: string, eventName: string): RecordedEvent[] {
  const admin = { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey };
  const out = ok(awsAs(admin, region, 'cloudtrail', 'lookup-events', '--lookup-attributes', `AttributeKey=EventName,AttributeValue=${eventName}`));
  return (out.Events as { CloudTrailEvent: string; Username: string }[]).map((e) => ({ ...(JSON.parse(e.CloudTrailEvent) as Omit<RecordedEvent, 'Username'>), Username: e.Username }));
}

describe.skipIf(!hasAwsCli)('the AWS CLI walkthrough', () => {
  it('user, key, policy, role, session: each step recorded with its identity', () => {
    const admin = { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey };
    ok(awsAs(admin, 'us-east-1', 'iam', 'create-user', '--user-name', 'alice'));
    const key = ok(awsAs(admin, 'us-east-1', 'iam', 'create-access-key', '--user-name', 'alice')).AccessKey as { AccessKeyId: string; SecretAccessKey: string };
    expect(key.AccessKeyId).toMatch(/^AKIA[A-Z0-9]{16}$/);
    ok(
      awsAs(admin, 'us-east-1', 'iam', 'put-user-policy', '--user-name', 'alice', '--policy-name', 'assume-auditor', '--policy-document',
        JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:GetCallerIdentity'], Resource: '*' }] })),
    );
    ok(
      awsAs(admin, 'us-east-1', 'iam', 'create-role', '--role-name', 'auditor', '--assume-role-policy-document',
        JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/alice` }, Action: 'sts:AssumeRole' }] })),
    );
    ok(awsAs(admin, 'us-east-1', 'iam', 'attach-role-policy', '--role-name', 'auditor', '--policy-arn', 'arn:aws:iam::aws:policy/OpenTrailReadOnly'));

    const alice = { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
    expect(ok(awsAs(alice, 'eu-west-1', 'sts', 'get-caller-identity')).Arn).toBe(`arn:aws:iam::${ACCOUNT}:user/alice`);
    // Alice's own policy does not allow CloudTrail.
    expect(awsAs(alice, 'eu-west-1', 'cloudtrail', 'describe-trails').stderr).toContain('AccessDenied');

    const assumed = ok(
      awsAs(alice, 'eu-west-1', 'sts', 'assume-role', '--role-arn', `arn:aws:iam::${ACCOUNT}:role/auditor`, '--role-session-name', 'audit-1'),
    ) as { Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string }; AssumedRoleUser: { Arn: string } };
    expect(assumed.Credentials.AccessKeyId).toMatch(/^ASIA/);
    expect(assumed.AssumedRoleUser.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/auditor/audit-1`);
    const session = { accessKeyId: assumed.Credentials.AccessKeyId, secretAccessKey: assumed.Credentials.SecretAccessKey, sessionToken: assumed.Credentials.SessionToken };
    expect(ok(awsAs(session, 'eu-west-1', 'sts', 'get-caller-identity')).Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/auditor/audit-1`);
    ok(awsAs(session, 'eu-west-1', 'cloudtrail', 'describe-trails'));
    // The role is read-only.
    expect(awsAs(session, 'eu-west-1', 'cloudtrail', 'create-trail', '--name', 't', '--s3-bucket-name', 'b').stderr).toContain('AccessDenied');

    // IAM in us-east-1, by the admin user.
    for (const name of ['CreateUser', 'CreateAccessKey', 'PutUserPolicy', 'CreateRole', 'AttachRolePolicy']) {
      const [event] = lookup('us-east-1', name);
      expect(event, name).toBeDefined();
      expect(event!.eventSource).toBe('iam.amazonaws.com');
      expect(event!.userIdentity.type).toBe('IAMUser');
      expect(event!.Username).toBe('admin');
    }
    const createKey = lookup('us-east-1', 'CreateAccessKey')[0]!;
    expect(JSON.stringify(createKey)).not.toContain(key.SecretAccessKey);
    // STS in the region called, by alice.
    const [assumeRole] = lookup('eu-west-1', 'AssumeRole');
    expect(assumeRole!.eventSource).toBe('sts.amazonaws.com');
    expect(assumeRole!.userIdentity.type).toBe('IAMUser');
    expect(assumeRole!.Username).toBe('alice');
    expect(JSON.stringify(assumeRole)).not.toContain(session.sessionToken);
    expect(JSON.stringify(assumeRole)).not.toContain(session.secretAccessKey);
    // Calls with the session: AssumedRole, Username = the session name.
    const described = lookup('eu-west-1', 'DescribeTrails');
    const bySession = described.find((e) => e.userIdentity.accessKeyId === session.accessKeyId);
    expect(bySession?.userIdentity.type).toBe('AssumedRole');
    expect(bySession?.Username).toBe('audit-1');
    expect(bySession?.userIdentity.arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/auditor/audit-1`);
    expect(bySession?.userIdentity.sessionContext?.sessionIssuer?.arn).toBe(`arn:aws:iam::${ACCOUNT}:role/auditor`);
    expect(bySession?.userIdentity.sessionContext?.attributes?.mfaAuthenticated).toBe('false');
    const denied = lookup('eu-west-1', 'CreateTrail').find((e) => e.userIdentity.accessKeyId === session.accessKeyId);
    expect(denied?.errorCode).toBe('AccessDenied');
  });
});

describe.skipIf(!hasBoto3)('the boto3 walkthrough', () => {
  it('user, key, role, session with boto3; recorded with its identity', () => {
    const script = `
import boto3, json, sys
url, key, secret, account = sys.argv[1:5]
def client(service, region='us-east-1', **creds):
    return boto3.client(service, endpoint_url=url, region_name=region, **creds)
admin = dict(aws_access_key_id=key, aws_secret_access_key=secret)
iam = client('iam', **admin)
iam.create_user(UserName='bob')
k = iam.create_access_key(UserName='bob')['AccessKey']
iam.put_user_policy(UserName='bob', PolicyName='assume', PolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': 'sts:AssumeRole', 'Resource': '*'}]}))
iam.create_role(RoleName='reader', AssumeRolePolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Principal': {'AWS': account}, 'Action': 'sts:AssumeRole'}]}))
iam.attach_role_policy(RoleName='reader', PolicyArn='arn:aws:iam::aws:policy/OpenTrailReadOnly')
bob = dict(aws_access_key_id=k['AccessKeyId'], aws_secret_access_key=k['SecretAccessKey'])
c = client('sts', **bob).assume_role(RoleArn='arn:aws:iam::%s:role/reader' % account, RoleSessionName='boto-session')['Credentials']
session = dict(aws_access_key_id=c['AccessKeyId'], aws_secret_access_key=c['SecretAccessKey'], aws_session_token=c['SessionToken'])
who = client('sts', **session).get_caller_identity()
client('cloudtrail', **session).describe_trails()
events = client('cloudtrail', **admin).lookup_events(LookupAttributes=[{'AttributeKey': 'Username', 'AttributeValue': 'boto-session'}])['Events']
print(json.dumps({'arn': who['Arn'], 'events': [json.loads(e['CloudTrailEvent'])['userIdentity']['type'] + ':' + e['EventName'] for e in events]}))
`;
    const result = spawnSync('python3', ['-c', script, server.url, server.accessKeyId, server.secretAccessKey, ACCOUNT], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true' },
    });
    expect(result.stderr).toBe('');
    const out = JSON.parse(result.stdout) as { arn: string; events: string[] };
    expect(out.arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/reader/boto-session`);
    expect(out.events).toContain('AssumedRole:DescribeTrails');
  });
});
