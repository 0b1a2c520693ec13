/**
 * The Organizations API through the real AWS SDK (OrganizationsClient) against a real server
 * process: each supported operation and its main errors, the member rules with a member
 * account's own credentials, the calls' records (us-east-1, organizations.amazonaws.com,
 * sensitive members hidden), and no effect when a call's record cannot be written.
 */
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  CreateOrganizationalUnitCommand,
  DeregisterDelegatedAdministratorCommand,
  DescribeAccountCommand,
  DescribeCreateAccountStatusCommand,
  DescribeOrganizationCommand,
  ListAccountsCommand,
  ListCreateAccountStatusCommand,
  ListDelegatedAdministratorsCommand,
  ListOrganizationalUnitsForParentCommand,
  ListParentsCommand,
  ListRootsCommand,
  RegisterDelegatedAdministratorCommand,
  paginateListAccounts,
} from '@aws-sdk/client-organizations';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudTrailClient, organizationsClient } from '../support/clients.js';
import { runAdminCli } from '../support/admin-cli.js';
import { withRecordRefused } from '../support/refuse-record.js';
import { startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

let server: ServerProcess;
let orgs: OrganizationsClient;
let trail: CloudTrailClient;

function opentrail(...args: string[]): string {
  return runAdminCli(server.dataDir, ...args);
}

/** A user of `accountId` allowed every organizations action by its own policy, and its key. */
function organizationsUser(accountId: string, userName: string): { accessKeyId: string; secretAccessKey: string } {
  const document = join(server.dataDir, `${userName}-policy.json`);
  writeFileSync(document, JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'organizations:*', Resource: '*' }] }));
  opentrail('users', 'create', '--account-id', accountId, '--user-name', userName, '--policy', 'OpenTrailReadOnly');
  opentrail('policies', 'attach', '--account-id', accountId, '--user-name', userName, '--policy-name', 'organizations', '--document', document);
  const [, line] = opentrail('keys', 'create', '--account-id', accountId, '--user-name', userName).trim().split('\n');
  const [accessKeyId, secretAccessKey] = line!.split('\t');
  return { accessKeyId: accessKeyId!, secretAccessKey: secretAccessKey! };
}

async function failure(promise: Promise<unknown>): Promise<{ name: string; status: number | undefined; message: string; reason?: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; Reason?: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message, ...(e.Reason !== undefined && { reason: e.Reason }) };
  }
  throw new Error('the call succeeded');
}

function countRows(sql: string): number {
  const db = new Database(join(server.dataDir, 'opentrail.db'), { readonly: true });
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

async function organizationsRecords(eventName: string): Promise<Record<string, unknown>[]> {
  const { Events } = await trail.send(
    new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: eventName }], MaxResults: 50 }),
  );
  return (Events ?? [])
    .map((e) => JSON.parse(e.CloudTrailEvent!) as Record<string, unknown>)
    .filter((r) => r.eventSource === 'organizations.amazonaws.com');
}

beforeAll(async () => {
  server = await startServer();
  const admin = organizationsUser(server.accountId, 'org-admin');
  orgs = organizationsClient(server, admin);
  trail = cloudTrailClient(server);
});

afterAll(async () => {
  orgs.destroy();
  trail.destroy();
  expect(await server.stop()).toBe(0);
});

let orgId: string;
let memberId: string;
let requestId: string;

describe('before an organization exists', () => {
  it('DescribeOrganization and ListAccounts: AWSOrganizationsNotInUseException', async () => {
    expect(await failure(orgs.send(new DescribeOrganizationCommand({})))).toMatchObject({
      name: 'AWSOrganizationsNotInUseException',
      status: 400,
      message: 'Your account is not a member of an organization.',
    });
    expect((await failure(orgs.send(new ListAccountsCommand({})))).name).toBe('AWSOrganizationsNotInUseException');
  });

  it('a CreateOrganization whose record cannot be written fails and leaves no organization', async () => {
    const failed = await withRecordRefused(server.dataDir, 'CreateOrganization', async () => failure(orgs.send(new CreateOrganizationCommand({}))));
    expect(failed).toMatchObject({ name: 'InternalFailure', status: 500 });
    expect((await failure(orgs.send(new DescribeOrganizationCommand({})))).name).toBe('AWSOrganizationsNotInUseException');
    expect(countRows('SELECT count(*) AS n FROM organizations')).toBe(0);
  });
});

