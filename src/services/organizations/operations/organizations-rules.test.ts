/**
 * The management and member rules of the Organizations handlers, run through the protocol
 * (validation included) against real SQLite stores; what a call stages is committed as the
 * pipeline would, with an event, so the next call sees it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { event } from '../../../../test/conformance/event-store.suite.js';
import { ServiceError } from '../../../api/errors.js';
import type { HandlerServices, OperationContext } from '../../../api/operation-context.js';
import { rootCaller } from '../../../iam/caller.js';
import type { SqliteDatabase } from '../../../store/sqlite/database.js';
import { openSqliteDatabase } from '../../../store/sqlite/database.js';
import { SqliteEventStore } from '../../../store/sqlite/event-store.js';
import { SqliteIdentityStore } from '../../../store/sqlite/identity-store.js';
import type { StateChange } from '../../../store/state-change.js';
import { organizationsJson } from '../protocol.js';
import { rootIdOf } from '../org-ids.js';

const MANAGEMENT = '111122223333';
const OUTSIDER = '999988887777';
const dir = mkdtempSync(join(tmpdir(), 'opentrail-org-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
let db: SqliteDatabase;
let events: SqliteEventStore;
let store: SqliteIdentityStore;
let lastStaged: StateChange[] = [];

beforeEach(async () => {
  db = openSqliteDatabase(join(dir, `org-${++n}.db`));
  events = new SqliteEventStore(db);
  store = new SqliteIdentityStore(db);
  await store.createAccount({ accountId: MANAGEMENT, name: 'management', createdAt: 1 });
  await store.createAccount({ accountId: OUTSIDER, name: 'outsider', createdAt: 1 });
});

afterEach(async () => {
  await events.close();
  db.close();
});

let seq = 0;
/** One call as the pipeline makes it, by the account itself; its staged changes are committed. */
async function call(accountId: string, operation: string, input: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const staged: StateChange[] = [];
  const context = {
    caller: rootCaller(accountId),
    region: 'us-east-1',
    requestId: 'r',
    nowMs: Date.UTC(2026, 0, 1) + ++seq * 1000,
    services: { identity: { store } } as unknown as HandlerServices,
    resources: [],
    stage: (change: StateChange) => staged.push(change),
    afterCommit: () => undefined,
    shareRecordWith: () => undefined,
    commitWithCallRecord: async () => Promise.reject(new Error('not used')),
  } satisfies OperationContext;
  const output = (await organizationsJson.invoke({ operation, input }, context)) as Record<string, unknown>;
  lastStaged = staged;
  await events.append([event(seq, { account: accountId })], staged);
  return output;
}

async function errorOf(promise: Promise<unknown>): Promise<{ code: string; fields: Record<string, string>; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ServiceError) return { code: error.code, fields: { ...error.fields }, message: error.message };
    throw error;
  }
  throw new Error('the call succeeded');
}

async function newMember(name = 'dev', email = `${name}@example.com`): Promise<string> {
  const out = (await call(MANAGEMENT, 'CreateAccount', { AccountName: name, Email: email })) as { CreateAccountStatus: { AccountId: string } };
  return out.CreateAccountStatus.AccountId;
}

describe('an account in no organization', () => {
  it.each(['DescribeOrganization', 'ListAccounts', 'ListRoots', 'ListDelegatedAdministrators', 'ListCreateAccountStatus'])(
    '%s: AWSOrganizationsNotInUseException',
    async (operation) => {
      expect((await errorOf(call(OUTSIDER, operation))).code).toBe('AWSOrganizationsNotInUseException');
    },
  );

  it('CreateAccount: AWSOrganizationsNotInUseException, nothing staged', async () => {
    expect((await errorOf(call(OUTSIDER, 'CreateAccount', { AccountName: 'x', Email: 'x@example.com' }))).code).toBe('AWSOrganizationsNotInUseException');
  });
});

