/**
 * The stock AWS CLI (`aws organizations ... --endpoint-url`) and boto3 against a real server:
 * create-organization, create-account, describe-create-account-status and list-accounts, each
 * client in an account of its own, and their errors as those clients show them.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCliAvailable, boto3Available } from '../support/peers.js';
import { runAdminCli } from '../support/admin-cli.js';
import { startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

const hasAwsCli = awsCliAvailable();
const hasBoto3 = boto3Available();

let server: ServerProcess;

function opentrail(...args: string[]): string {
  return runAdminCli(server.dataDir, ...args);
}

/** A user of `accountId` allowed every organizations action, and its key. */
function organizationsUser(accountId: string, userName: string): { accessKeyId: string; secretAccessKey: string } {
  const document = join(server.dataDir, `${userName}-policy.json`);
  writeFileSync(document, JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'organizations:*', Resource: '*' }] }));
  opentrail('users', 'create', '--account-id', accountId, '--user-name', userName);
  opentrail('policies', 'attach', '--account-id', accountId, '--user-name', userName, '--policy-name', 'organizations', '--document', document);
  const [, line] = opentrail('keys', 'create', '--account-id', accountId, '--user-name', userName).trim().split('\n');
  const [accessKeyId, secretAccessKey] = line!.split('\t');
  return { accessKeyId: accessKeyId!, secretAccessKey: secretAccessKey! };
}

/** The key in the environment, and nothing else of the machine's AWS configuration. */
function clientEnv(key: { accessKeyId: string; secretAccessKey: string }): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_SHARED_CREDENTIALS_FILE: join(server.dataDir, 'no-such-credentials'),
    AWS_CONFIG_FILE: join(server.dataDir, 'no-such-config'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ACCESS_KEY_ID: key.accessKeyId,
    AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1',
  };
  delete env.AWS_PROFILE;
  delete env.AWS_SESSION_TOKEN;
  return env;
}

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server?.stop();
});

describe.skipIf(!hasAwsCli)('AWS CLI', () => {
  let key: { accessKeyId: string; secretAccessKey: string };
  beforeAll(() => {
    key = organizationsUser(server.accountId, 'cli-admin');
  });

  function aws(...args: string[]) {
    const result = spawnSync('aws', ['organizations', '--endpoint-url', server.url, '--output', 'json', ...args], {
      encoding: 'utf8',
      env: clientEnv(key),
      timeout: 60_000,
    });
    return { status: result.status, stderr: result.stderr, json: () => JSON.parse(result.stdout) as Record<string, unknown> };
  }

  it('create-organization, then describe-organization; a second create-organization fails as AWS does', () => {
    const created = aws('create-organization');
    expect(created.stderr).toBe('');
    const org = created.json().Organization as Record<string, string>;
    expect(org).toMatchObject({ FeatureSet: 'ALL', MasterAccountId: server.accountId });
    expect(org.Id).toMatch(/^o-[a-z0-9]{10}$/);
    expect((aws('describe-organization').json().Organization as Record<string, string>).Id).toBe(org.Id);
    const again = aws('create-organization');
    expect(again.status).not.toBe(0);
    expect(again.stderr).toContain('AlreadyInOrganizationException');
  });

  it('create-account, describe-create-account-status and list-accounts', () => {
    const created = aws('create-account', '--account-name', 'CLI Dev', '--email', 'cli-dev@example.com');
    expect(created.stderr).toBe('');
    const status = created.json().CreateAccountStatus as Record<string, string>;
    expect(status).toMatchObject({ AccountName: 'CLI Dev', State: 'SUCCEEDED' });
    const described = aws('describe-create-account-status', '--create-account-request-id', status.Id!).json().CreateAccountStatus as Record<string, string>;
    expect(described).toMatchObject({ Id: status.Id, State: 'SUCCEEDED', AccountId: status.AccountId });
    // The CLI pages on its own: one account per request here.
    const listed = aws('list-accounts', '--page-size', '1');
    expect(listed.stderr).toBe('');
    const accounts = listed.json().Accounts as { Id: string; Email: string }[];
    expect(accounts.map((a) => a.Id).sort()).toEqual([server.accountId, status.AccountId].sort());
  });

  it('shows a malformed e-mail address as InvalidInputException, and an unknown request id as not found', () => {
    // Long enough for the CLI's own length check, so the server's pattern check answers.
    const bad = aws('create-account', '--account-name', 'x', '--email', 'not-an-address');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('InvalidInputException');
    const missing = aws('describe-create-account-status', '--create-account-request-id', 'car-00000000');
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('CreateAccountStatusNotFoundException');
  });
});

describe.skipIf(!hasBoto3)('boto3', () => {
  const BOTO3_ACCOUNT = '222233334444';
  let key: { accessKeyId: string; secretAccessKey: string };
  beforeAll(() => {
    opentrail('accounts', 'create', '--account-id', BOTO3_ACCOUNT, '--name', 'boto3');
    key = organizationsUser(BOTO3_ACCOUNT, 'boto3-admin');
  });

  function python(script: string): { status: number | null; stdout: string; stderr: string } {
    const result = spawnSync('python3', ['-c', script, server.url], { encoding: 'utf8', env: clientEnv(key), timeout: 60_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  it('create_organization, create_account, describe_create_account_status, list_accounts (paginator)', () => {
    const result = python(`
import boto3, json, sys
from botocore.exceptions import ClientError
orgs = boto3.client('organizations', endpoint_url=sys.argv[1], region_name='us-east-1')
org = orgs.create_organization(FeatureSet='ALL')['Organization']
status = orgs.create_account(AccountName='Boto Dev', Email='boto-dev@example.com')['CreateAccountStatus']
described = orgs.describe_create_account_status(CreateAccountRequestId=status['Id'])['CreateAccountStatus']
ids = [a['Id'] for page in orgs.get_paginator('list_accounts').paginate(PaginationConfig={'PageSize': 1}) for a in page['Accounts']]
try:
    orgs.create_organization()
    again = None
except ClientError as e:
    again = e.response['Error']['Code']
print(json.dumps({'org': org, 'status': {k: str(v) for k, v in status.items()}, 'described': {k: str(v) for k, v in described.items()}, 'ids': ids, 'again': again}))
`);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const out = JSON.parse(result.stdout) as {
      org: Record<string, string>;
      status: Record<string, string>;
      described: Record<string, string>;
      ids: string[];
      again: string;
    };
    expect(out.org).toMatchObject({ MasterAccountId: BOTO3_ACCOUNT, FeatureSet: 'ALL' });
    expect(out.status).toMatchObject({ State: 'SUCCEEDED', AccountName: 'Boto Dev' });
    expect(out.described).toMatchObject({ Id: out.status.Id, AccountId: out.status.AccountId, State: 'SUCCEEDED' });
    // botocore parsed the epoch-seconds timestamps into datetimes.
    expect(out.described.RequestedTimestamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
    expect(out.ids.sort()).toEqual([BOTO3_ACCOUNT, out.status.AccountId].sort());
    expect(out.again).toBe('AlreadyInOrganizationException');
  });

  it('reads the Reason of InvalidInputException', () => {
    const result = python(`
import boto3, sys
from botocore.exceptions import ClientError
orgs = boto3.client('organizations', endpoint_url=sys.argv[1], region_name='us-east-1')
try:
    orgs.describe_account(AccountId='12345')
except ClientError as e:
    print(e.response['Error']['Code'], e.response.get('Reason'))
`);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('InvalidInputException INVALID_PATTERN');
  });
});
