/** Users and access keys through the IAM handlers, the pipeline's steps and real stores. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Caller } from '../../iam/caller.js';
import { HARNESS_ACCOUNT, openIamHarness } from '../../../test/support/iam-harness.js';
import type { IamHarness } from '../../../test/support/iam-harness.js';

let iam: IamHarness;
beforeEach(async () => {
  iam = await openIamHarness();
});
afterEach(async () => {
  await iam.close();
});

async function userCaller(userName: string): Promise<Caller> {
  const user = (await iam.stores.identity.store.getUser(HARNESS_ACCOUNT, userName))!;
  return { type: 'IAMUser', accountId: HARNESS_ACCOUNT, userName, principalId: user.principalId, arn: `arn:aws:iam::${HARNESS_ACCOUNT}:user${user.path}${userName}`, accessKeyId: 'AKIATEST000000000000' };
}

describe('users', () => {
  it('CreateUser answers the user with an AIDA id and its ARN; a second one of that name (any case) is EntityAlreadyExists', async () => {
    const { User } = await iam.call('CreateUser', { UserName: 'Bob', Path: '/ops/', Tags: [{ Key: 'team', Value: 'a' }] });
    expect(User).toMatchObject({ UserName: 'Bob', Path: '/ops/', Arn: `arn:aws:iam::${HARNESS_ACCOUNT}:user/ops/Bob`, Tags: [{ Key: 'team', Value: 'a' }] });
    expect(User!.UserId).toMatch(/^AIDA[A-Z2-7]{16}$/);
    expect(await iam.failure('CreateUser', { UserName: 'bob' })).toEqual({ code: 'EntityAlreadyExistsException', message: 'User with name bob already exists.' });
    expect(await iam.failure('GetUser', { UserName: 'nobody' })).toEqual({ code: 'NoSuchEntityException', message: 'The user with name nobody cannot be found.' });
  });

  it('GetUser without UserName is the calling user (with iam:GetUser allowed); other callers must name one', async () => {
    await iam.call('CreateUser', { UserName: 'carol' });
    expect((await iam.failure('GetUser', {}, await userCaller('carol')))?.code).toBe('AccessDeniedException');
    await iam.call('AttachUserPolicy', { UserName: 'carol', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' });
    expect((await iam.call('GetUser', {}, await userCaller('carol'))).User.UserName).toBe('carol');
    expect((await iam.failure('GetUser', {}))?.message).toBe('Must specify userName when calling with non-User credentials');
  });

  it('ListUsers pages with MaxItems and Marker, and filters by PathPrefix', async () => {
    for (const name of ['u3', 'U1', 'u2', 'u5', 'u4']) await iam.call('CreateUser', { UserName: name, ...(name === 'u4' && { Path: '/x/' }) });
    const seen: string[] = [];
    let marker: string | undefined;
    do {
      const answer = await iam.call('ListUsers', { MaxItems: 2, ...(marker !== undefined && { Marker: marker }) });
      seen.push(...answer.Users.map((u) => u.UserName));
      marker = answer.IsTruncated === true ? answer.Marker : undefined;
    } while (marker !== undefined);
    expect(seen).toEqual(['U1', 'u2', 'u3', 'u4', 'u5']);
    expect((await iam.call('ListUsers', { PathPrefix: '/x/' })).Users.map((u) => u.UserName)).toEqual(['u4']);
  });

  it('UpdateUser renames and moves; the new name must be free', async () => {
    await iam.call('CreateUser', { UserName: 'dave' });
    await iam.call('CreateUser', { UserName: 'erin' });
    expect((await iam.failure('UpdateUser', { UserName: 'dave', NewUserName: 'ERIN' }))?.code).toBe('EntityAlreadyExistsException');
    await iam.call('UpdateUser', { UserName: 'dave', NewUserName: 'david', NewPath: '/new/' });
    expect((await iam.call('GetUser', { UserName: 'david' })).User).toMatchObject({ Path: '/new/', Arn: `arn:aws:iam::${HARNESS_ACCOUNT}:user/new/david` });
  });

  it('DeleteUser refuses while the user has keys, policies or groups (DeleteConflict), then deletes', async () => {
    await iam.call('CreateUser', { UserName: 'frank' });
    const { AccessKey } = await iam.call('CreateAccessKey', { UserName: 'frank' });
    expect(await iam.failure('DeleteUser', { UserName: 'frank' })).toEqual({ code: 'DeleteConflictException', message: 'Cannot delete entity, must delete access keys first.' });
    await iam.call('DeleteAccessKey', { UserName: 'frank', AccessKeyId: AccessKey.AccessKeyId });
    await iam.call('PutUserPolicy', { UserName: 'frank', PolicyName: 'p', PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"}]}' });
    expect((await iam.failure('DeleteUser', { UserName: 'frank' }))?.message).toBe('Cannot delete entity, must delete policies first.');
    await iam.call('DeleteUserPolicy', { UserName: 'frank', PolicyName: 'p' });
    await iam.call('AttachUserPolicy', { UserName: 'frank', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
    expect((await iam.failure('DeleteUser', { UserName: 'frank' }))?.message).toBe('Cannot delete entity, must detach all policies first.');
    await iam.call('DetachUserPolicy', { UserName: 'frank', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
    await iam.call('CreateGroup', { GroupName: 'g' });
    await iam.call('AddUserToGroup', { GroupName: 'g', UserName: 'frank' });
    expect((await iam.failure('DeleteUser', { UserName: 'frank' }))?.message).toBe('Cannot delete entity, must remove users from group first.');
    await iam.call('RemoveUserFromGroup', { GroupName: 'g', UserName: 'frank' });
    await iam.call('DeleteUser', { UserName: 'frank' });
    expect(await iam.stores.identity.store.getUser(HARNESS_ACCOUNT, 'frank')).toBeUndefined();
  });
});

describe('access keys', () => {
  it('at most 2 per user (LimitExceeded); the secret is answered once and never recorded', async () => {
    await iam.call('CreateUser', { UserName: 'gina' });
    const first = await iam.call('CreateAccessKey', { UserName: 'gina' });
    await iam.call('CreateAccessKey', { UserName: 'gina' });
    expect(first.AccessKey.AccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(first.AccessKey.SecretAccessKey).toHaveLength(40);
    expect(await iam.failure('CreateAccessKey', { UserName: 'gina' })).toEqual({ code: 'LimitExceededException', message: 'Cannot exceed quota for AccessKeysPerUser: 2' });
    const records = await iam.records();
    const created = records.filter((r) => r.eventName === 'CreateAccessKey' && r.errorCode === undefined);
    expect(created).toHaveLength(2);
    expect(created[0]!.responseElements).toEqual({
      accessKey: { userName: 'gina', accessKeyId: first.AccessKey.AccessKeyId, status: 'Active', createDate: 'Dec 1, 2026 10:00:00 AM' },
    });
    expect(JSON.stringify(records)).not.toContain(first.AccessKey.SecretAccessKey);
  });

  it('CreateAccessKey and ListAccessKeys without UserName act on the calling user', async () => {
    await iam.call('CreateUser', { UserName: 'hank' });
    await iam.call('AttachUserPolicy', { UserName: 'hank', PolicyArn: 'arn:aws:iam::aws:policy/IAMFullAccess' });
    const hank = await userCaller('hank');
    const { AccessKey } = await iam.call('CreateAccessKey', {}, hank);
    expect(AccessKey.UserName).toBe('hank');
    expect((await iam.call('ListAccessKeys', {}, hank)).AccessKeyMetadata.map((k) => k.AccessKeyId)).toEqual([AccessKey.AccessKeyId]);
  });

  it('UpdateAccessKey and DeleteAccessKey need a key of that user', async () => {
    await iam.call('CreateUser', { UserName: 'ivy' });
    await iam.call('CreateUser', { UserName: 'jack' });
    const { AccessKey } = await iam.call('CreateAccessKey', { UserName: 'ivy' });
    expect(await iam.failure('UpdateAccessKey', { UserName: 'jack', AccessKeyId: AccessKey.AccessKeyId, Status: 'Inactive' })).toEqual({
      code: 'NoSuchEntityException',
      message: `The Access Key with id ${AccessKey.AccessKeyId} cannot be found.`,
    });
    await iam.call('UpdateAccessKey', { UserName: 'ivy', AccessKeyId: AccessKey.AccessKeyId, Status: 'Inactive' });
    expect((await iam.call('ListAccessKeys', { UserName: 'ivy' })).AccessKeyMetadata[0]!.Status).toBe('Inactive');
  });

  it('GetAccessKeyLastUsed: N/A until used, then the service and region of the last authenticated call', async () => {
    await iam.call('CreateUser', { UserName: 'kim' });
    const { AccessKey } = await iam.call('CreateAccessKey', { UserName: 'kim' });
    expect(await iam.call('GetAccessKeyLastUsed', { AccessKeyId: AccessKey.AccessKeyId })).toEqual({ UserName: 'kim', AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } });
    const kim = { ...(await userCaller('kim')), accessKeyId: AccessKey.AccessKeyId };
    iam.stores.identity.noteKeyUsed(kim, 'cloudtrail', 'eu-west-1', Date.UTC(2026, 11, 1, 11, 0, 0));
    expect(await iam.call('GetAccessKeyLastUsed', { AccessKeyId: AccessKey.AccessKeyId })).toEqual({
      UserName: 'kim',
      AccessKeyLastUsed: { LastUsedDate: Date.UTC(2026, 11, 1, 11, 0, 0) / 1000, ServiceName: 'cloudtrail', Region: 'eu-west-1' },
    });
    expect((await iam.failure('GetAccessKeyLastUsed', { AccessKeyId: 'AKIANOPE000000000000' }))?.code).toBe('NoSuchEntityException');
  });
});

describe('records', () => {
  it('each call is an iam.amazonaws.com record in us-east-1 with CloudTrail’s requestParameters and responseElements', async () => {
    await iam.call('CreateUser', { UserName: 'lee', Tags: [{ Key: 'k', Value: 'v' }] });
    await iam.failure('CreateUser', { UserName: 'lee' });
    const [created, refused] = await iam.records();
    expect(created).toMatchObject({
      eventSource: 'iam.amazonaws.com',
      eventName: 'CreateUser',
      awsRegion: 'us-east-1',
      userIdentity: { type: 'Root', arn: `arn:aws:iam::${HARNESS_ACCOUNT}:root` },
      requestParameters: { userName: 'lee', tags: [{ key: 'k', value: 'v' }] },
      responseElements: { user: { userName: 'lee', path: '/', arn: `arn:aws:iam::${HARNESS_ACCOUNT}:user/lee`, tags: [{ key: 'k', value: 'v' }] } },
    });
    expect(refused).toMatchObject({ eventName: 'CreateUser', errorCode: 'EntityAlreadyExistsException', errorMessage: 'User with name lee already exists.', responseElements: null });
  });
});
