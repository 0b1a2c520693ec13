import { describe, expect, it } from 'vitest';
import type { Caller } from '../../../iam/caller.js';
import { parseRoleArn } from './role-arn.js';
import { isRoleChaining, refuseUnsupported, roleSessionSeconds } from './session-rules.js';

const session = { creationDateMs: 0, expiresAtMs: 1, mfaAuthenticated: false };
const user: Caller = { type: 'IAMUser', accountId: '111122223333', principalId: 'AIDA', arn: 'arn:aws:iam::111122223333:user/u', accessKeyId: 'AKIA', userName: 'u' };
const role: Caller = {
  type: 'AssumedRole',
  accountId: '111122223333',
  principalId: 'AROA:s',
  arn: 'arn:aws:sts::111122223333:assumed-role/r/s',
  accessKeyId: 'ASIA',
  roleName: 'r',
  roleId: 'AROA',
  rolePath: '/',
  roleArn: 'arn:aws:iam::111122223333:role/r',
  sessionName: 's',
  session,
};

describe('roleSessionSeconds', () => {
  it('defaults to one hour', () => {
    expect(roleSessionSeconds(undefined, 3600, false)).toBe(3600);
    expect(roleSessionSeconds(undefined, 43200, true)).toBe(3600);
  });

  it('allows up to the role’s MaxSessionDuration, not beyond', () => {
    expect(roleSessionSeconds(900, 3600, false)).toBe(900);
    expect(roleSessionSeconds(43200, 43200, false)).toBe(43200);
    expect(() => roleSessionSeconds(3601, 3600, false)).toThrow('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  });

  it('limits role chaining to one hour whatever the role allows', () => {
    expect(roleSessionSeconds(3600, 43200, true)).toBe(3600);
    expect(() => roleSessionSeconds(3601, 43200, true)).toThrow('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  });

  it('is ValidationError', () => {
    try {
      roleSessionSeconds(7200, 3600, false);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'ValidationError', httpStatus: 400 });
    }
  });
});

describe('isRoleChaining', () => {
  it('is any temporary credentials: a role session, or a user’s GetSessionToken session', () => {
    expect(isRoleChaining(user)).toBe(false);
    expect(isRoleChaining({ ...user, session })).toBe(true);
    expect(isRoleChaining(role)).toBe(true);
  });
});

describe('refuseUnsupported', () => {
  it('names every unsupported member given, and passes requests without them', () => {
    expect(() => refuseUnsupported('AssumeRole', { RoleArn: 'x' }, ['Policy', 'Tags'])).not.toThrow();
    expect(() => refuseUnsupported('AssumeRole', { Policy: undefined }, ['Policy'])).not.toThrow();
    expect(() => refuseUnsupported('AssumeRole', { Policy: '{}', Tags: [] }, ['Policy', 'Tags'])).toThrow(
      'OpenTrail does not support Policy, Tags in AssumeRole yet; send the request without them.',
    );
    try {
      refuseUnsupported('GetSessionToken', { SerialNumber: 'arn:aws:iam::1:mfa/x' }, ['SerialNumber']);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'UnsupportedOperationException' });
    }
  });
});

describe('parseRoleArn', () => {
  it('reads account, path and name', () => {
    expect(parseRoleArn('arn:aws:iam::111122223333:role/auditor')).toEqual({ accountId: '111122223333', path: '/', roleName: 'auditor' });
    expect(parseRoleArn('arn:aws:iam::111122223333:role/team/a/Ops+=,.@-_1')).toEqual({ accountId: '111122223333', path: '/team/a/', roleName: 'Ops+=,.@-_1' });
  });

  it('refuses what is not an IAM role ARN', () => {
    for (const arn of [
      'arn:aws:iam::111122223333:user/admin',
      'arn:aws:iam:111122223333:role/x',
      'arn:aws:iam::11112222333:role/x',
      'arn:aws:sts::111122223333:assumed-role/r/s',
      'arn:aws:iam::111122223333:role/',
      `arn:aws:iam::111122223333:role/${'a'.repeat(65)}`,
      'arn:aws:iam::111122223333:role/a b',
    ]) {
      expect(() => parseRoleArn(arn), arn).toThrow('Request ARN is invalid');
    }
  });
});
