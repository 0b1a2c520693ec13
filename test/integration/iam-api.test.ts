/**
 * The IAM API with the AWS SDK's own IAMClient against a real server process: every supported
 * operation's happy path and its main errors (with IAM's codes, messages and statuses as the
 * SDK parses them), documents URL-encoded, records as iam.amazonaws.com events in us-east-1,
 * and the README's admin key allowed IAM by its AdministratorAccess.
 */
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import * as iam from '@aws-sdk/client-iam';
import { IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientOptions, cloudTrailClient } from '../support/clients.js';
import { startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

let server: ServerProcess;
let client: IAMClient;
let account: string;

const doc = (action: string, effect = 'Allow') => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: effect, Action: action, Resource: '*' }] });
const trust = () => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' }] });

async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('the call succeeded');
}

function iamClient(region = 'us-east-1', credentials?: { accessKeyId: string; secretAccessKey: string }): IAMClient {
  return new IAMClient(clientOptions(server, { region, ...credentials }));
}

beforeAll(async () => {
  server = await startServer();
  account = server.accountId;
  client = iamClient();
});

afterAll(async () => {
  client?.destroy();
  await server?.stop();
});

describe('users and access keys', () => {
  it('Create/Get/List/Update/Delete users, with IAM errors', async () => {
    const created = await client.send(new iam.CreateUserCommand({ UserName: 'alice', Path: '/eng/', Tags: [{ Key: 'team', Value: 'eng' }] }));
    expect(created.User).toMatchObject({ UserName: 'alice', Path: '/eng/', Arn: `arn:aws:iam::${account}:user/eng/alice`, Tags: [{ Key: 'team', Value: 'eng' }] });
    expect(created.User!.CreateDate).toBeInstanceOf(Date);
    expect(await failure(client.send(new iam.CreateUserCommand({ UserName: 'ALICE' })))).toEqual({
      name: 'EntityAlreadyExistsException',
      message: 'User with name ALICE already exists.',
      status: 409,
    });
    expect((await client.send(new iam.GetUserCommand({ UserName: 'alice' }))).User!.UserId).toBe(created.User!.UserId);
    expect((await client.send(new iam.GetUserCommand({}))).User!.UserName).toBe('admin');
    expect(await failure(client.send(new iam.GetUserCommand({ UserName: 'nobody' })))).toEqual({
      name: 'NoSuchEntityException',
      message: 'The user with name nobody cannot be found.',
      status: 404,
    });
    expect((await failure(client.send(new iam.CreateUserCommand({ UserName: 'bad name' })))).name).toBe('ValidationError');
    await client.send(new iam.UpdateUserCommand({ UserName: 'alice', NewPath: '/ops/' }));
    const listed = await client.send(new iam.ListUsersCommand({ PathPrefix: '/ops/' }));
    expect(listed.Users!.map((u) => u.UserName)).toEqual(['alice']);
    const paged = await client.send(new iam.ListUsersCommand({ MaxItems: 1 }));
    expect(paged.IsTruncated).toBe(true);
    expect((await client.send(new iam.ListUsersCommand({ Marker: paged.Marker }))).Users!.map((u) => u.UserName)).toEqual(['alice']);
    await client.send(new iam.DeleteUserCommand({ UserName: 'alice' }));
    expect((await failure(client.send(new iam.DeleteUserCommand({ UserName: 'alice' })))).name).toBe('NoSuchEntityException');
  });

  it('access keys: at most 2, list, update, delete, last used, and DeleteConflict for a user with keys', async () => {
    await client.send(new iam.CreateUserCommand({ UserName: 'bob' }));
    const key = (await client.send(new iam.CreateAccessKeyCommand({ UserName: 'bob' }))).AccessKey!;
    expect(key).toMatchObject({ UserName: 'bob', Status: 'Active' });
    expect(key.AccessKeyId).toMatch(/^AKIA/);
    expect(key.SecretAccessKey).toHaveLength(40);
    await client.send(new iam.CreateAccessKeyCommand({ UserName: 'bob' }));
    expect(await failure(client.send(new iam.CreateAccessKeyCommand({ UserName: 'bob' })))).toEqual({
      name: 'LimitExceededException',
      message: 'Cannot exceed quota for AccessKeysPerUser: 2',
      status: 409,
    });
    expect((await client.send(new iam.ListAccessKeysCommand({ UserName: 'bob' }))).AccessKeyMetadata).toHaveLength(2);
    await client.send(new iam.UpdateAccessKeyCommand({ UserName: 'bob', AccessKeyId: key.AccessKeyId, Status: 'Inactive' }));
    expect(await failure(client.send(new iam.DeleteUserCommand({ UserName: 'bob' })))).toEqual({
      name: 'DeleteConflictException',
      message: 'Cannot delete entity, must delete access keys first.',
      status: 409,
    });
    const lastUsed = await client.send(new iam.GetAccessKeyLastUsedCommand({ AccessKeyId: key.AccessKeyId }));
    expect(lastUsed).toMatchObject({ UserName: 'bob', AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } });
    const mine = await client.send(new iam.GetAccessKeyLastUsedCommand({ AccessKeyId: server.accessKeyId }));
    expect(mine).toMatchObject({ UserName: 'admin', AccessKeyLastUsed: { ServiceName: 'iam', Region: 'us-east-1' } });
    expect(mine.AccessKeyLastUsed!.LastUsedDate).toBeInstanceOf(Date);
    for (const k of (await client.send(new iam.ListAccessKeysCommand({ UserName: 'bob' }))).AccessKeyMetadata!) {
      await client.send(new iam.DeleteAccessKeyCommand({ UserName: 'bob', AccessKeyId: k.AccessKeyId }));
    }
    expect(await failure(client.send(new iam.DeleteAccessKeyCommand({ UserName: 'bob', AccessKeyId: key.AccessKeyId })))).toEqual({
      name: 'NoSuchEntityException',
      message: `The Access Key with id ${key.AccessKeyId} cannot be found.`,
      status: 404,
    });
    await client.send(new iam.DeleteUserCommand({ UserName: 'bob' }));
  });

  it('a new user’s key works, and is authorized by that user’s policies only', async () => {
    await client.send(new iam.CreateUserCommand({ UserName: 'carol' }));
    const key = (await client.send(new iam.CreateAccessKeyCommand({ UserName: 'carol' }))).AccessKey!;
    const carol = iamClient('eu-west-1', { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! });
    try {
      expect((await failure(carol.send(new iam.ListUsersCommand({})))).name).toBe('AccessDenied');
      await client.send(new iam.AttachUserPolicyCommand({ UserName: 'carol', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }));
      expect((await carol.send(new iam.ListUsersCommand({}))).Users!.map((u) => u.UserName)).toContain('carol');
      expect((await carol.send(new iam.GetUserCommand({}))).User!.UserName).toBe('carol');
      expect((await failure(carol.send(new iam.CreateUserCommand({ UserName: 'x' })))).name).toBe('AccessDenied');
    } finally {
      carol.destroy();
    }
  });
});

