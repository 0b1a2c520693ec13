import { describe, expect, it } from 'vitest';
import { KeyedMutex } from './keyed-mutex.js';

describe('KeyedMutex', () => {
  it('runs work on one key one at a time, in order, and other keys beside it', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = mutex.runExclusive('a', async () => {
      log.push('a1 start');
      await gate;
      log.push('a1 end');
    });
    const second = mutex.runExclusive('a', async () => Promise.resolve(log.push('a2')));
    const other = mutex.runExclusive('b', async () => Promise.resolve(log.push('b')));
    await other;
    expect(log).toEqual(['a1 start', 'b']);
    release();
    await Promise.all([first, second]);
    expect(log).toEqual(['a1 start', 'b', 'a1 end', 'a2']);
    expect(mutex.size).toBe(0);
  });

  it('releases the key when the work fails', async () => {
    const mutex = new KeyedMutex();
    await expect(mutex.runExclusive('a', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await mutex.runExclusive('a', async () => Promise.resolve(7))).toBe(7);
    expect(mutex.size).toBe(0);
  });
});
