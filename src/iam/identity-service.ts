/**
 * Accounts, users, keys and policies: the rules around the identity port. Used by the server
 * (resolve a key, load a caller's policies), by bootstrap on first start, and by the CLI.
 */
import { isAccountId } from '../core/arn.js';
import type { Clock } from '../core/clock.js';
import { newAccessKeyId, newAccountId, newSecretAccessKey, newUserPrincipalId } from '../core/ids.js';
import type { Caller } from './caller.js';
import { awsManagedPolicies, awsManagedPolicyByArn, awsManagedPolicyByName } from './aws-managed-policies.js';
import type { AccessKeyLastUsed, IdentityStore, PrincipalRef, StoredAccessKey, User } from './identity-store.js';
import type { PolicyDocument } from './policy/index.js';
import { parsePolicy } from './policy/index.js';
import type { SecretBox } from './secret-box.js';
import type { ResolvedSession } from './session-credentials.js';
import { resolveSession } from './session-credentials.js';

/** Bad input from an operator (CLI) or configuration: the message is shown as is. */
export class IdentityInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdentityInputError';
  }
}

const USER_NAME = /^[\w+=,.@-]{1,64}$/;
const ACCESS_KEY_ID = /^[A-Z0-9]{16,128}$/;

export interface NewAccessKey {
  accountId: string;
  userName: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface ResolvedAccessKey {
  caller: Caller;
  secret: string;
  active: boolean;
}

export interface BootstrapOptions {
  accountId?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
}

export const BOOTSTRAP_USER = 'admin';

/** The policy bootstrap gives the `admin` user: everything, IAM, STS and Organizations included. */
export const BOOTSTRAP_POLICY = 'AdministratorAccess';

/** How often a key's last use is written to the store at most (it is kept in memory meanwhile). */
const LAST_USED_WRITE_INTERVAL_MS = 60_000;

export class IdentityService {
  readonly #store: IdentityStore;
  readonly #box: SecretBox;
  readonly #clock: Clock;
  /** Each key's latest use, newer than the store's by up to LAST_USED_WRITE_INTERVAL_MS. */
  readonly #lastUsed = new Map<string, AccessKeyLastUsed>();
  readonly #lastUsedWrittenMs = new Map<string, number>();

  constructor(store: IdentityStore, box: SecretBox, clock: Clock) {
    this.#store = store;
    this.#box = box;
    this.#clock = clock;
  }

  get store(): IdentityStore {
    return this.#store;
  }