describe('policies', () => {
  it('inline policies of users, roles and groups: Put/Get/List/Delete, URL-encoded, quota and syntax errors', async () => {
    await client.send(new iam.CreateUserCommand({ UserName: 'dan' }));
    await client.send(new iam.CreateRoleCommand({ RoleName: 'dan-role', AssumeRolePolicyDocument: trust() }));
    await client.send(new iam.CreateGroupCommand({ GroupName: 'dan-group' }));
    const text = doc('cloudtrail:LookupEvents');
    await client.send(new iam.PutUserPolicyCommand({ UserName: 'dan', PolicyName: 'p', PolicyDocument: text }));
    await client.send(new iam.PutRolePolicyCommand({ RoleName: 'dan-role', PolicyName: 'p', PolicyDocument: text }));
    await client.send(new iam.PutGroupPolicyCommand({ GroupName: 'dan-group', PolicyName: 'p', PolicyDocument: text }));
    for (const got of [
      await client.send(new iam.GetUserPolicyCommand({ UserName: 'dan', PolicyName: 'p' })),
      await client.send(new iam.GetRolePolicyCommand({ RoleName: 'dan-role', PolicyName: 'p' })),
      await client.send(new iam.GetGroupPolicyCommand({ GroupName: 'dan-group', PolicyName: 'p' })),
    ]) {
      expect(got.PolicyDocument).toMatch(/^%7B%22Version%22/);
      expect(decodeURIComponent(got.PolicyDocument!)).toBe(text);
    }
    expect((await client.send(new iam.ListUserPoliciesCommand({ UserName: 'dan' }))).PolicyNames).toEqual(['p']);
    expect((await client.send(new iam.ListRolePoliciesCommand({ RoleName: 'dan-role' }))).PolicyNames).toEqual(['p']);
    expect((await client.send(new iam.ListGroupPoliciesCommand({ GroupName: 'dan-group' }))).PolicyNames).toEqual(['p']);
    expect(await failure(client.send(new iam.PutUserPolicyCommand({ UserName: 'dan', PolicyName: 'bad', PolicyDocument: '{"Version":"2012-10-17"}' })))).toMatchObject({
      name: 'MalformedPolicyDocumentException',
      status: 400,
    });
    const resources = Array.from({ length: 60 }, (_, i) => `arn:aws:cloudtrail:us-east-1:${account}:trail/t${i}`);
    const large = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'cloudtrail:GetTrail', Resource: resources }] });
    expect((await failure(client.send(new iam.PutUserPolicyCommand({ UserName: 'dan', PolicyName: 'big', PolicyDocument: large })))).message).toBe(
      'Cannot exceed quota for UserPolicySize: 2048',
    );
    await client.send(new iam.DeleteUserPolicyCommand({ UserName: 'dan', PolicyName: 'p' }));
    await client.send(new iam.DeleteRolePolicyCommand({ RoleName: 'dan-role', PolicyName: 'p' }));
    await client.send(new iam.DeleteGroupPolicyCommand({ GroupName: 'dan-group', PolicyName: 'p' }));
    expect((await failure(client.send(new iam.DeleteGroupPolicyCommand({ GroupName: 'dan-group', PolicyName: 'p' })))).message).toBe(
      'The group policy with name p cannot be found.',
    );
  });

  it('managed policies: create, get, list by scope, versions, attach/detach/list for users, roles and groups, entities, delete', async () => {
    const created = (await client.send(new iam.CreatePolicyCommand({ PolicyName: 'trail-reader', Path: '/audit/', PolicyDocument: doc('cloudtrail:Get*') }))).Policy!;
    expect(created).toMatchObject({ Arn: `arn:aws:iam::${account}:policy/audit/trail-reader`, DefaultVersionId: 'v1', AttachmentCount: 0 });
    const arn = created.Arn!;
    expect((await client.send(new iam.GetPolicyCommand({ PolicyArn: arn }))).Policy!.PolicyId).toBe(created.PolicyId);
    expect((await client.send(new iam.ListPoliciesCommand({ Scope: 'Local' }))).Policies!.map((p) => p.PolicyName)).toEqual(['trail-reader']);
    expect((await client.send(new iam.ListPoliciesCommand({ Scope: 'AWS' }))).Policies!.map((p) => p.PolicyName)).toContain('AdministratorAccess');
    const v2 = (await client.send(new iam.CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc('cloudtrail:*'), SetAsDefault: true }))).PolicyVersion!;
    expect(v2).toMatchObject({ VersionId: 'v2', IsDefaultVersion: true });
    expect(decodeURIComponent((await client.send(new iam.GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }))).PolicyVersion!.Document!)).toBe(doc('cloudtrail:*'));
    expect((await client.send(new iam.ListPolicyVersionsCommand({ PolicyArn: arn }))).Versions!.map((v) => v.VersionId)).toEqual(['v2', 'v1']);
    expect((await failure(client.send(new iam.DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' })))).message).toBe(
      'Cannot delete the default version of a policy.',
    );
    await client.send(new iam.SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
    await client.send(new iam.DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }));

    await client.send(new iam.CreateUserCommand({ UserName: 'erin' }));
    await client.send(new iam.CreateRoleCommand({ RoleName: 'erin-role', AssumeRolePolicyDocument: trust() }));
    await client.send(new iam.CreateGroupCommand({ GroupName: 'erin-group' }));
    await client.send(new iam.AttachUserPolicyCommand({ UserName: 'erin', PolicyArn: arn }));
    await client.send(new iam.AttachRolePolicyCommand({ RoleName: 'erin-role', PolicyArn: arn }));
    await client.send(new iam.AttachGroupPolicyCommand({ GroupName: 'erin-group', PolicyArn: arn }));
    const expected = [{ PolicyName: 'trail-reader', PolicyArn: arn }];
    expect((await client.send(new iam.ListAttachedUserPoliciesCommand({ UserName: 'erin' }))).AttachedPolicies).toEqual(expected);
    expect((await client.send(new iam.ListAttachedRolePoliciesCommand({ RoleName: 'erin-role' }))).AttachedPolicies).toEqual(expected);
    expect((await client.send(new iam.ListAttachedGroupPoliciesCommand({ GroupName: 'erin-group' }))).AttachedPolicies).toEqual(expected);
    const entities = await client.send(new iam.ListEntitiesForPolicyCommand({ PolicyArn: arn }));
    expect([entities.PolicyUsers!.map((u) => u.UserName), entities.PolicyRoles!.map((r) => r.RoleName), entities.PolicyGroups!.map((g) => g.GroupName)]).toEqual([
      ['erin'],
      ['erin-role'],
      ['erin-group'],
    ]);
    expect((await client.send(new iam.ListPoliciesCommand({ OnlyAttached: true, Scope: 'Local' }))).Policies![0]!.AttachmentCount).toBe(3);
    expect(await failure(client.send(new iam.DeletePolicyCommand({ PolicyArn: arn })))).toEqual({
      name: 'DeleteConflictException',
      message: 'Cannot delete a policy attached to entities.',
      status: 409,
    });
    expect((await failure(client.send(new iam.AttachUserPolicyCommand({ UserName: 'erin', PolicyArn: `arn:aws:iam::${account}:policy/none` })))).message).toBe(
      `Policy arn:aws:iam::${account}:policy/none does not exist or is not attachable.`,
    );
    await client.send(new iam.DetachUserPolicyCommand({ UserName: 'erin', PolicyArn: arn }));
    await client.send(new iam.DetachRolePolicyCommand({ RoleName: 'erin-role', PolicyArn: arn }));
    await client.send(new iam.DetachGroupPolicyCommand({ GroupName: 'erin-group', PolicyArn: arn }));
    await client.send(new iam.DeletePolicyCommand({ PolicyArn: arn }));
    expect((await failure(client.send(new iam.GetPolicyCommand({ PolicyArn: arn })))).name).toBe('NoSuchEntityException');
  });
});

