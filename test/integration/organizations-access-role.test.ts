/**
 * The role CreateAccount makes in a new member account is one the management account can
 * assume, through the real STS AssumeRole (which checks the role's trust policy), and no other
 * account can. Real SDK clients against a real server process.
 */
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { CreateAccountCommand, CreateOrganizationCommand } from '@aws-sdk/client-organizations';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cloudTrailClient, organizationsClient } from '../support/clients.js';
import { runAdminCli } from '../support/admin-cli.js';
import { startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

interface Key {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

let server: ServerProcess;
let management: Key;
let memberId: string;

function opentrail(...args: string[]): string {
  return runAdminCli(server.dataDir, ...args);
}

/** A user of `accountId` whose own policy allows every organizations action and sts:AssumeRole. */
function userWithKey(accountId: string, userName: string): Key {
  const document = join(server.dataDir, `${userName}-policy.json`);
  writeFileSync(document, JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['organizations:*', 'sts:AssumeRole'], Resource: '*' }] }));
  opentrail('users', 'create', '--account-id', accountId, '--user-name', userName);
  opentrail('policies', 'attach', '--account-id', accountId, '--user-name', userName, '--policy-name', 'org-and-sts', '--document', document);
  const [, line] = opentrail('keys', 'create', '--account-id', accountId, '--user-name', userName).trim().split('\n');
  const [accessKeyId, secretAccessKey] = line!.split('\t');
  return { accessKeyId: accessKeyId!, secretAccessKey: secretAccessKey! };
}

function sts(key: Key): STSClient {
  return new STSClient({ endpoint: server.url, region: 'us-east-1', credentials: key, maxAttempts: 1 });
}

beforeAll(async () => {
  server = await startServer();
  management = userWithKey(server.accountId, 'org-admin');
  const orgs = organizationsClient(server, management);
  try {
    await orgs.send(new CreateOrganizationCommand({}));
    const { CreateAccountStatus } = await orgs.send(new CreateAccountCommand({ AccountName: 'Workloads', Email: 'workloads@example.com' }));
    memberId = CreateAccountStatus!.AccountId!;
  } finally {
    orgs.destroy();
  }
});

afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

it('the management account assumes OrganizationAccountAccessRole in the new member and acts as it', async () => {
  const client = sts(management);
  const roleArn = `arn:aws:iam::${memberId}:role/OrganizationAccountAccessRole`;
  try {
    const { Credentials, AssumedRoleUser } = await client.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'admin-from-management' }));
    expect(AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${memberId}:assumed-role/OrganizationAccountAccessRole/admin-from-management`);
    const session: Key = { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! };
    const asRole = sts(session);
    try {
      const identity = await asRole.send(new GetCallerIdentityCommand({}));
      expect(identity).toMatchObject({ Account: memberId, Arn: AssumedRoleUser!.Arn });
    } finally {
      asRole.destroy();
    }
  } finally {
    client.destroy();
  }
});

it('an account outside the organization may not assume it, whatever its own policies allow', async () => {
  opentrail('accounts', 'create', '--account-id', '777788889999', '--name', 'outsider');
  const client = sts(userWithKey('777788889999', 'outsider'));
  try {
    await expect(
      client.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${memberId}:role/OrganizationAccountAccessRole`, RoleSessionName: 'intruder' })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
  } finally {
    client.destroy();
  }
});

it('the member account sees the assumption of its role in its own history, joined to the management copy', async () => {
  const client = sts(management);
  const roleArn = `arn:aws:iam::${memberId}:role/OrganizationAccountAccessRole`;
  try {
    const { Credentials } = await client.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'audited' }));
    const session = { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! };
    // The role's AdministratorAccess works in the member account (IAM is its own there).
    const iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: session, maxAttempts: 1 });
    const memberTrail = cloudTrailClient(server, session);
    const managementTrail = cloudTrailClient(server);
    try {
      expect((await iam.send(new ListUsersCommand({}))).Users).toEqual([]);
      const lookup = async (trail: typeof memberTrail) =>
        ((await trail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'AssumeRole' }] }))).Events ?? [])
          .map((e) => JSON.parse(e.CloudTrailEvent!) as { userIdentity: { type: string; accountId: string }; recipientAccountId: string; sharedEventID?: string; eventID: string; requestParameters: { roleSessionName?: string } | null })
          .filter((r) => r.requestParameters?.roleSessionName === 'audited');
      const [inMember] = await lookup(memberTrail);
      const [inManagement] = await lookup(managementTrail);
      expect(inMember).toMatchObject({ recipientAccountId: memberId, userIdentity: { type: 'AWSAccount', accountId: server.accountId } });
      expect(inManagement).toMatchObject({ recipientAccountId: server.accountId, userIdentity: { type: 'IAMUser', accountId: server.accountId } });
      expect(inMember!.sharedEventID).toBeDefined();
      expect(inMember!.sharedEventID).toBe(inManagement!.sharedEventID);
      expect(inMember!.eventID).not.toBe(inManagement!.eventID);
      expect(JSON.stringify(inMember)).not.toContain(session.secretAccessKey);
      expect(JSON.stringify(inMember)).not.toContain(session.sessionToken);
    } finally {
      iam.destroy();
      memberTrail.destroy();
      managementTrail.destroy();
    }
  } finally {
    client.destroy();
  }
});
