/**
 * Administration of accounts, users, access keys and policies, working directly on the data
 * directory (the server may be running: SQLite in WAL mode lets both work at once).
 *
 * Changes of users, keys and policies go through the IAM API's own handlers and pipeline
 * (local-iam.ts), made as the account's root, the local administrator: each is recorded as an
 * iam.amazonaws.com event, committed with its change. Creating an account has no IAM operation
 * and writes the store directly, as the first start does. Listings only read.
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { loadConfig } from '../config/config.js';
import { systemClock } from '../core/clock.js';
import { awsManagedPolicyByName } from '../iam/aws-managed-policies.js';
import type { IdentityService } from '../iam/identity-service.js';
import { IdentityInputError } from '../iam/identity-service.js';
import { openStores } from '../server/open-stores.js';
import type { LocalIam } from './local-iam.js';
import { localIam } from './local-iam.js';
import { createLogger } from './logger.js';
import { configFlags, withConfigOptions } from './options.js';
import type { ConfigOptions } from './options.js';

async function withIdentity<T>(options: ConfigOptions, work: (identity: IdentityService, iam: LocalIam) => Promise<T>): Promise<T> {
  const config = loadConfig(configFlags(options), process.env, options.config);
  const stores = await openStores(config, systemClock);
  try {
    return await work(stores.identity, localIam(stores, config, systemClock, createLogger(config.logLevel)));
  } finally {
    await stores.close();
  }
}

/** `--policy`/`--managed` take an AWS managed policy's name (or a policy ARN). */
function managedPolicyArn(nameOrArn: string): string {
  if (nameOrArn.startsWith('arn:')) return nameOrArn;
  const policy = awsManagedPolicyByName(nameOrArn);
  if (policy === undefined) throw new IdentityInputError(`unknown managed policy "${nameOrArn}"; give the name of an AWS managed policy (e.g. OpenTrailReadOnly) or a policy ARN`);
  return policy.policyArn;
}

function print(rows: readonly (readonly string[])[]): void {
  process.stdout.write(rows.map((row) => row.join('\t')).join('\n') + '\n');
}

type AccountOptions = ConfigOptions & { accountId: string };
type UserOptions = AccountOptions & { userName: string };