describe('roles and groups', () => {
  it('roles: create with a trust policy (answered URL-encoded), get, list, update, update the trust policy, delete', async () => {
    const role = (await client.send(new iam.CreateRoleCommand({ RoleName: 'deployer', AssumeRolePolicyDocument: trust(), Description: 'deploys' }))).Role!;
    expect(role.RoleId).toMatch(/^AROA/);
    expect(decodeURIComponent(role.AssumeRolePolicyDocument!)).toBe(trust());
    expect((await failure(client.send(new iam.CreateRoleCommand({ RoleName: 'no-principal', AssumeRolePolicyDocument: doc('sts:AssumeRole') })))).name).toBe(
      'MalformedPolicyDocumentException',
    );
    await client.send(new iam.UpdateRoleCommand({ RoleName: 'deployer', MaxSessionDuration: 7200, Description: 'ships' }));
    const newTrust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    await client.send(new iam.UpdateAssumeRolePolicyCommand({ RoleName: 'deployer', PolicyDocument: newTrust }));
    const got = (await client.send(new iam.GetRoleCommand({ RoleName: 'deployer' }))).Role!;
    expect(got).toMatchObject({ MaxSessionDuration: 7200, Description: 'ships' });
    expect(decodeURIComponent(got.AssumeRolePolicyDocument!)).toBe(newTrust);
    expect((await client.send(new iam.ListRolesCommand({}))).Roles!.map((r) => r.RoleName)).toContain('deployer');
    await client.send(new iam.DeleteRoleCommand({ RoleName: 'deployer' }));
    expect(await failure(client.send(new iam.GetRoleCommand({ RoleName: 'deployer' })))).toEqual({
      name: 'NoSuchEntityException',
      message: 'The role with name deployer cannot be found.',
      status: 404,
    });
  });

  it('groups: create, add and remove users, get with users, list for a user, delete with conflicts', async () => {
    const group = (await client.send(new iam.CreateGroupCommand({ GroupName: 'auditors' }))).Group!;
    expect(group.GroupId).toMatch(/^AGPA/);
    await client.send(new iam.CreateUserCommand({ UserName: 'frank' }));
    await client.send(new iam.AddUserToGroupCommand({ GroupName: 'auditors', UserName: 'frank' }));
    expect((await client.send(new iam.GetGroupCommand({ GroupName: 'auditors' }))).Users!.map((u) => u.UserName)).toEqual(['frank']);
    expect((await client.send(new iam.ListGroupsForUserCommand({ UserName: 'frank' }))).Groups!.map((g) => g.GroupName)).toEqual(['auditors']);
    expect((await client.send(new iam.ListGroupsCommand({}))).Groups!.map((g) => g.GroupName)).toContain('auditors');
    expect((await failure(client.send(new iam.DeleteGroupCommand({ GroupName: 'auditors' })))).message).toBe('Cannot delete entity, must remove users from group first.');
    await client.send(new iam.RemoveUserFromGroupCommand({ GroupName: 'auditors', UserName: 'frank' }));
    await client.send(new iam.DeleteGroupCommand({ GroupName: 'auditors' }));
    await client.send(new iam.DeleteUserCommand({ UserName: 'frank' }));
  });

  it('GetAccountAuthorizationDetails lists the account with URL-encoded documents', async () => {
    const details = await client.send(new iam.GetAccountAuthorizationDetailsCommand({}));
    const admin = details.UserDetailList!.find((u) => u.UserName === 'admin')!;
    expect(admin.AttachedManagedPolicies).toEqual([{ PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }]);
    const policy = details.Policies!.find((p) => p.PolicyName === 'AdministratorAccess')!;
    expect(JSON.parse(decodeURIComponent(policy.PolicyVersionList![0]!.Document!))).toMatchObject({ Statement: [{ Action: '*' }] });
  });
});

