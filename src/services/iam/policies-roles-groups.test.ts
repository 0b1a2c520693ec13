/** Policies, roles and groups through the IAM handlers, the pipeline's steps and real stores. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { evaluate } from '../../iam/policy/index.js';
import { HARNESS_ACCOUNT, openIamHarness } from '../../../test/support/iam-harness.js';
import type { IamHarness } from '../../../test/support/iam-harness.js';

let iam: IamHarness;
beforeEach(async () => {
  iam = await openIamHarness();
});
afterEach(async () => {
  await iam.close();
});

const doc = (action: string, effect = 'Allow') => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: effect, Action: action, Resource: '*' }] });
const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${HARNESS_ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] });
const policyArn = (name: string) => `arn:aws:iam::${HARNESS_ACCOUNT}:policy/${name}`;

describe('inline policies', () => {
  it('Put/Get/List/Delete for users, roles and groups; documents answered URL-encoded; each kind its quota', async () => {
    await iam.call('CreateUser', { UserName: 'u' });
    await iam.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust });
    await iam.call('CreateGroup', { GroupName: 'g' });
    const text = doc('cloudtrail:LookupEvents');
    await iam.call('PutUserPolicy', { UserName: 'u', PolicyName: 'p', PolicyDocument: text });
    await iam.call('PutRolePolicy', { RoleName: 'r', PolicyName: 'p', PolicyDocument: text });
    await iam.call('PutGroupPolicy', { GroupName: 'g', PolicyName: 'p', PolicyDocument: text });
    const got = await iam.call('GetUserPolicy', { UserName: 'u', PolicyName: 'P' });
    expect(got).toMatchObject({ UserName: 'u', PolicyName: 'p' });
    expect(got.PolicyDocument).toContain('%22Action%22%3A%22cloudtrail%3ALookupEvents%22');
    expect(decodeURIComponent(got.PolicyDocument)).toBe(text);
    expect(decodeURIComponent((await iam.call('GetRolePolicy', { RoleName: 'r', PolicyName: 'p' })).PolicyDocument)).toBe(text);
    expect((await iam.call('ListGroupPolicies', { GroupName: 'g' })).PolicyNames).toEqual(['p']);
    expect(await iam.failure('GetRolePolicy', { RoleName: 'r', PolicyName: 'nope' })).toEqual({ code: 'NoSuchEntityException', message: 'The role policy with name nope cannot be found.' });

    const resources = Array.from({ length: 60 }, (_, i) => `arn:aws:cloudtrail:us-east-1:${HARNESS_ACCOUNT}:trail/t${i}`);
    const large = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'cloudtrail:GetTrail', Resource: resources }] });
    expect(await iam.failure('PutUserPolicy', { UserName: 'u', PolicyName: 'big', PolicyDocument: large })).toEqual({
      code: 'LimitExceededException',
      message: 'Cannot exceed quota for UserPolicySize: 2048',
    });
    await iam.call('PutGroupPolicy', { GroupName: 'g', PolicyName: 'big', PolicyDocument: large });
    expect((await iam.failure('PutUserPolicy', { UserName: 'u', PolicyName: 'bad', PolicyDocument: '{"Statement": 1}' }))?.code).toBe('MalformedPolicyDocumentException');
    await iam.call('DeleteRolePolicy', { RoleName: 'r', PolicyName: 'p' });
    expect((await iam.call('ListRolePolicies', { RoleName: 'r' })).PolicyNames).toEqual([]);
  });
});

it("a role's inline policy may be as large as IAM's role quota, and still applies when evaluated", async () => {
  await iam.call('CreateRole', { RoleName: 'large', AssumeRolePolicyDocument: trust });
  const resources = Array.from({ length: 140 }, (_, i) => `arn:aws:cloudtrail:us-east-1:${HARNESS_ACCOUNT}:trail/t${i}`);
  const text = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'cloudtrail:GetTrail', Resource: resources }] });
  expect(text.length).toBeGreaterThan(6144);
  expect(text.length).toBeLessThan(10240);
  await iam.call('PutRolePolicy', { RoleName: 'large', PolicyName: 'many-trails', PolicyDocument: text });
  const policies = await iam.stores.identity.policiesOfPrincipal({ accountId: HARNESS_ACCOUNT, kind: 'role', name: 'large' });
  expect(evaluate({ action: 'cloudtrail:GetTrail', resource: resources[139]! }, policies)).toBe('Allow');
});

describe('managed policies and versions', () => {
  it('CreatePolicy answers an ANPA id and v1; names are unique; GetPolicy counts attachments', async () => {
    const { Policy } = await iam.call('CreatePolicy', { PolicyName: 'read', PolicyDocument: doc('cloudtrail:Get*'), Description: 'reads' });
    expect(Policy).toMatchObject({ PolicyName: 'read', Arn: policyArn('read'), DefaultVersionId: 'v1', AttachmentCount: 0, IsAttachable: true, Description: 'reads' });
    expect(Policy!.PolicyId).toMatch(/^ANPA/);
    expect(await iam.failure('CreatePolicy', { PolicyName: 'READ', PolicyDocument: doc('*') })).toEqual({
      code: 'EntityAlreadyExistsException',
      message: 'A policy called READ already exists. Duplicate names are not allowed.',
    });
    await iam.call('CreateUser', { UserName: 'u' });
    await iam.call('AttachUserPolicy', { UserName: 'u', PolicyArn: policyArn('read') });
    expect((await iam.call('GetPolicy', { PolicyArn: policyArn('read') })).Policy!.AttachmentCount).toBe(1);
    expect((await iam.call('ListEntitiesForPolicy', { PolicyArn: policyArn('read') })).PolicyUsers).toEqual([
      { UserName: 'u', UserId: (await iam.stores.identity.store.getUser(HARNESS_ACCOUNT, 'u'))!.principalId },
    ]);
    expect(await iam.failure('DeletePolicy', { PolicyArn: policyArn('read') })).toEqual({ code: 'DeleteConflictException', message: 'Cannot delete a policy attached to entities.' });
    expect(await iam.failure('GetPolicy', { PolicyArn: policyArn('none') })).toEqual({ code: 'NoSuchEntityException', message: `Policy ${policyArn('none')} was not found.` });
  });

  it('at most 5 versions; the default cannot be deleted; a policy with versions cannot be deleted until they are', async () => {
    await iam.call('CreatePolicy', { PolicyName: 'p', PolicyDocument: doc('cloudtrail:GetTrail') });
    for (let i = 2; i <= 5; i++) {
      const { PolicyVersion } = await iam.call('CreatePolicyVersion', { PolicyArn: policyArn('p'), PolicyDocument: doc(`cloudtrail:Get${i}`), SetAsDefault: i === 3 });
      expect(PolicyVersion).toMatchObject({ VersionId: `v${i}`, IsDefaultVersion: i === 3 });
    }
    expect(await iam.failure('CreatePolicyVersion', { PolicyArn: policyArn('p'), PolicyDocument: doc('*') })).toEqual({
      code: 'LimitExceededException',
      message: 'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
    });
    expect((await iam.call('ListPolicyVersions', { PolicyArn: policyArn('p') })).Versions!.map((v) => [v.VersionId, v.IsDefaultVersion])).toEqual([
      ['v5', false],
      ['v4', false],
      ['v3', true],
      ['v2', false],
      ['v1', false],
    ]);
    expect(decodeURIComponent((await iam.call('GetPolicyVersion', { PolicyArn: policyArn('p'), VersionId: 'v3' })).PolicyVersion!.Document!)).toBe(doc('cloudtrail:Get3'));
    expect(await iam.failure('DeletePolicyVersion', { PolicyArn: policyArn('p'), VersionId: 'v3' })).toEqual({ code: 'DeleteConflictException', message: 'Cannot delete the default version of a policy.' });
    expect((await iam.failure('DeletePolicy', { PolicyArn: policyArn('p') }))?.message).toContain('has more than one version');
    await iam.call('SetDefaultPolicyVersion', { PolicyArn: policyArn('p'), VersionId: 'v1' });
    expect((await iam.call('GetPolicy', { PolicyArn: policyArn('p') })).Policy!.DefaultVersionId).toBe('v1');
    for (const v of ['v2', 'v3', 'v4', 'v5']) await iam.call('DeletePolicyVersion', { PolicyArn: policyArn('p'), VersionId: v });
    await iam.call('DeletePolicy', { PolicyArn: policyArn('p') });
    expect((await iam.failure('GetPolicy', { PolicyArn: policyArn('p') }))?.code).toBe('NoSuchEntityException');
  });

  it('a customer managed policy keeps its tags: CreatePolicy and GetPolicy show them, ListPolicies does not', async () => {
    const created = await iam.call('CreatePolicy', { PolicyName: 'tagged', PolicyDocument: doc('cloudtrail:GetTrail'), Tags: [{ Key: 'team', Value: 'audit' }] });
    expect(created.Policy?.Tags).toEqual([{ Key: 'team', Value: 'audit' }]);
    expect((await iam.call('GetPolicy', { PolicyArn: policyArn('tagged') })).Policy?.Tags).toEqual([{ Key: 'team', Value: 'audit' }]);
    const listed = (await iam.call('ListPolicies', { Scope: 'Local' })).Policies?.find((p) => p.PolicyName === 'tagged');
    expect(listed).toBeDefined();
    expect(listed?.Tags).toBeUndefined();
  });

  it("a deleted version's id is never given again, as in IAM", async () => {
    await iam.call('CreatePolicy', { PolicyName: 'ids', PolicyDocument: doc('cloudtrail:GetTrail') });
    const v2 = await iam.call('CreatePolicyVersion', { PolicyArn: policyArn('ids'), PolicyDocument: doc('cloudtrail:ListTrails') });
    expect(v2.PolicyVersion?.VersionId).toBe('v2');
    await iam.call('DeletePolicyVersion', { PolicyArn: policyArn('ids'), VersionId: 'v2' });
    const v3 = await iam.call('CreatePolicyVersion', { PolicyArn: policyArn('ids'), PolicyDocument: doc('cloudtrail:DescribeTrails') });
    expect(v3.PolicyVersion?.VersionId).toBe('v3');
    expect((await iam.call('ListPolicyVersions', { PolicyArn: policyArn('ids') })).Versions?.map((v) => v.VersionId)).toEqual(['v3', 'v1']);
  });

  it('AWS managed policies: listed with Scope=AWS, readable, attachable, never changed', async () => {
    const aws = await iam.call('ListPolicies', { Scope: 'AWS', MaxItems: 1000 });
    expect(aws.Policies!.map((p) => p.PolicyName)).toEqual(expect.arrayContaining(['AdministratorAccess', 'IAMFullAccess', 'IAMReadOnlyAccess', 'ReadOnlyAccess', 'OpenTrailFullAccess']));
    await iam.call('CreatePolicy', { PolicyName: 'mine', PolicyDocument: doc('iam:GetUser'), Path: '/team/' });
    expect((await iam.call('ListPolicies', { Scope: 'Local' })).Policies!.map((p) => p.PolicyName)).toEqual(['mine']);
    expect((await iam.call('ListPolicies', { PathPrefix: '/team/' })).Policies!.map((p) => p.PolicyName)).toEqual(['mine']);
    expect((await iam.call('ListPolicies', { OnlyAttached: true })).Policies).toEqual([]);
    const admin = 'arn:aws:iam::aws:policy/AdministratorAccess';
    const version = await iam.call('GetPolicyVersion', { PolicyArn: admin, VersionId: 'v1' });
    expect(JSON.parse(decodeURIComponent(version.PolicyVersion!.Document!))).toMatchObject({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    expect((await iam.failure('CreatePolicyVersion', { PolicyArn: admin, PolicyDocument: doc('*') }))?.code).toBe('UnmodifiableEntityException');
    expect((await iam.failure('DeletePolicy', { PolicyArn: admin }))?.code).toBe('UnmodifiableEntityException');
  });

  it("another account's policy is not there for this one", async () => {
    await iam.stores.identity.createAccount('444455556666', 'other');
    const other = { type: 'Root' as const, accountId: '444455556666', principalId: '444455556666', arn: 'arn:aws:iam::444455556666:root', accessKeyId: '' };
    await iam.call('CreatePolicy', { PolicyName: 'theirs', PolicyDocument: doc('*') }, other);
    await iam.call('CreateUser', { UserName: 'u' });
    const theirs = 'arn:aws:iam::444455556666:policy/theirs';
    expect((await iam.failure('GetPolicy', { PolicyArn: theirs }))?.code).toBe('NoSuchEntityException');
    expect(await iam.failure('AttachUserPolicy', { UserName: 'u', PolicyArn: theirs })).toEqual({ code: 'NoSuchEntityException', message: `Policy ${theirs} does not exist or is not attachable.` });
  });
});

describe('attachments', () => {
  it('at most 10 managed policies per principal; attaching one twice is no change; detaching one not attached is NoSuchEntity', async () => {
    await iam.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust });
    for (let i = 0; i < 10; i++) {
      await iam.call('CreatePolicy', { PolicyName: `p${i}`, PolicyDocument: doc(`cloudtrail:Get${i}`) });
      await iam.call('AttachRolePolicy', { RoleName: 'r', PolicyArn: policyArn(`p${i}`) });
    }
    await iam.call('AttachRolePolicy', { RoleName: 'r', PolicyArn: policyArn('p0') });
    expect(await iam.failure('AttachRolePolicy', { RoleName: 'r', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' })).toEqual({
      code: 'LimitExceededException',
      message: 'Cannot exceed quota for PoliciesPerRole: 10',
    });
    const listed = await iam.call('ListAttachedRolePolicies', { RoleName: 'r', MaxItems: 4 });
    expect(listed.AttachedPolicies!.map((p) => p.PolicyName)).toEqual(['p0', 'p1', 'p2', 'p3']);
    expect(listed.IsTruncated).toBe(true);
    expect((await iam.failure('DetachRolePolicy', { RoleName: 'r', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }))?.code).toBe('NoSuchEntityException');
    expect(await iam.failure('DeleteRole', { RoleName: 'r' })).toEqual({ code: 'DeleteConflictException', message: 'Cannot delete entity, must detach all policies first.' });
  });
});

describe('roles', () => {
  it('CreateRole checks the trust policy, answers it URL-encoded, AROA ids; UpdateRole and UpdateAssumeRolePolicy change it', async () => {
    const { Role } = await iam.call('CreateRole', { RoleName: 'deploy', Path: '/ci/', AssumeRolePolicyDocument: trust, Description: 'CI' });
    expect(Role).toMatchObject({ RoleName: 'deploy', Arn: `arn:aws:iam::${HARNESS_ACCOUNT}:role/ci/deploy`, Description: 'CI' });
    expect((await iam.call('GetRole', { RoleName: 'deploy' })).Role.MaxSessionDuration).toBe(3600);
    expect(Role.RoleId).toMatch(/^AROA/);
    expect(decodeURIComponent(Role.AssumeRolePolicyDocument!)).toBe(trust);
    expect((await iam.failure('CreateRole', { RoleName: 'x', AssumeRolePolicyDocument: doc('sts:AssumeRole') }))?.code).toBe('MalformedPolicyDocumentException');
    expect(await iam.failure('CreateRole', { RoleName: 'DEPLOY', AssumeRolePolicyDocument: trust })).toEqual({ code: 'EntityAlreadyExistsException', message: 'Role with name DEPLOY already exists.' });
    expect((await iam.failure('CreateRole', { RoleName: 'y', AssumeRolePolicyDocument: trust, MaxSessionDuration: 100 }))?.code).toBe('ValidationError');
    await iam.call('UpdateRole', { RoleName: 'deploy', MaxSessionDuration: 7200 });
    const other = trust.replace(HARNESS_ACCOUNT, '444455556666');
    await iam.call('UpdateAssumeRolePolicy', { RoleName: 'deploy', PolicyDocument: other });
    const got = (await iam.call('GetRole', { RoleName: 'deploy' })).Role;
    expect(got.MaxSessionDuration).toBe(7200);
    expect(decodeURIComponent(got.AssumeRolePolicyDocument!)).toBe(other);
    await iam.call('PutRolePolicy', { RoleName: 'deploy', PolicyName: 'p', PolicyDocument: doc('cloudtrail:*') });
    expect((await iam.failure('DeleteRole', { RoleName: 'deploy' }))?.message).toBe('Cannot delete entity, must delete policies first.');
    await iam.call('DeleteRolePolicy', { RoleName: 'deploy', PolicyName: 'p' });
    await iam.call('DeleteRole', { RoleName: 'deploy' });
    expect(await iam.failure('GetRole', { RoleName: 'deploy' })).toEqual({ code: 'NoSuchEntityException', message: 'The role with name deploy cannot be found.' });
  });

  it("a role's policies are what its sessions are authorized by", async () => {
    await iam.call('CreateRole', { RoleName: 'reader', AssumeRolePolicyDocument: trust });
    await iam.call('AttachRolePolicy', { RoleName: 'reader', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
    await iam.call('PutRolePolicy', { RoleName: 'reader', PolicyName: 'no-trails', PolicyDocument: doc('cloudtrail:GetTrail', 'Deny') });
    const policies = await iam.stores.identity.policiesOfPrincipal({ accountId: HARNESS_ACCOUNT, kind: 'role', name: 'reader' });
    expect(evaluate({ action: 'cloudtrail:LookupEvents', resource: '*' }, policies)).toBe('Allow');
    expect(evaluate({ action: 'cloudtrail:GetTrail', resource: '*' }, policies)).toBe('ExplicitDeny');
    expect(evaluate({ action: 'cloudtrail:CreateTrail', resource: '*' }, policies)).toBe('ImplicitDeny');
  });
});

describe('groups', () => {
  it('membership, GetGroup with its users, ListGroupsForUser; a member gets the group’s policies; DeleteGroup conflicts', async () => {
    const { Group } = await iam.call('CreateGroup', { GroupName: 'ops' });
    expect(Group.GroupId).toMatch(/^AGPA/);
    await iam.call('CreateUser', { UserName: 'amy' });
    await iam.call('AddUserToGroup', { GroupName: 'ops', UserName: 'amy' });
    await iam.call('AddUserToGroup', { GroupName: 'OPS', UserName: 'amy' });
    expect((await iam.call('GetGroup', { GroupName: 'ops' })).Users.map((u) => u.UserName)).toEqual(['amy']);
    expect((await iam.call('ListGroupsForUser', { UserName: 'amy' })).Groups.map((g) => g.GroupName)).toEqual(['ops']);
    await iam.call('AttachGroupPolicy', { GroupName: 'ops', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' });
    expect((await iam.call('ListAttachedGroupPolicies', { GroupName: 'ops' })).AttachedPolicies).toEqual([
      { PolicyName: 'IAMReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' },
    ]);
    const policies = await iam.stores.identity.policiesOfPrincipal({ accountId: HARNESS_ACCOUNT, kind: 'user', name: 'amy' });
    expect(evaluate({ action: 'iam:ListUsers', resource: '*' }, policies)).toBe('Allow');
    expect(await iam.failure('DeleteGroup', { GroupName: 'ops' })).toEqual({ code: 'DeleteConflictException', message: 'Cannot delete entity, must remove users from group first.' });
    await iam.call('RemoveUserFromGroup', { GroupName: 'ops', UserName: 'amy' });
    expect((await iam.failure('DeleteGroup', { GroupName: 'ops' }))?.message).toBe('Cannot delete entity, must detach all policies first.');
    await iam.call('DetachGroupPolicy', { GroupName: 'ops', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' });
    await iam.call('DeleteGroup', { GroupName: 'ops' });
    expect((await iam.call('ListGroups', {})).Groups).toEqual([]);
  });
});

describe('GetAccountAuthorizationDetails', () => {
  it('lists users, groups, roles and policies with their documents URL-encoded, filtered and paged', async () => {
    await iam.call('CreateUser', { UserName: 'u' });
    await iam.call('CreateGroup', { GroupName: 'g' });
    await iam.call('AddUserToGroup', { GroupName: 'g', UserName: 'u' });
    await iam.call('PutUserPolicy', { UserName: 'u', PolicyName: 'inline', PolicyDocument: doc('iam:GetUser') });
    await iam.call('AttachUserPolicy', { UserName: 'u', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
    await iam.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust });
    await iam.call('CreatePolicy', { PolicyName: 'mine', PolicyDocument: doc('cloudtrail:*') });
    const all = await iam.call('GetAccountAuthorizationDetails', {});
    expect(all.UserDetailList).toEqual([
      expect.objectContaining({
        UserName: 'u',
        GroupList: ['g'],
        UserPolicyList: [{ PolicyName: 'inline', PolicyDocument: expect.stringMatching(/^%7B/) as unknown }],
        AttachedManagedPolicies: [{ PolicyName: 'ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
      }),
    ]);
    expect(all.GroupDetailList!.map((g) => g.GroupName)).toEqual(['g']);
    expect(decodeURIComponent(all.RoleDetailList![0]!.AssumeRolePolicyDocument!)).toBe(trust);
    expect(all.Policies!.map((p) => p.PolicyName)).toEqual(['mine', 'ReadOnlyAccess']);
    expect(decodeURIComponent(all.Policies![0]!.PolicyVersionList![0]!.Document!)).toBe(doc('cloudtrail:*'));
    const roles = await iam.call('GetAccountAuthorizationDetails', { Filter: ['Role'] });
    expect([roles.UserDetailList, roles.RoleDetailList!.length, roles.Policies]).toEqual([[], 1, []]);
    const first = await iam.call('GetAccountAuthorizationDetails', { MaxItems: 2 });
    expect(first.IsTruncated).toBe(true);
    const rest = await iam.call('GetAccountAuthorizationDetails', { Marker: first.Marker! });
    expect(rest.UserDetailList!.length + first.UserDetailList!.length).toBe(1);
    expect(rest.Policies!.length + first.Policies!.length).toBe(2);
  });
});
