/**
 * The first start on an empty store: an account, its `admin` user with AdministratorAccess and
 * an access key. The user, the attachment and the key are made through the IAM handlers as the
 * account itself (the local administrator, like the admin CLI: docs/identity.md), so the first
 * three records of the account's history say how its administrator came to be. The account has
 * no API that creates it and is written directly.
 */
import { ServiceError } from '../api/errors.js';
import type { RequestPipeline } from '../api/pipeline.js';
import { rootCaller } from '../iam/caller.js';
import type { BootstrapOptions, IdentityService, NewAccessKey } from '../iam/identity-service.js';
import { BOOTSTRAP_POLICY, BOOTSTRAP_USER, checkGivenKey, IdentityInputError } from '../iam/identity-service.js';
import { awsManagedPolicyArn } from '../iam/identity-store.js';
import { CLI_USER_AGENT, LOCAL_SOURCE_IP } from './local-administrator.js';

export async function firstStart(identity: IdentityService, pipeline: RequestPipeline, options: BootstrapOptions): Promise<NewAccessKey | undefined> {
  if ((await identity.store.listAccounts()).length > 0) return undefined;
  const preset =
    options.accessKeyId !== undefined || options.secretAccessKey !== undefined
      ? { accessKeyId: options.accessKeyId ?? '', secretAccessKey: options.secretAccessKey ?? '' }
      : undefined;
  // Configuration mistakes are told as such before anything is made.
  if (preset !== undefined) checkGivenKey(preset);
  const accountId = await identity.createAccount(options.accountId, 'default');
  const local = { service: 'iam', caller: rootCaller(accountId), sourceIPAddress: LOCAL_SOURCE_IP, userAgent: CLI_USER_AGENT };
  try {
    await pipeline.invokeLocal({ ...local, operation: 'CreateUser', input: { UserName: BOOTSTRAP_USER } });
    await pipeline.invokeLocal({ ...local, operation: 'AttachUserPolicy', input: { UserName: BOOTSTRAP_USER, PolicyArn: awsManagedPolicyArn(BOOTSTRAP_POLICY) } });
    const output = (await pipeline.invokeLocal({
      ...local,
      operation: 'CreateAccessKey',
      input: { UserName: BOOTSTRAP_USER },
      ...(preset !== undefined && { presetAccessKey: preset }),
    })) as { AccessKey: { AccessKeyId: string; SecretAccessKey: string } };
    return { accountId, userName: BOOTSTRAP_USER, accessKeyId: output.AccessKey.AccessKeyId, secretAccessKey: output.AccessKey.SecretAccessKey };
  } catch (error) {
    if (error instanceof ServiceError) throw new IdentityInputError(`first start: ${error.code}: ${error.message}`);
    throw error;
  }
}
