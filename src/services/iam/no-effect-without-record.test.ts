/**
 * No effect without its record, for every IAM operation that changes state: with the database
 * refusing that operation's record (a trigger on events, as a full disk would), the call fails
 * with InternalFailure and the account's IAM state is exactly as before; without the fault the
 * same call takes effect, so the check is not vacuous.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HARNESS_ACCOUNT, openIamHarness } from '../../../test/support/iam-harness.js';
import type { IamHarness } from '../../../test/support/iam-harness.js';
import { withRecordRefused } from '../../../test/support/refuse-record.js';
import type { OperationInputs, OperationName } from './model.gen.js';

let iam: IamHarness;
const doc = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${HARNESS_ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] });
const policyArn = `arn:aws:iam::${HARNESS_ACCOUNT}:policy/base`;
let keyId = '';

beforeAll(async () => {
  iam = await openIamHarness();
  await iam.call('CreateUser', { UserName: 'base' });
  keyId = (await iam.call('CreateAccessKey', { UserName: 'base' })).AccessKey.AccessKeyId;
  await iam.call('CreateGroup', { GroupName: 'base' });
  await iam.call('CreateRole', { RoleName: 'base', AssumeRolePolicyDocument: trust });
  await iam.call('CreatePolicy', { PolicyName: 'base', PolicyDocument: doc('iam:GetUser') });
  await iam.call('CreatePolicyVersion', { PolicyArn: policyArn, PolicyDocument: doc('iam:ListUsers') });
  await iam.call('CreateUser', { UserName: 'doomed' });
});

afterAll(async () => {
  await iam?.close();
});

/** Everything IAM state holds for the account, keys included. */
async function snapshot(): Promise<string> {
  const details = await iam.call('GetAccountAuthorizationDetails', {});
  const keys = await iam.stores.identity.store.listAccessKeys(HARNESS_ACCOUNT);
  const versions = await iam.stores.identity.store.listPolicyVersions(policyArn);
  const policy = await iam.stores.identity.store.getManagedPolicy(policyArn);
  const roles = await iam.stores.identity.store.listRoles(HARNESS_ACCOUNT);
  return JSON.stringify({ details, roles, keys: keys.map((k) => [k.accessKeyId, k.status]), versions, policy });
}

type Case = { [Op in OperationName]: [Op, OperationInputs[Op]] }[OperationName];

const CASES: Case[] = [
  ['CreateUser', { UserName: 'new-user' }],
  ['UpdateUser', { UserName: 'base', NewPath: '/moved/' }],
  ['DeleteUser', { UserName: 'doomed' }],
  ['CreateAccessKey', { UserName: 'base' }],
  ['PutUserPolicy', { UserName: 'base', PolicyName: 'p', PolicyDocument: doc('iam:GetUser') }],
  ['PutRolePolicy', { RoleName: 'base', PolicyName: 'p', PolicyDocument: doc('iam:GetUser') }],
  ['PutGroupPolicy', { GroupName: 'base', PolicyName: 'p', PolicyDocument: doc('iam:GetUser') }],
  ['AttachUserPolicy', { UserName: 'base', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
  ['AttachRolePolicy', { RoleName: 'base', PolicyArn: policyArn }],
  ['AttachGroupPolicy', { GroupName: 'base', PolicyArn: policyArn }],
  ['CreatePolicy', { PolicyName: 'new-policy', PolicyDocument: doc('iam:GetUser') }],
  ['CreatePolicyVersion', { PolicyArn: policyArn, PolicyDocument: doc('iam:ListRoles') }],
  ['SetDefaultPolicyVersion', { PolicyArn: policyArn, VersionId: 'v2' }],
  ['CreateRole', { RoleName: 'new-role', AssumeRolePolicyDocument: trust }],
  ['UpdateRole', { RoleName: 'base', MaxSessionDuration: 7200 }],
  ['UpdateAssumeRolePolicy', { RoleName: 'base', PolicyDocument: trust.replace(HARNESS_ACCOUNT, '444455556666') }],
  ['CreateGroup', { GroupName: 'new-group' }],
  ['AddUserToGroup', { GroupName: 'base', UserName: 'base' }],
  ['UpdateAccessKey', { UserName: 'base', AccessKeyId: '', Status: 'Inactive' }],
  // The deletions undo what the calls above made.
  ['DeleteAccessKey', { UserName: 'base', AccessKeyId: '' }],
  ['DeleteUserPolicy', { UserName: 'base', PolicyName: 'p' }],
  ['DeleteRolePolicy', { RoleName: 'base', PolicyName: 'p' }],
  ['DeleteGroupPolicy', { GroupName: 'base', PolicyName: 'p' }],
  ['DetachUserPolicy', { UserName: 'base', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
  ['DetachRolePolicy', { RoleName: 'base', PolicyArn: policyArn }],
  ['DetachGroupPolicy', { GroupName: 'base', PolicyArn: policyArn }],
  ['DeletePolicyVersion', { PolicyArn: policyArn, VersionId: 'v3' }],
  ['DeletePolicy', { PolicyArn: `arn:aws:iam::${HARNESS_ACCOUNT}:policy/new-policy` }],
  ['RemoveUserFromGroup', { GroupName: 'base', UserName: 'base' }],
  ['DeleteRole', { RoleName: 'new-role' }],
  ['DeleteGroup', { GroupName: 'new-group' }],
];

for (const [operation, input] of CASES) {
  it(`${operation}: refused record, no effect; then the effect`, async () => {
    const given = operation === 'UpdateAccessKey' || operation === 'DeleteAccessKey' ? { ...input, AccessKeyId: keyId } : input;
    const before = await snapshot();
    const refused = await withRecordRefused(iam.dataDir, operation, async () => iam.failure(operation, given as never));
    expect(refused?.code).toBe('InternalFailure');
    expect(await snapshot()).toBe(before);
    await iam.call(operation, given);
    expect(await snapshot()).not.toBe(before);
  });
}
