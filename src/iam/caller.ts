/**
 * Who made a request: resolved from its access key (long-term, or an STS session's), or the
 * local administrator for changes made with the admin CLI on the data directory.
 */

/** Temporary credentials: when they were issued and how. */
export interface CallerSession {
  creationDateMs: number;
  expiresAtMs: number;
  mfaAuthenticated: boolean;
  sourceIdentity?: string;
}

interface CallerCommon {
  accountId: string;
  principalId: string;
  arn: string;
  accessKeyId: string;
}

/** An IAM user with its access key, or with session credentials from GetSessionToken. */
export interface IamUserCaller extends CallerCommon {
  type: 'IAMUser';
  userName: string;
  session?: CallerSession;
}

/** Credentials from AssumeRole: `arn:aws:sts::<acct>:assumed-role/<role>/<session>`, principalId `AROA…:<session>`. */
export interface AssumedRoleCaller extends CallerCommon {
  type: 'AssumedRole';
  roleName: string;
  roleId: string;
  rolePath: string;
  /** The IAM role's own ARN (`arn:aws:iam::<acct>:role<path><name>`), the session's issuer. */
  roleArn: string;
  sessionName: string;
  session: CallerSession;
}

/**
 * The account itself (`arn:aws:iam::<acct>:root`). OpenTrail issues no root credentials; this is
 * the local administrator acting through the admin CLI, allowed everything in its account.
 * `accessKeyId` is empty: no key was used.
 */
export interface RootCaller extends CallerCommon {
  type: 'Root';
}

export type Caller = IamUserCaller | AssumedRoleCaller | RootCaller;

/** LookupEvents' Username: the user name, the session name of an assumed role, `root`. */
export function callerUserName(caller: Caller): string {
  switch (caller.type) {
    case 'IAMUser':
      return caller.userName;
    case 'AssumedRole':
      return caller.sessionName;
    case 'Root':
      return 'root';
  }
}

export function rootCaller(accountId: string): RootCaller {
  return { type: 'Root', accountId, principalId: accountId, arn: `arn:aws:iam::${accountId}:root`, accessKeyId: '' };
}
