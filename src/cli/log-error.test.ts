/**
 * A logged error shows each message once. The chain is the real one of a failed delivery:
 * DeliveryError wraps ObjectStoreError wraps the file system's error, each repeating its
 * cause's message; pino's standard serializer printed the innermost message three times.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ObjectStoreError } from '../objects/errors.js';
import { DeliveryError } from '../workers/delivery/deliver-trail.js';
import { createLogger } from './logger.js';

function occurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}

async function realFsError(): Promise<Error> {
  const dir = mkdtempSync(join(tmpdir(), 'opentrail-log-'));
  writeFileSync(join(dir, 'file'), '');
  return mkdir(join(dir, 'file', 'sub')).then(
    () => {
      throw new Error('mkdir under a file succeeded');
    },
    (error: unknown) => error as Error,
  );
}

function capture(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter((line) => line !== ''));
      done();
    },
  });
  return { stream, lines };
}

describe('logged errors', () => {
  it('show the message of every error in a chain once', async () => {
    const fsError = await realFsError();
    const stored = new ObjectStoreError(`writing b/k: ${fsError.message}`, { retryable: true, code: 'ENOTDIR', cause: fsError });
    const delivery = new DeliveryError(`delivering to file bucket b failed: ${stored.message}`, { cause: stored });
    const { stream, lines } = capture();
    createLogger('info', stream).warn({ err: delivery, trail: 't' }, 'trail delivery failed; will retry');

    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(occurrences(line, fsError.message)).toBe(1);
    const logged = JSON.parse(line) as { err: { message: string; stack: string; type: string; retryable?: unknown }; msg: string };
    expect(logged.err.message).toBe(delivery.message);
    expect(logged.err.type).toBe('DeliveryError');
    // Where it happened stays: the frames of each error in the chain.
    expect(logged.err.stack).toMatch(/^\s+at /);
    expect(logged.err.stack).toMatch(/caused by ObjectStoreError\n\s+at /);
  });

  it('still adds a cause whose message the outer one does not hold', () => {
    const { stream, lines } = capture();
    createLogger('info', stream).warn({ err: new Error('final delivery pass failed', { cause: new Error('socket hang up') }) }, 'x');
    expect((JSON.parse(lines[0]!) as { err: { message: string } }).err.message).toBe('final delivery pass failed: socket hang up');
  });
});
