/**
 * Administration of accounts, users, access keys and policies, working directly on the data
 * directory (the server may be running: SQLite in WAL mode lets both work at once).
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { loadConfig } from '../config/config.js';
import { systemClock } from '../core/clock.js';
import type { IdentityService } from '../iam/identity-service.js';
import { openStores } from '../server/open-stores.js';
import { configFlags, withConfigOptions } from './options.js';
import type { ConfigOptions } from './options.js';

async function withIdentity<T>(options: ConfigOptions, work: (identity: IdentityService) => Promise<T>): Promise<T> {
  const config = loadConfig(configFlags(options), process.env, options.config);
  const stores = openStores(config, systemClock);
  try {
    return await work(stores.identity);
  } finally {
    await stores.close();
  }
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
    .option('--policy <managed>', 'attach a ready-made policy: OpenTrailFullAccess, OpenTrailReadOnly or OpenTrailIngestOnly')
    .action(async (o: UserOptions & { policy?: string }) =>
      withIdentity(o, async (identity) => {
        const user = await identity.createUser(o.accountId, o.userName);
        if (o.policy !== undefined) await identity.attachManagedPolicy(o.accountId, o.userName, o.policy);
        print([[user.accountId, user.userName, user.principalId]]);
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
      withIdentity(o, async (identity) => {
        const key = await identity.createAccessKey(o.accountId, o.userName);
        print([['ACCESS_KEY_ID', 'SECRET_ACCESS_KEY'], [key.accessKeyId, key.secretAccessKey]]);
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
      withIdentity(o, async (identity) => identity.setAccessKeyActive(id, active)),
    );
  }

  const policies = program.command('policies').description("manage users' policies");
  withConfigOptions(policies.command('attach').description('attach a ready-made policy or an IAM-style JSON policy document'))
    .requiredOption('--account-id <id>', 'account of the user')
    .requiredOption('--user-name <name>', 'user')
    .option('--managed <name>', 'OpenTrailFullAccess, OpenTrailReadOnly or OpenTrailIngestOnly')
    .option('--policy-name <name>', 'name of an inline policy (with --document)')
    .option('--document <file>', 'JSON policy document file (with --policy-name)')
    .action(async (o: UserOptions & { managed?: string; policyName?: string; document?: string }) =>
      withIdentity(o, async (identity) => {
        if (o.managed !== undefined) return identity.attachManagedPolicy(o.accountId, o.userName, o.managed);
        if (o.policyName === undefined || o.document === undefined) {
          throw new Error('give --managed <name>, or --policy-name <name> with --document <file>');
        }
        return identity.putInlinePolicy(o.accountId, o.userName, o.policyName, readFileSync(o.document, 'utf8'));
      }),
    );
  withConfigOptions(policies.command('detach').description('detach a policy from a user'))
    .requiredOption('--account-id <id>', 'account of the user')
    .requiredOption('--user-name <name>', 'user')
    .requiredOption('--policy-name <name>', 'policy to detach')
    .action(async (o: UserOptions & { policyName: string }) =>
      withIdentity(o, async (identity) => identity.detachPolicy(o.accountId, o.userName, o.policyName)),
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