describe('records', () => {
  it('IAM calls are iam.amazonaws.com records in us-east-1 whatever region the client signed for', async () => {
    const west = iamClient('eu-west-1');
    try {
      await west.send(new iam.CreateUserCommand({ UserName: 'recorded', Tags: [{ Key: 'k', Value: 'v' }] }));
    } finally {
      west.destroy();
    }
    const trail = cloudTrailClient(server, { region: 'us-east-1' });
    try {
      const byName = await trail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateUser' }], MaxResults: 50 }));
      const record = byName.Events!.map((e) => JSON.parse(e.CloudTrailEvent!) as Record<string, unknown>).find((r) => (r.requestParameters as { userName?: string } | null)?.userName === 'recorded');
      expect(record).toMatchObject({
        eventSource: 'iam.amazonaws.com',
        awsRegion: 'us-east-1',
        userIdentity: { type: 'IAMUser', userName: 'admin' },
        requestParameters: { userName: 'recorded', tags: [{ key: 'k', value: 'v' }] },
        responseElements: { user: { userName: 'recorded', arn: `arn:aws:iam::${account}:user/recorded` } },
      });
    } finally {
      trail.destroy();
    }
  });
});

describe('authorization by path', () => {
  it("a policy on user/team/* governs the users under /team/, whatever the call names: the user's own path is in the ARN checked", async () => {
    await client.send(new iam.CreateUserCommand({ UserName: 'lead' }));
    await client.send(
      new iam.PutUserPolicyCommand({
        UserName: 'lead',
        PolicyName: 'team-only',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:*', Resource: `arn:aws:iam::${account}:user/team/*` }] }),
      }),
    );
    await client.send(new iam.CreateUserCommand({ UserName: 'member', Path: '/team/' }));
    await client.send(new iam.CreateUserCommand({ UserName: 'stranger' }));
    const { AccessKey } = await client.send(new iam.CreateAccessKeyCommand({ UserName: 'lead' }));
    const lead = iamClient('us-east-1', { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! });
    try {
      expect((await lead.send(new iam.GetUserCommand({ UserName: 'MEMBER' }))).User?.Arn).toBe(`arn:aws:iam::${account}:user/team/member`);
      expect((await lead.send(new iam.ListUserPoliciesCommand({ UserName: 'member' }))).PolicyNames).toEqual([]);
      const denied = await failure(lead.send(new iam.GetUserCommand({ UserName: 'stranger' })));
      expect(denied.name).toBe('AccessDenied');
      expect(denied.message).toContain(`on resource: arn:aws:iam::${account}:user/stranger`);
    } finally {
      lead.destroy();
    }
  });
});
