import { describe, expect, it } from 'vitest';
import type { Caller } from '../iam/caller.js';
import { AuthFailureLimiter } from './auth-failure-limiter.js';

const caller = { accessKeyId: 'AKIAEXAMPLE', accountId: '111122223333' } as Caller;
const MINUTE = 60_000;
const t0 = 1_800_000_000_000 - (1_800_000_000_000 % MINUTE);

describe('AuthFailureLimiter', () => {
  it('admits the first failures of a minute, counts the rest, and sums them up once the minute is over', () => {
    const limiter = new AuthFailureLimiter(3);
    const admitted = Array.from({ length: 8 }, (_, i) => limiter.admit(caller, 'us-east-1', i % 2 ? 'InvalidSignatureException' : 'SignatureExpired', `10.0.0.${i % 3}`, t0 + i));
    expect(admitted).toEqual([true, true, true, false, false, false, false, false]);
    expect(limiter.takeEnded(t0 + MINUTE - 1)).toEqual([]);
    const [summary, ...rest] = limiter.takeEnded(t0 + MINUTE);
    expect(rest).toEqual([]);
    expect(summary).toMatchObject({ windowStartMs: t0, windowEndMs: t0 + MINUTE, recorded: 3, unrecorded: 5, errorCodes: { InvalidSignatureException: 3, SignatureExpired: 2 } });
    expect(summary!.sourceIPAddresses.sort()).toEqual(['10.0.0.0', '10.0.0.1', '10.0.0.2']);
    expect(limiter.takeEnded(t0 + 10 * MINUTE)).toEqual([]);
  });

  it('starts afresh each minute and keeps keys and regions apart', () => {
    const limiter = new AuthFailureLimiter(1);
    expect(limiter.admit(caller, 'us-east-1', 'X', 'ip', t0)).toBe(true);
    expect(limiter.admit(caller, 'eu-west-1', 'X', 'ip', t0)).toBe(true);
    expect(limiter.admit({ ...caller, accessKeyId: 'AKIAOTHER' }, 'us-east-1', 'X', 'ip', t0)).toBe(true);
    expect(limiter.admit(caller, 'us-east-1', 'X', 'ip', t0 + 1)).toBe(false);
    expect(limiter.admit(caller, 'us-east-1', 'X', 'ip', t0 + MINUTE)).toBe(true);
    expect(limiter.takeEnded(t0 + MINUTE).map((s) => s.unrecorded)).toEqual([1]);
  });

  it('hands out unfinished minutes too when asked for all (shutdown)', () => {
    const limiter = new AuthFailureLimiter(0);
    limiter.admit(caller, 'us-east-1', 'X', 'ip', t0);
    expect(limiter.takeEnded(t0, true).map((s) => s.unrecorded)).toEqual([1]);
  });

  it('takes back summaries whose record could not be appended, to hand them out again', () => {
    const limiter = new AuthFailureLimiter(0);
    limiter.admit(caller, 'us-east-1', 'X', 'ip', t0);
    const taken = limiter.takeEnded(t0 + MINUTE);
    limiter.putBack(taken);
    expect(limiter.takeEnded(t0 + MINUTE)).toEqual(taken);
  });
});