export function registerAdminCommands(program: Command): void {
  const accounts = program.command('accounts').description('manage accounts (tenants)');
  withConfigOptions(accounts.command('create').description('create an account'))
    .option('--account-id <id>', '12-digit id (random when omitted)')
    .option('--name <name>', 'a name for people', 'account')
    .action(async (o: ConfigOptions & { accountId?: string; name: string }) =>
      withIdentity(o, async (identity) => print([[await identity.createAccount(o.accountId, o.name)]])),
    );
  withConfigOptions(accounts.command('list').description('list accounts')).action(async (o: ConfigOptions) =>
    withIdentity(o, async (identity) =>
      print([['ACCOUNT_ID', 'NAME', 'CREATED'], ...(await identity.store.listAccounts()).map((a) => [a.accountId, a.name, new Date(a.createdAt).toISOString()])]),
    ),
  );

  const users = program.command('users').description('manage users of an account');
  withConfigOptions(users.command('create').description('create a user'))
    .requiredOption('--account-id <id>', 'account of the user')
    .requiredOption('--user-name <name>', 'user name')
    .option('--policy <managed>', 'attach a managed policy: OpenTrailFullAccess, OpenTrailReadOnly, OpenTrailIngestOnly, AdministratorAccess, ReadOnlyAccess, ... or an ARN')
    .action(async (o: UserOptions & { policy?: string }) =>
      withIdentity(o, async (_identity, iam) => {
        const policyArn = o.policy === undefined ? undefined : managedPolicyArn(o.policy);
        const { User } = await iam.call(o.accountId, 'CreateUser', { UserName: o.userName });
        if (policyArn !== undefined) await iam.call(o.accountId, 'AttachUserPolicy', { UserName: o.userName, PolicyArn: policyArn });
        print([[o.accountId, User!.UserName, User!.UserId]]);
      }),
    );
  withConfigOptions(users.command('list').description('list the users of an account'))
    .requiredOption('--account-id <id>', 'account')
    .action(async (o: AccountOptions) =>
      withIdentity(o, async (identity) =>
        print([['USER_NAME', 'PRINCIPAL_ID', 'CREATED'], ...(await identity.store.listUsers(o.accountId)).map((u) => [u.userName, u.principalId, new Date(u.createdAt).toISOString()])]),
      ),
    );

  const keys = program.command('keys').description('manage access keys');
  withConfigOptions(keys.command('create').description('create an access key; prints the secret once'))
    .requiredOption('--account-id <id>', 'account of the user')
    .requiredOption('--user-name <name>', 'user that owns the key')
    .action(async (o: UserOptions) =>
      withIdentity(o, async (_identity, iam) => {
        const { AccessKey } = await iam.call(o.accountId, 'CreateAccessKey', { UserName: o.userName });
        print([['ACCESS_KEY_ID', 'SECRET_ACCESS_KEY'], [AccessKey.AccessKeyId, AccessKey.SecretAccessKey]]);
      }),
    );
  withConfigOptions(keys.command('list').description('list the access keys of an account (never their secrets)'))
    .requiredOption('--account-id <id>', 'account')
    .action(async (o: AccountOptions) =>
      withIdentity(o, async (identity) =>
        print([['ACCESS_KEY_ID', 'USER_NAME', 'STATUS', 'CREATED'], ...(await identity.store.listAccessKeys(o.accountId)).map((k) => [k.accessKeyId, k.userName, k.status, new Date(k.createdAt).toISOString()])]),
      ),
    );
  for (const [verb, active] of [['activate', true], ['deactivate', false]] as const) {
    withConfigOptions(keys.command(`${verb} <accessKeyId>`).description(`${verb} an access key`)).action(async (id: string, o: ConfigOptions) =>
      withIdentity(o, async (identity, iam) => {
        const key = await identity.store.findAccessKey(id);
        if (key === undefined) throw new IdentityInputError(`no access key ${id}`);
        await iam.call(key.accountId, 'UpdateAccessKey', { UserName: key.userName, AccessKeyId: id, Status: active ? 'Active' : 'Inactive' });
      }),
    );
  }

  const policies = program.command('policies').description("manage users' policies");
  withConfigOptions(policies.command('attach').description('attach a ready-made policy or an IAM-style JSON policy document'))
    .requiredOption('--account-id <id>', 'account of the user')
    .requiredOption('--user-name <name>', 'user')
    .option('--managed <name>', 'a managed policy: OpenTrailFullAccess, OpenTrailReadOnly, OpenTrailIngestOnly, AdministratorAccess, ... or an ARN')
    .option('--policy-name <name>', 'name of an inline policy (with --document)')
    .option('--document <file>', 'JSON policy document file (with --policy-name)')
    .action(async (o: UserOptions & { managed?: string; policyName?: string; document?: string }) =>
      withIdentity(o, async (_identity, iam) => {
        if (o.managed !== undefined) {
          await iam.call(o.accountId, 'AttachUserPolicy', { UserName: o.userName, PolicyArn: managedPolicyArn(o.managed) });
          return;
        }
        if (o.policyName === undefined || o.document === undefined) {
          throw new Error('give --managed <name>, or --policy-name <name> with --document <file>');
        }
        await iam.call(o.accountId, 'PutUserPolicy', { UserName: o.userName, PolicyName: o.policyName, PolicyDocument: readFileSync(o.document, 'utf8') });
      }),
    );
  withConfigOptions(policies.command('detach').description('detach a policy from a user'))
    .requiredOption('--account-id <id>', 'account of the user')
    .requiredOption('--user-name <name>', 'user')
    .requiredOption('--policy-name <name>', 'policy to detach')
    .action(async (o: UserOptions & { policyName: string }) =>
      withIdentity(o, async (identity, iam) => {
        // An inline policy of that name, else an attached managed policy whose ARN ends in it.
        const principal = { accountId: o.accountId, kind: 'user' as const, name: o.userName };
        if ((await identity.store.getInlinePolicy(principal, o.policyName)) !== undefined) {
          await iam.call(o.accountId, 'DeleteUserPolicy', { UserName: o.userName, PolicyName: o.policyName });
          return;
        }
        const arn = (await identity.store.listAttachedPolicyArns(principal)).find((a) => a === o.policyName || a.endsWith(`/${o.policyName}`));
        if (arn === undefined) throw new IdentityInputError(`user ${o.userName} has no policy ${o.policyName}`);
        await iam.call(o.accountId, 'DetachUserPolicy', { UserName: o.userName, PolicyArn: arn });
      }),
    );
  withConfigOptions(policies.command('list').description("list a user's policies"))
    .requiredOption('--account-id <id>', 'account of the user')
    .requiredOption('--user-name <name>', 'user')
    .action(async (o: UserOptions) =>
      withIdentity(o, async (identity) =>
        print([['POLICY_NAME', 'KIND'], ...(await identity.attachedPolicyNames(o.accountId, o.userName)).map((p) => [p.policyName, p.kind])]),
      ),
    );
}
