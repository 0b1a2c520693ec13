import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../test/support/manual-clock.js';
import { ConsoleSessions } from './sessions.js';

describe('console sessions', () => {
  it('finds a session by its token until it expires, then never again', () => {
    const clock = new ManualClock(1_000_000);
    const sessions = new ConsoleSessions(60_000, clock);
    const { token, session } = sessions.open('AKIA1', '111122223333', 'us-east-1');
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(session.csrfToken).not.toBe(token);
    expect(sessions.find(token)).toBe(session);
    expect(sessions.find(token + 'x')).toBeUndefined();
    expect(sessions.find(undefined)).toBeUndefined();
    clock.advance(59_999);
    expect(sessions.isOpen(session)).toBe(true);
    clock.advance(1);
    expect(sessions.find(token)).toBeUndefined();
    expect(sessions.isOpen(session)).toBe(false);
    clock.set(0);
    expect(sessions.find(token)).toBeUndefined();
  });

  it('ends one session at sign-out, and every session of a key that is gone', () => {
    const sessions = new ConsoleSessions(60_000, new ManualClock(0));
    const a = sessions.open('AKIA1', '111122223333', 'us-east-1');
    const b = sessions.open('AKIA1', '111122223333', 'eu-west-1');
    const c = sessions.open('AKIA2', '111122223333', 'us-east-1');
    sessions.close(a.token);
    expect(sessions.find(a.token)).toBeUndefined();
    expect(sessions.find(b.token)).toBe(b.session);
    sessions.closeKey('AKIA1');
    expect(sessions.isOpen(b.session)).toBe(false);
    expect(sessions.find(c.token)).toBe(c.session);
  });
});