describe('CreateOrganization', () => {
  it('makes the caller the management account, with all features by default', async () => {
    const out = (await call(MANAGEMENT, 'CreateOrganization')) as { Organization: Record<string, unknown> };
    expect(out.Organization).toMatchObject({ FeatureSet: 'ALL', MasterAccountId: MANAGEMENT });
    expect(out.Organization.Id).toMatch(/^o-[a-z0-9]{10}$/);
    const org = await store.organizationOfAccount(MANAGEMENT);
    expect(org).toMatchObject({ orgId: out.Organization.Id, managementAccountId: MANAGEMENT, featureSet: 'ALL' });
  });

  it('takes CONSOLIDATED_BILLING; refuses an unknown feature set with InvalidInputException INVALID_ENUM', async () => {
    expect(await errorOf(call(MANAGEMENT, 'CreateOrganization', { FeatureSet: 'SOME' }))).toMatchObject({ code: 'InvalidInputException', fields: { Reason: 'INVALID_ENUM' } });
    const out = (await call(MANAGEMENT, 'CreateOrganization', { FeatureSet: 'CONSOLIDATED_BILLING' })) as { Organization: Record<string, unknown> };
    expect(out.Organization).toMatchObject({ FeatureSet: 'CONSOLIDATED_BILLING', AvailablePolicyTypes: [] });
  });

  it('an account already in an organization, management or member, gets AlreadyInOrganizationException', async () => {
    await call(MANAGEMENT, 'CreateOrganization');
    const member = await newMember();
    expect((await errorOf(call(MANAGEMENT, 'CreateOrganization'))).code).toBe('AlreadyInOrganizationException');
    expect((await errorOf(call(member, 'CreateOrganization'))).code).toBe('AlreadyInOrganizationException');
  });
});

