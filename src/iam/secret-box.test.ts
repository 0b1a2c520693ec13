import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SecretBox } from './secret-box.js';

describe('SecretBox', () => {
  it('round-trips and never stores the plaintext', () => {
    const box = new SecretBox(randomBytes(32));
    const sealed = box.seal('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY');
    expect(sealed).not.toContain('wJalr');
    expect(box.open(sealed)).toBe('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY');
    expect(box.seal('same')).not.toBe(box.seal('same'));
  });

  it('refuses tampered ciphertext and other keys', () => {
    const box = new SecretBox(randomBytes(32));
    const sealed = box.seal('secret');
    const parts = sealed.split(':');
    const body = Buffer.from(parts[3]!, 'base64');
    body[0] = body[0]! ^ 1;
    parts[3] = body.toString('base64');
    expect(() => box.open(parts.join(':'))).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed)).toThrow();
    expect(() => box.open('garbage')).toThrow(/unknown format/);
  });

  it('creates a 0600 key file once and reuses it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'opentrail-box-')), 'master.key');
    const sealed = SecretBox.open(undefined, file).seal('x');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const key = readFileSync(file, 'utf8');
    expect(SecretBox.open(undefined, file).open(sealed)).toBe('x');
    expect(readFileSync(file, 'utf8')).toBe(key);
    expect(SecretBox.open(randomBytes(32).toString('base64'), file)).toBeInstanceOf(SecretBox);
  });
});

describe('SecretBox bytes', () => {
  it('round-trips binary data under a context-derived key', () => {
    const box = new SecretBox(randomBytes(32));
    const data = randomBytes(1000);
    const sealed = box.sealBytes(data, 'kms:alias/a');
    expect(sealed.includes(data.subarray(0, 32))).toBe(false);
    expect(box.openBytes(sealed, 'kms:alias/a').equals(data)).toBe(true);
    expect(box.sealBytes(data, 'kms:alias/a').equals(sealed)).toBe(false);
    expect(box.openBytes(box.sealBytes(Buffer.alloc(0), 'c'), 'c')).toHaveLength(0);
  });

  it('refuses another context, another key, tampering and garbage', () => {
    const box = new SecretBox(randomBytes(32));
    const sealed = box.sealBytes(Buffer.from('log file'), 'kms:one');
    expect(() => box.openBytes(sealed, 'kms:two')).toThrow();
    expect(() => new SecretBox(randomBytes(32)).openBytes(sealed, 'kms:one')).toThrow();
    const flipped = Buffer.from(sealed);
    flipped[flipped.length - 1] = flipped[flipped.length - 1]! ^ 1;
    expect(() => box.openBytes(flipped, 'kms:one')).toThrow();
    expect(() => box.openBytes(Buffer.from('not sealed at all, long enough to pass'), 'kms:one')).toThrow(/unknown format/);
    expect(() => box.openBytes(Buffer.alloc(3), 'kms:one')).toThrow(/unknown format/);
  });
});