  /**
   * On an empty store: creates the first account, an `admin` user with full access and its
   * access key, straight in the store and without records. For seeding a store that no server
   * runs on (tests, benchmarks); `opentrail serve` makes the same through the IAM API, recorded
   * (src/server/first-start.ts). Returns the new key, or undefined when the store has accounts.
   */
  async bootstrap(options: BootstrapOptions): Promise<NewAccessKey | undefined> {
    if ((await this.#store.listAccounts()).length > 0) return undefined;
    const account = await this.createAccount(options.accountId, 'default');
    await this.createUser(account, BOOTSTRAP_USER);
    await this.attachManagedPolicy(account, BOOTSTRAP_USER, BOOTSTRAP_POLICY);
    return this.createAccessKey(account, BOOTSTRAP_USER, options);
  }

  async createAccount(accountId: string | undefined, name: string): Promise<string> {
    const id = accountId ?? newAccountId();
    if (!isAccountId(id)) throw new IdentityInputError(`account id must be 12 digits, got "${id}"`);
    await this.#store.createAccount({ accountId: id, name, createdAt: this.#clock.now() });
    return id;
  }

  async createUser(accountId: string, userName: string): Promise<User> {
    if (!USER_NAME.test(userName)) {
      throw new IdentityInputError('user name must be 1-64 characters of letters, digits and +=,.@_-');
    }
    await this.#requireAccount(accountId);
    const user: User = { accountId, userName, principalId: newUserPrincipalId(), path: '/', tags: [], createdAt: this.#clock.now() };
    await this.#store.createUser(user);
    return user;
  }

  async createAccessKey(
    accountId: string,
    userName: string,
    given: { accessKeyId?: string; secretAccessKey?: string } = {},
  ): Promise<NewAccessKey> {
    await this.#requireUser(accountId, userName);
    const accessKeyId = given.accessKeyId ?? newAccessKeyId();
    const secretAccessKey = given.secretAccessKey ?? newSecretAccessKey();
    checkGivenKey({ accessKeyId, secretAccessKey });
    await this.#store.createAccessKey({
      accessKeyId,
      accountId,
      userName,
      secretSealed: this.#box.seal(secretAccessKey),
      status: 'Active',
      createdAt: this.#clock.now(),
    });
    return { accountId, userName, accessKeyId, secretAccessKey };
  }

  /**
   * A new access key for CreateAccessKey to stage: its stored form (secret sealed) and the
   * secret, which the call answers once and which is never recorded or kept in the clear.
   */
  newAccessKey(
    accountId: string,
    userName: string,
    timeMs: number,
    preset?: { accessKeyId: string; secretAccessKey: string },
  ): { key: StoredAccessKey; secretAccessKey: string } {
    if (preset !== undefined) checkGivenKey(preset);
    const accessKeyId = preset?.accessKeyId ?? newAccessKeyId();
    const secretAccessKey = preset?.secretAccessKey ?? newSecretAccessKey();
    return {
      key: { accessKeyId, accountId, userName, secretSealed: this.#box.seal(secretAccessKey), status: 'Active', createdAt: timeMs },
      secretAccessKey,
    };
  }

  /** The caller behind a key and its secret, or undefined for an unknown key. */
  async resolveAccessKey(accessKeyId: string): Promise<ResolvedAccessKey | undefined> {
    const key = await this.#store.findAccessKey(accessKeyId);
    if (key === undefined) return undefined;
    const user = await this.#store.getUser(key.accountId, key.userName);
    if (user === undefined) return undefined;
    return { caller: callerOf(key, user), secret: this.#box.open(key.secretSealed), active: key.status === 'Active' };
  }

  /** The STS session behind a temporary key (ASIA…), or undefined for an unknown key. */
  async resolveSessionKey(accessKeyId: string): Promise<ResolvedSession | undefined> {
    return resolveSession(this.#store, this.#box, accessKeyId);
  }

  /** Seals a secret for the store (STS session secrets, staged by their handlers). */
  sealSecret(plaintext: string): string {
    return this.#box.seal(plaintext);
  }

  /** Bootstrap and tests: attaches an AWS managed policy by name, directly (no record). */
  async attachManagedPolicy(accountId: string, userName: string, policyName: string): Promise<void> {
    const policy = awsManagedPolicyByName(policyName);
    if (policy === undefined) {
      throw new IdentityInputError(`unknown managed policy "${policyName}"; choose one of ${awsManagedPolicies().map((p) => p.policyName).join(', ')}`);
    }
    await this.#requireUser(accountId, userName);
    await this.#store.attachPolicy({ accountId, kind: 'user', name: userName }, policy.policyArn);
  }

  /**
   * Bookkeeping after an authenticated call (GetAccessKeyLastUsed): kept in memory, written to
   * the store at most once a minute per key. Not a change that needs a record, and never in
   * the call's way: a failed write is retried with a later call.
   */
  noteKeyUsed(caller: Caller, serviceName: string, region: string, timeMs: number): void {
    if (caller.type !== 'IAMUser' || caller.session !== undefined || caller.accessKeyId === '') return;
    const id = caller.accessKeyId;
    const used: AccessKeyLastUsed = { timeMs, serviceName, region };
    this.#lastUsed.set(id, used);
    const writtenMs = this.#lastUsedWrittenMs.get(id);
    if (writtenMs !== undefined && timeMs - writtenMs < LAST_USED_WRITE_INTERVAL_MS) return;
    this.#lastUsedWrittenMs.set(id, timeMs);
    this.#store.noteAccessKeyUsed(id, used).catch(() => {
      // Only bookkeeping: the use stays in memory, and the next call of this key writes it.
      this.#lastUsedWrittenMs.delete(id);
    });
  }

  /** When a key was last used, as far as this process or the store knows. */
  async accessKeyLastUsed(accessKeyId: string): Promise<AccessKeyLastUsed | undefined> {
    // This node's latest use may not be stored yet; another node's may be stored and later.
    const local = this.#lastUsed.get(accessKeyId);
    const stored = await this.#store.accessKeyLastUsed(accessKeyId);
    if (local === undefined) return stored;
    return stored !== undefined && stored.timeMs > local.timeMs ? stored : local;
  }

  /** A user's own policies by name (inline, and managed by the last part of their ARN). */
  async attachedPolicyNames(accountId: string, userName: string): Promise<{ policyName: string; kind: 'inline' | 'managed' }[]> {
    const principal: PrincipalRef = { accountId, kind: 'user', name: userName };
    const inline = (await this.#store.listInlinePolicies(principal)).map((p) => ({ policyName: p.policyName, kind: 'inline' as const }));
    const managed = (await this.#store.listAttachedPolicyArns(principal)).map((arn) => ({ policyName: arn.slice(arn.lastIndexOf('/') + 1), kind: 'managed' as const }));
    return [...inline, ...managed].sort((a, b) => (a.policyName < b.policyName ? -1 : a.policyName > b.policyName ? 1 : 0));
  }

  /** The caller's policies as documents; managed ones resolve to their current definition. */
  async policiesOf(caller: Caller): Promise<PolicyDocument[]> {
    switch (caller.type) {
      case 'IAMUser':
        return this.policiesOfPrincipal({ accountId: caller.accountId, kind: 'user', name: caller.userName });
      case 'AssumedRole':
        return this.policiesOfPrincipal({ accountId: caller.accountId, kind: 'role', name: caller.roleName });
      case 'Root':
        return [ALLOW_ALL];
    }
  }

  /**
   * Every identity policy that applies to a user, role or group: its inline policies and the
   * default versions of its attached managed policies, and for a user those of its groups too.
   */
  async policiesOfPrincipal(principal: PrincipalRef): Promise<PolicyDocument[]> {
    const principals = [principal];
    if (principal.kind === 'user') {
      for (const group of await this.#store.listGroupsOfUser(principal.accountId, principal.name)) {
        principals.push({ accountId: principal.accountId, kind: 'group', name: group.groupName });
      }
    }
    const documents: PolicyDocument[] = [];
    for (const p of principals) {
      for (const inline of await this.#store.listInlinePolicies(p)) documents.push(documentOf(inline.document));
      for (const arn of await this.#store.listAttachedPolicyArns(p)) documents.push(...(await this.#managedDocument(arn)));
    }
    return documents;
  }

  /** An AWS managed policy by its ARN, or a customer managed one's default version. */
  async #managedDocument(policyArn: string): Promise<PolicyDocument[]> {
    if (policyArn.startsWith('arn:aws:iam::aws:')) {
      const awsManaged = awsManagedPolicyByArn(policyArn);
      return awsManaged === undefined ? [] : [awsManaged.document];
    }
    const policy = await this.#store.getManagedPolicy(policyArn);
    if (policy === undefined) return [];
    const version = await this.#store.getPolicyVersion(policyArn, policy.defaultVersionId);
    return version === undefined ? [DENY_ALL] : [documentOf(version.document)];
  }

  async #requireAccount(accountId: string): Promise<void> {
    if ((await this.#store.getAccount(accountId)) === undefined) {
      throw new IdentityInputError(`no account ${accountId}`);
    }
  }

  async #requireUser(accountId: string, userName: string): Promise<void> {
    if ((await this.#store.getUser(accountId, userName)) === undefined) {
      throw new IdentityInputError(`no user ${userName} in account ${accountId}`);
    }
  }
}

/** The account itself (the local administrator) may do anything in its account. */
const ALLOW_ALL: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

const DENY_ALL: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] };

/** A key an operator named (bootstrap configuration): the forms AWS tools accept. */
export function checkGivenKey(key: { accessKeyId: string; secretAccessKey: string }): void {
  if (!ACCESS_KEY_ID.test(key.accessKeyId)) throw new IdentityInputError('access key id must be 16-128 upper-case letters and digits');
  if (key.secretAccessKey.length < 16) throw new IdentityInputError('secret access key must be at least 16 characters');
}

function documentOf(document: string): PolicyDocument {
  const parsed = parsePolicy(document);
  // A stored document was validated when attached. If it no longer parses (a stricter parser
  // after an upgrade), fail closed: dropping it could drop a Deny and so grant more.
  return parsed.ok ? parsed.policy : DENY_ALL;
}

function callerOf(key: StoredAccessKey, user: User): Caller {
  return {
    type: 'IAMUser',
    accountId: key.accountId,
    userName: user.userName,
    principalId: user.principalId,
    arn: `arn:aws:iam::${key.accountId}:user${user.path}${user.userName}`,
    accessKeyId: key.accessKeyId,
  };
}