describe('CreateAccount', () => {
  beforeEach(async () => {
    await call(MANAGEMENT, 'CreateOrganization');
  });

  it('stages the account, its membership, the access role with AdministratorAccess and the request, all in one call', async () => {
    const out = (await call(MANAGEMENT, 'CreateAccount', { AccountName: 'dev', Email: 'dev@example.com' })) as { CreateAccountStatus: Record<string, unknown> };
    const status = out.CreateAccountStatus;
    expect(status).toMatchObject({ AccountName: 'dev', State: 'SUCCEEDED' });
    expect(status.Id).toMatch(/^car-[a-z0-9]{32}$/);
    expect(status.AccountId).toMatch(/^[1-9]\d{11}$/);
    expect(lastStaged.map((c) => c.kind)).toEqual(['createAccount', 'addOrganizationAccount', 'createRole', 'attachPolicy', 'putCreateAccountRequest']);

    const accountId = status.AccountId as string;
    expect(await store.getOrganizationAccount(accountId)).toMatchObject({ joinedMethod: 'CREATED', email: 'dev@example.com', name: 'dev' });
    const role = await store.getRole(accountId, 'OrganizationAccountAccessRole');
    expect(JSON.parse(role!.trustPolicy)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${MANAGEMENT}:root` }, Action: 'sts:AssumeRole' }],
    });
    expect(role!.roleId).toMatch(/^AROA[A-Z2-7]{16}$/);
    expect(await store.listAttachedPolicyArns({ accountId, kind: 'role', name: 'OrganizationAccountAccessRole' })).toEqual(['arn:aws:iam::aws:policy/AdministratorAccess']);
    expect(await store.getCreateAccountRequest(status.Id as string)).toMatchObject({ state: 'SUCCEEDED', accountId });
  });

  it('names the role as RoleName says', async () => {
    const out = (await call(MANAGEMENT, 'CreateAccount', { AccountName: 'dev', Email: 'dev@example.com', RoleName: 'OrgAdmin' })) as {
      CreateAccountStatus: { AccountId: string };
    };
    expect(await store.getRole(out.CreateAccountStatus.AccountId, 'OrgAdmin')).toBeDefined();
  });

  it('an e-mail address already in the organization: the request FAILED with EMAIL_ALREADY_EXISTS, no account', async () => {
    await newMember('dev', 'dev@example.com');
    const out = (await call(MANAGEMENT, 'CreateAccount', { AccountName: 'dev2', Email: 'DEV@example.com' })) as { CreateAccountStatus: Record<string, unknown> };
    expect(out.CreateAccountStatus).toMatchObject({ State: 'FAILED', FailureReason: 'EMAIL_ALREADY_EXISTS' });
    expect(out.CreateAccountStatus.AccountId).toBeUndefined();
    expect(lastStaged.map((c) => c.kind)).toEqual(['putCreateAccountRequest']);
    expect(await store.listOrganizationAccounts((await store.organizationOfAccount(MANAGEMENT))!.orgId)).toHaveLength(2);
  });

  it.each([
    [{ AccountName: 'dev', Email: 'not-an-address' }, 'INVALID_PATTERN', 'email'],
    [{ AccountName: 'dev', Email: 'a@b.c' }, 'MIN_LENGTH_EXCEEDED', 'email'],
    [{ AccountName: 'x'.repeat(51), Email: 'dev@example.com' }, 'MAX_LENGTH_EXCEEDED', 'accountName'],
    [{ AccountName: 'tab\there', Email: 'dev@example.com' }, 'INVALID_PATTERN', 'accountName'],
    [{ AccountName: 'dev', Email: 'dev@example.com', RoleName: 'bad role' }, 'INVALID_PATTERN', 'roleName'],
  ])('%o: InvalidInputException %s naming %s, never the value', async (input, reason, member) => {
    const error = await errorOf(call(MANAGEMENT, 'CreateAccount', input));
    expect(error).toMatchObject({ code: 'InvalidInputException', fields: { Reason: reason } });
    expect(error.message).toContain(member);
    expect(error.message).not.toContain(input.Email);
    expect(error.message).not.toContain(input.AccountName);
  });

  it('missing AccountName or Email: ValidationException', async () => {
    expect((await errorOf(call(MANAGEMENT, 'CreateAccount', { Email: 'dev@example.com' }))).code).toBe('ValidationException');
  });
});

describe('members and the management account', () => {
  let member: string;
  beforeEach(async () => {
    await call(MANAGEMENT, 'CreateOrganization');
    member = await newMember();
  });

  it('a member may describe its organization', async () => {
    const out = (await call(member, 'DescribeOrganization')) as { Organization: Record<string, unknown> };
    expect(out.Organization.MasterAccountId).toBe(MANAGEMENT);
  });

  it.each([
    ['CreateAccount', { AccountName: 'x', Email: 'x@example.com' }],
    ['ListAccounts', {}],
    ['DescribeAccount', { AccountId: MANAGEMENT }],
    ['ListRoots', {}],
    ['ListCreateAccountStatus', {}],
    ['DescribeCreateAccountStatus', { CreateAccountRequestId: 'car-abcdefgh' }],
    ['RegisterDelegatedAdministrator', { AccountId: MANAGEMENT, ServicePrincipal: 'cloudtrail.amazonaws.com' }],
    ['ListDelegatedAdministrators', {}],
  ])('a member calling %s: AccessDeniedException', async (operation, input) => {
    expect((await errorOf(call(member, operation, input))).code).toBe('AccessDeniedException');
  });

  it('a delegated administrator may read accounts and structure, not change them', async () => {
    await call(MANAGEMENT, 'RegisterDelegatedAdministrator', { AccountId: member, ServicePrincipal: 'cloudtrail.amazonaws.com' });
    const accounts = (await call(member, 'ListAccounts')) as { Accounts: { Id: string }[] };
    expect(accounts.Accounts.map((a) => a.Id).sort()).toEqual([MANAGEMENT, member].sort());
    expect(((await call(member, 'ListRoots')) as { Roots: unknown[] }).Roots).toHaveLength(1);
    expect((await errorOf(call(member, 'CreateAccount', { AccountName: 'x', Email: 'x@example.com' }))).code).toBe('AccessDeniedException');
  });

  it('DescribeAccount: an account outside the organization is AccountNotFoundException', async () => {
    expect((await errorOf(call(MANAGEMENT, 'DescribeAccount', { AccountId: OUTSIDER }))).code).toBe('AccountNotFoundException');
    const out = (await call(MANAGEMENT, 'DescribeAccount', { AccountId: member })) as { Account: Record<string, unknown> };
    expect(out.Account).toMatchObject({ Id: member, JoinedMethod: 'CREATED', Status: 'ACTIVE' });
  });

  it('DescribeCreateAccountStatus: another organization\'s request is CreateAccountStatusNotFoundException', async () => {
    await store.createAccount({ accountId: '555566667777', name: 'other', createdAt: 1 });
    await call('555566667777', 'CreateOrganization');
    const theirs = (await call('555566667777', 'CreateAccount', { AccountName: 'o', Email: 'o@example.com' })) as { CreateAccountStatus: { Id: string } };
    const error = await errorOf(call(MANAGEMENT, 'DescribeCreateAccountStatus', { CreateAccountRequestId: theirs.CreateAccountStatus.Id }));
    expect(error.code).toBe('CreateAccountStatusNotFoundException');
  });

  it('the tree is one root holding every account', async () => {
    const org = (await store.organizationOfAccount(MANAGEMENT))!;
    const root = rootIdOf(org.orgId);
    expect(await call(MANAGEMENT, 'ListParents', { ChildId: member })).toEqual({ Parents: [{ Id: root, Type: 'ROOT' }] });
    expect(await call(MANAGEMENT, 'ListOrganizationalUnitsForParent', { ParentId: root })).toEqual({ OrganizationalUnits: [] });
    const children = (await call(MANAGEMENT, 'ListChildren', { ParentId: root, ChildType: 'ACCOUNT' })) as { Children: { Id: string }[] };
    expect(children.Children.map((c) => c.Id).sort()).toEqual([MANAGEMENT, member].sort());
    expect((await errorOf(call(MANAGEMENT, 'ListParents', { ChildId: OUTSIDER }))).code).toBe('ChildNotFoundException');
    expect((await errorOf(call(MANAGEMENT, 'ListOrganizationalUnitsForParent', { ParentId: 'r-zzzz' }))).code).toBe('ParentNotFoundException');
  });
});

describe('delegated administrators', () => {
  let member: string;
  beforeEach(async () => {
    await call(MANAGEMENT, 'CreateOrganization');
    member = await newMember();
  });

  it('register, list, refuse twice, deregister, refuse when not registered', async () => {
    const input = { AccountId: member, ServicePrincipal: 'cloudtrail.amazonaws.com' };
    await call(MANAGEMENT, 'RegisterDelegatedAdministrator', input);
    expect((await errorOf(call(MANAGEMENT, 'RegisterDelegatedAdministrator', input))).code).toBe('AccountAlreadyRegisteredException');
    const listed = (await call(MANAGEMENT, 'ListDelegatedAdministrators', { ServicePrincipal: 'cloudtrail.amazonaws.com' })) as { DelegatedAdministrators: Record<string, unknown>[] };
    expect(listed.DelegatedAdministrators).toHaveLength(1);
    expect(listed.DelegatedAdministrators[0]).toMatchObject({ Id: member });
    expect(typeof listed.DelegatedAdministrators[0]!.DelegationEnabledDate).toBe('number');
    expect(await call(MANAGEMENT, 'ListDelegatedAdministrators', { ServicePrincipal: 'config.amazonaws.com' })).toEqual({ DelegatedAdministrators: [] });
    const services = (await call(MANAGEMENT, 'ListDelegatedServicesForAccount', { AccountId: member })) as { DelegatedServices: { ServicePrincipal: string }[] };
    expect(services.DelegatedServices.map((s) => s.ServicePrincipal)).toEqual(['cloudtrail.amazonaws.com']);
    await call(MANAGEMENT, 'DeregisterDelegatedAdministrator', input);
    expect((await errorOf(call(MANAGEMENT, 'DeregisterDelegatedAdministrator', input))).code).toBe('AccountNotRegisteredException');
  });

  it('the management account cannot be one; nor an account outside; nor an unknown service principal', async () => {
    expect(await errorOf(call(MANAGEMENT, 'RegisterDelegatedAdministrator', { AccountId: MANAGEMENT, ServicePrincipal: 'cloudtrail.amazonaws.com' }))).toMatchObject({
      code: 'ConstraintViolationException',
      fields: { Reason: 'CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR' },
    });
    expect((await errorOf(call(MANAGEMENT, 'RegisterDelegatedAdministrator', { AccountId: OUTSIDER, ServicePrincipal: 'cloudtrail.amazonaws.com' }))).code).toBe(
      'AccountNotFoundException',
    );
    expect(await errorOf(call(MANAGEMENT, 'RegisterDelegatedAdministrator', { AccountId: member, ServicePrincipal: 'cloudtrail' }))).toMatchObject({
      code: 'InvalidInputException',
      fields: { Reason: 'UNRECOGNIZED_SERVICE_PRINCIPAL' },
    });
  });
});

it('operations without a handler answer UnsupportedOperationException', async () => {
  await call(MANAGEMENT, 'CreateOrganization');
  expect((await errorOf(call(MANAGEMENT, 'CreateOrganizationalUnit', { ParentId: 'r-abcd', Name: 'x' }))).code).toBe('UnsupportedOperationException');
});
