/**
 * An organization with member accounts for server tests, made in a running server's data
 * directory: accounts, users and keys through the `opentrail` admin commands, the organization
 * itself by committing its identity changes through the event log (with a record of its own,
 * as every change has). This makes what the Organizations API cannot: accounts of fixed ids,
 * and an existing account joining later (an invitation). Make the organization before any trail
 * logs: the setup's record is an event of the management account.
 */
import { join } from 'node:path';
import { apiCallRecord } from '../../src/core/api-call-record.js';
import { prepareEvent } from '../../src/core/prepare-event.js';
import type { IdentityChange } from '../../src/store/identity-change.js';
import { openSqliteDatabase } from '../../src/store/sqlite/database.js';
import { SqliteEventStore } from '../../src/store/sqlite/event-store.js';
import { runAdminCli } from './admin-cli.js';
import type { ServerProcess } from './server-process.js';

export interface MemberCredentials {
  accountId: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** A new account with an administrator user and its access key. */
export function createAccountWithKey(server: ServerProcess, accountId: string): MemberCredentials {
  runAdminCli(server.dataDir, 'accounts', 'create', '--account-id', accountId, '--name', `account-${accountId}`);
  runAdminCli(server.dataDir, 'users', 'create', '--account-id', accountId, '--user-name', 'admin', '--policy', 'OpenTrailFullAccess');
  const [, row] = runAdminCli(server.dataDir, 'keys', 'create', '--account-id', accountId, '--user-name', 'admin').trim().split('\n');
  const [accessKeyId, secretAccessKey] = row!.split('\t');
  return { accountId, accessKeyId: accessKeyId!, secretAccessKey: secretAccessKey! };
}

let setups = 0;

/** Commits identity changes in the server's database with a record of the management account. */
export async function commitIdentityChanges(server: ServerProcess, accountId: string, changes: IdentityChange[]): Promise<void> {
  const db = openSqliteDatabase(join(server.dataDir, 'opentrail.db'));
  const events = new SqliteEventStore(db);
  try {
    const n = ++setups;
    const record = apiCallRecord({
      identity: { type: 'Root', accountId },
      recipientAccountId: accountId,
      region: 'us-east-1',
      eventSource: 'organizations.amazonaws.com',
      eventName: 'CreateOrganization',
      timeMs: Date.now(),
      sourceIPAddress: '127.0.0.1',
      userAgent: 'opentrail-test-setup',
      requestParameters: null,
      responseElements: null,
      requestId: `test-setup-${process.pid}-${n}`,
      eventId: `00000000-0000-4000-8000-${String(process.pid).padStart(6, '0')}${String(n).padStart(6, '0')}`,
      readOnly: false,
    });
    await events.append([prepareEvent(accountId, 'us-east-1', record)], changes);
  } finally {
    await events.close();
    db.close();
  }
}

/** An organization (all features) of the management account, with these members joined now. */
export async function createOrganization(server: ServerProcess, orgId: string, managementAccountId: string, memberAccountIds: string[]): Promise<void> {
  const now = Date.now();
  const account = (accountId: string) => ({ orgId, accountId, name: `account-${accountId}`, email: `${accountId}@example.com`, joinedMethod: 'CREATED' as const, joinedAt: now });
  await commitIdentityChanges(server, managementAccountId, [
    { kind: 'createOrganization', organization: { orgId, managementAccountId, featureSet: 'ALL', createdAt: now }, managementAccount: { ...account(managementAccountId), joinedMethod: 'INVITED' } },
    ...memberAccountIds.map((accountId) => ({ kind: 'addOrganizationAccount' as const, member: account(accountId) })),
  ]);
}

/** Adds an account to the organization now (an account that joins later). */
export async function joinOrganization(server: ServerProcess, orgId: string, managementAccountId: string, accountId: string): Promise<void> {
  await commitIdentityChanges(server, managementAccountId, [
    { kind: 'addOrganizationAccount', member: { orgId, accountId, name: `account-${accountId}`, email: `${accountId}@example.com`, joinedMethod: 'INVITED', joinedAt: Date.now() } },
  ]);
}