describe('the management account', () => {
  it('CreateOrganization makes the caller the management account, with all features', async () => {
    const { Organization } = await orgs.send(new CreateOrganizationCommand({}));
    expect(Organization).toMatchObject({ FeatureSet: 'ALL', MasterAccountId: server.accountId });
    expect(Organization!.Id).toMatch(/^o-[a-z0-9]{10}$/);
    orgId = Organization!.Id!;
    expect(Organization!.Arn).toBe(`arn:aws:organizations::${server.accountId}:organization/${orgId}`);
    expect(Organization!.MasterAccountArn).toBe(`arn:aws:organizations::${server.accountId}:account/${orgId}/${server.accountId}`);
    expect(Organization!.AvailablePolicyTypes).toEqual([{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }]);
    expect((await failure(orgs.send(new CreateOrganizationCommand({})))).name).toBe('AlreadyInOrganizationException');
  });

  it('DescribeOrganization answers the same organization', async () => {
    const { Organization } = await orgs.send(new DescribeOrganizationCommand({}));
    expect(Organization).toMatchObject({ Id: orgId, MasterAccountId: server.accountId, FeatureSet: 'ALL' });
    expect(Organization!.MasterAccountEmail).toMatch(/@/);
  });

  it('a CreateAccount whose record cannot be written fails and creates no account, member, role or request', async () => {
    const before = ['accounts', 'organization_accounts', 'roles', 'policy_attachments', 'create_account_requests'].map((t) => countRows(`SELECT count(*) AS n FROM ${t}`));
    const failed = await withRecordRefused(server.dataDir, 'CreateAccount', async () => failure(orgs.send(new CreateAccountCommand({ AccountName: 'lost', Email: 'lost@example.com' }))));
    expect(failed).toMatchObject({ name: 'InternalFailure', status: 500 });
    const after = ['accounts', 'organization_accounts', 'roles', 'policy_attachments', 'create_account_requests'].map((t) => countRows(`SELECT count(*) AS n FROM ${t}`));
    expect(after).toEqual(before);
    expect((await orgs.send(new ListAccountsCommand({}))).Accounts).toHaveLength(1);
  });

  it('CreateAccount creates a member with its access role; DescribeCreateAccountStatus reports SUCCEEDED', async () => {
    const { CreateAccountStatus } = await orgs.send(new CreateAccountCommand({ AccountName: 'Development', Email: 'dev@example.com' }));
    expect(CreateAccountStatus).toMatchObject({ AccountName: 'Development', State: 'SUCCEEDED' });
    expect(CreateAccountStatus!.Id).toMatch(/^car-[a-z0-9]{32}$/);
    expect(CreateAccountStatus!.RequestedTimestamp).toBeInstanceOf(Date);
    memberId = CreateAccountStatus!.AccountId!;
    requestId = CreateAccountStatus!.Id!;
    expect(memberId).toMatch(/^\d{12}$/);

    const described = await orgs.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: requestId }));
    expect(described.CreateAccountStatus).toMatchObject({ Id: requestId, State: 'SUCCEEDED', AccountId: memberId });
    expect(countRows(`SELECT count(*) AS n FROM roles WHERE account_id = '${memberId}' AND role_name = 'OrganizationAccountAccessRole'`)).toBe(1);
    expect(
      countRows(`SELECT count(*) AS n FROM policy_attachments WHERE account_id = '${memberId}' AND policy_arn = 'arn:aws:iam::aws:policy/AdministratorAccess'`),
    ).toBe(1);
  });

  it('CreateAccount errors: an e-mail already used FAILS the request; a malformed one is InvalidInputException', async () => {
    const { CreateAccountStatus } = await orgs.send(new CreateAccountCommand({ AccountName: 'Again', Email: 'dev@example.com' }));
    expect(CreateAccountStatus).toMatchObject({ State: 'FAILED', FailureReason: 'EMAIL_ALREADY_EXISTS' });
    expect(await failure(orgs.send(new CreateAccountCommand({ AccountName: 'Bad', Email: 'not-an-address' })))).toMatchObject({
      name: 'InvalidInputException',
      status: 400,
      reason: 'INVALID_PATTERN',
    });
    expect((await failure(orgs.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: 'car-0000000000' })))).name).toBe(
      'CreateAccountStatusNotFoundException',
    );
  });

  it('ListCreateAccountStatus filters by state', async () => {
    const all = await orgs.send(new ListCreateAccountStatusCommand({}));
    expect(all.CreateAccountStatuses!.map((s) => s.State).sort()).toEqual(['FAILED', 'SUCCEEDED']);
    const succeeded = await orgs.send(new ListCreateAccountStatusCommand({ States: ['SUCCEEDED'] }));
    expect(succeeded.CreateAccountStatuses!.map((s) => s.Id)).toEqual([requestId]);
  });

  it('ListAccounts pages through every account with the SDK paginator; DescribeAccount finds each', async () => {
    await orgs.send(new CreateAccountCommand({ AccountName: 'Staging', Email: 'staging@example.com' }));
    const ids: string[] = [];
    for await (const page of paginateListAccounts({ client: orgs, pageSize: 1 }, {})) {
      expect(page.Accounts!.length).toBeLessThanOrEqual(1);
      ids.push(...page.Accounts!.map((a) => a.Id!));
    }
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
    expect(ids).toContain(server.accountId);
    expect(ids).toContain(memberId);
    const { Account } = await orgs.send(new DescribeAccountCommand({ AccountId: memberId }));
    expect(Account).toMatchObject({ Id: memberId, Name: 'Development', Email: 'dev@example.com', JoinedMethod: 'CREATED', Status: 'ACTIVE' });
    expect(Account!.Arn).toBe(`arn:aws:organizations::${server.accountId}:account/${orgId}/${memberId}`);
    expect((await failure(orgs.send(new DescribeAccountCommand({ AccountId: '000000000001' })))).name).toBe('AccountNotFoundException');
    expect(await failure(orgs.send(new ListAccountsCommand({ NextToken: 'garbage' })))).toMatchObject({ name: 'InvalidInputException', reason: 'INVALID_NEXT_TOKEN' });
  });

  it('ListRoots, ListParents and ListOrganizationalUnitsForParent show one root over every account', async () => {
    const { Roots } = await orgs.send(new ListRootsCommand({}));
    expect(Roots).toHaveLength(1);
    const root = Roots![0]!;
    expect(root.Id).toMatch(/^r-[a-z0-9]{4,32}$/);
    expect(root.Arn).toBe(`arn:aws:organizations::${server.accountId}:root/${orgId}/${root.Id}`);
    expect((await orgs.send(new ListParentsCommand({ ChildId: memberId }))).Parents).toEqual([{ Id: root.Id, Type: 'ROOT' }]);
    expect((await orgs.send(new ListOrganizationalUnitsForParentCommand({ ParentId: root.Id! }))).OrganizationalUnits).toEqual([]);
    expect((await failure(orgs.send(new ListParentsCommand({ ChildId: '000000000001' })))).name).toBe('ChildNotFoundException');
  });

  it('delegated administrators: register, list, deregister', async () => {
    const input = { AccountId: memberId, ServicePrincipal: 'cloudtrail.amazonaws.com' };
    await orgs.send(new RegisterDelegatedAdministratorCommand(input));
    expect((await failure(orgs.send(new RegisterDelegatedAdministratorCommand(input)))).name).toBe('AccountAlreadyRegisteredException');
    const { DelegatedAdministrators } = await orgs.send(new ListDelegatedAdministratorsCommand({ ServicePrincipal: 'cloudtrail.amazonaws.com' }));
    expect(DelegatedAdministrators!.map((a) => a.Id)).toEqual([memberId]);
    expect(DelegatedAdministrators![0]!.DelegationEnabledDate).toBeInstanceOf(Date);
    await orgs.send(new DeregisterDelegatedAdministratorCommand(input));
    expect((await orgs.send(new ListDelegatedAdministratorsCommand({}))).DelegatedAdministrators).toEqual([]);
    expect((await failure(orgs.send(new DeregisterDelegatedAdministratorCommand(input)))).name).toBe('AccountNotRegisteredException');
  });

  it('an operation without a handler: UnsupportedOperationException, not a crash', async () => {
    expect(await failure(orgs.send(new CreateOrganizationalUnitCommand({ ParentId: 'r-abcd', Name: 'x' })))).toMatchObject({
      name: 'UnsupportedOperationException',
      status: 400,
    });
  });
});

