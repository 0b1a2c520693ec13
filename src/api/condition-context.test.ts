import { describe, expect, it } from 'vitest';
import type { Caller } from '../iam/caller.js';
import { conditionContextOf } from './condition-context.js';
import type { HttpRequest } from './http-types.js';

const request = (remoteAddress: string, tls = false): HttpRequest => ({
  method: 'POST',
  path: '/',
  query: '',
  headers: {},
  body: Buffer.alloc(0),
  remoteAddress,
  ...(tls && { tls: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256' } }),
});

const user: Caller = {
  type: 'IAMUser',
  accountId: '111122223333',
  principalId: 'AIDAEXAMPLEEXAMPLE01',
  arn: 'arn:aws:iam::111122223333:user/alice',
  accessKeyId: 'AKIAEXAMPLE',
  userName: 'alice',
};

describe('conditionContextOf', () => {
  it('a long-term key: the user, no MFA key at all, the peer address without ::ffff:', () => {
    const context = conditionContextOf(user, request('::ffff:127.0.0.1'), 'eu-west-1', 1_000_000);
    expect(context).toEqual({
      currentTimeMs: 1_000_000,
      sourceIp: '127.0.0.1',
      principalAccount: '111122223333',
      principalArn: 'arn:aws:iam::111122223333:user/alice',
      principalType: 'User',
      userId: 'AIDAEXAMPLEEXAMPLE01',
      userName: 'alice',
      requestedRegion: 'eu-west-1',
      secureTransport: false,
    });
    expect('mfaPresent' in context).toBe(false);
  });

  it('an assumed role: the role’s ARN, <role id>:<session> as userid, no username, MFA from the session', () => {
    const role: Caller = {
      type: 'AssumedRole',
      accountId: '111122223333',
      principalId: 'AROAEXAMPLEEXAMPLE01:build',
      arn: 'arn:aws:sts::111122223333:assumed-role/ci/build',
      accessKeyId: 'ASIAEXAMPLE',
      roleName: 'ci',
      roleId: 'AROAEXAMPLEEXAMPLE01',
      rolePath: '/',
      roleArn: 'arn:aws:iam::111122223333:role/ci',
      sessionName: 'build',
      session: { creationDateMs: 0, expiresAtMs: 3_600_000, mfaAuthenticated: false },
    };
    const context = conditionContextOf(role, request('2001:db8::1', true), 'us-east-1', 5_000);
    expect(context).toMatchObject({
      sourceIp: '2001:db8::1',
      principalArn: 'arn:aws:iam::111122223333:role/ci',
      principalType: 'AssumedRole',
      userId: 'AROAEXAMPLEEXAMPLE01:build',
      mfaPresent: false,
      secureTransport: true,
    });
    expect(context.userName).toBeUndefined();
    expect(context.mfaAgeSeconds).toBeUndefined();
  });

  it('a session with MFA: present, and its age in seconds', () => {
    const withMfa: Caller = { ...user, session: { creationDateMs: 10_000, expiresAtMs: 1e9, mfaAuthenticated: true } };
    expect(conditionContextOf(withMfa, request('10.0.0.1'), 'us-east-1', 75_500)).toMatchObject({ mfaPresent: true, mfaAgeSeconds: 65 });
  });
});