describe('a member account', () => {
  let member: OrganizationsClient;
  beforeAll(() => {
    member = organizationsClient(server, organizationsUser(memberId, 'member-admin'));
  });
  afterAll(() => member.destroy());

  it('may describe its organization', async () => {
    const { Organization } = await member.send(new DescribeOrganizationCommand({}));
    expect(Organization).toMatchObject({ Id: orgId, MasterAccountId: server.accountId });
  });

  it('may not list accounts, create accounts or create another organization', async () => {
    expect(await failure(member.send(new ListAccountsCommand({})))).toMatchObject({ name: 'AccessDeniedException', status: 400 });
    expect((await failure(member.send(new CreateAccountCommand({ AccountName: 'x', Email: 'x@example.com' })))).name).toBe('AccessDeniedException');
    expect((await failure(member.send(new CreateOrganizationCommand({})))).name).toBe('AlreadyInOrganizationException');
  });
});

describe('the records', () => {
  it('are in us-east-1 with eventSource organizations.amazonaws.com, whatever region the client signed for', async () => {
    const euClient = organizationsClient(server, { ...organizationsUser(server.accountId, 'eu-caller-2'), region: 'eu-west-1' });
    try {
      await euClient.send(new DescribeOrganizationCommand({}));
    } finally {
      euClient.destroy();
    }
    const { Events } = await trail.send(
      new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'organizations.amazonaws.com' }], MaxResults: 50 }),
    );
    const records = (Events ?? []).map((e) => JSON.parse(e.CloudTrailEvent!) as Record<string, unknown>);
    expect(records.length).toBeGreaterThan(10);
    for (const r of records) expect(r).toMatchObject({ awsRegion: 'us-east-1', eventSource: 'organizations.amazonaws.com', recipientAccountId: server.accountId });
    const fromEu = records.find((r) => (r.userIdentity as { userName?: string }).userName === 'eu-caller-2');
    expect(fromEu).toMatchObject({ eventName: 'DescribeOrganization', readOnly: true, requestParameters: null, responseElements: null });
  });

  it('CreateAccount hides the account name and e-mail address, and records the request and its status', async () => {
    const records = await organizationsRecords('CreateAccount');
    const succeeded = records.find((r) => r.errorCode === undefined && JSON.stringify(r.responseElements).includes(requestId))!;
    expect(succeeded.requestParameters).toEqual({ accountName: '****', email: '****' });
    const status = (succeeded.responseElements as { createAccountStatus: Record<string, unknown> }).createAccountStatus;
    expect(status).toMatchObject({ id: requestId, accountName: '****', state: 'SUCCEEDED', accountId: memberId });
    expect(status.requestedTimestamp).toMatch(/^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d{2}:\d{2} [AP]M$/);
    expect(JSON.stringify(records)).not.toContain('dev@example.com');
    expect(JSON.stringify(records)).not.toContain('Development');
    const refused = records.find((r) => r.errorCode === 'InvalidInputException')!;
    expect(refused.requestParameters).toEqual({ accountName: '****', email: '****' });
  });

  it('CreateOrganization records the organization it made; the refused one its error', async () => {
    const records = await organizationsRecords('CreateOrganization');
    const made = records.find((r) => r.errorCode === undefined)!;
    expect((made.responseElements as { organization: { id: string } }).organization.id).toBe(orgId);
    expect(records.filter((r) => r.errorCode === 'AlreadyInOrganizationException').length).toBeGreaterThanOrEqual(1);
  });

  it("a member's calls are recorded in the member's history", async () => {
    const memberTrail = cloudTrailClient(server, organizationsUser(memberId, 'member-reader'));
    try {
      const { Events } = await memberTrail.send(
        new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'ListAccounts' }] }),
      );
      const records = (Events ?? []).map((e) => JSON.parse(e.CloudTrailEvent!) as Record<string, unknown>);
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ recipientAccountId: memberId, errorCode: 'AccessDenied', awsRegion: 'us-east-1' });
    } finally {
      memberTrail.destroy();
    }
  });
});
