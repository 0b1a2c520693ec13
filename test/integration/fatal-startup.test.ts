/**
 * Fatal start-up errors end the command: exit status 1, promptly, with one line saying what to
 * fix (a stack only at OPENTRAIL_LOG_LEVEL=debug). Before, a bad master key or an unreadable
 * one left `serve` and the admin commands hanging after the message (the event log's writer
 * thread kept the process alive), and a bad object store URL was noticed only after the account
 * and the credentials file had been created.
 *
 * Each command gets 15 s before it is killed: a bound for a test that would otherwise hang.
 */
import { spawnSync } from 'node:child_process';
import type { SpawnSyncOptions } from 'node:child_process';
import { chmodSync, chownSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, removeDir, tempDataDir } from '../support/server-process.js';

const BOUND_MS = 15_000;
const NOBODY = 65534;
const dirs: string[] = [];

afterAll(() => {
  for (const dir of dirs) removeDir(dir);
});

function dataDir(): string {
  const dir = tempDataDir();
  dirs.push(dir);
  return dir;
}

interface Outcome {
  status: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

function opentrail(args: string[], env: Record<string, string> = {}, options: SpawnSyncOptions = {}): Outcome {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, OPENTRAIL_LOG_LEVEL: 'info', ...env },
    encoding: 'utf8',
    timeout: BOUND_MS,
    killSignal: 'SIGKILL',
    ...options,
  });
  return { status: result.status, signal: result.signal, stderr: String(result.stderr) };
}

/** Ended by itself with status 1 and exactly one line on stderr, without a stack. */
function expectOneLineFailure(outcome: Outcome, message: RegExp): void {
  expect(outcome.signal, `killed after ${BOUND_MS} ms: ${outcome.stderr}`).toBeNull();
  expect(outcome.status).toBe(1);
  const lines = outcome.stderr.trimEnd().split('\n');
  expect(lines, outcome.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^opentrail: /);
  expect(lines[0]).toMatch(message);
}

const serve = (dir: string) => ['serve', '--port', '0', '--data-dir', dir];
const keysList = (dir: string) => ['keys', 'list', '--account-id', '111122223333', '--data-dir', dir];

describe('fatal start-up errors', () => {
  it('a master.key holding garbage: serve and keys list exit 1 with one line', () => {
    const dir = dataDir();
    writeFileSync(join(dir, 'master.key'), 'garbage\n', { mode: 0o600 });
    expectOneLineFailure(opentrail(serve(dir)), /master key in .*master\.key must be base64 of 32 bytes/);
    expectOneLineFailure(opentrail(keysList(dir)), /master key in .*master\.key must be base64 of 32 bytes/);
    // Nothing was opened: the database was never created.
    expect(readdirSync(dir)).toEqual(['master.key']);
  });

  it('an unreadable master.key (EACCES): serve and keys list exit 1 with one line', () => {
    const dir = dataDir();
    const keyFile = join(dir, 'master.key');
    writeFileSync(keyFile, `${Buffer.alloc(32, 7).toString('base64')}\n`, { mode: 0o600 });
    // Root reads any file: run the commands as nobody, owning the data directory but not the key.
    const asRoot = process.getuid?.() === 0;
    const options: SpawnSyncOptions = asRoot ? { uid: NOBODY, gid: NOBODY } : {};
    if (asRoot) chownSync(dir, NOBODY, NOBODY);
    else chmodSync(keyFile, 0o000);
    expectOneLineFailure(opentrail(serve(dir), {}, options), /cannot read the master key file .*master\.key: permission denied \(EACCES\)/);
    expectOneLineFailure(opentrail(keysList(dir), {}, options), /permission denied \(EACCES\)/);
  });

  it('OPENTRAIL_MASTER_KEY that is not base64 of 32 bytes: accounts list exits 1 with one line', () => {
    const dir = join(dataDir(), 'never-created');
    expectOneLineFailure(opentrail(['accounts', 'list', '--data-dir', dir], { OPENTRAIL_MASTER_KEY: 'c2hvcnQ=' }), /OPENTRAIL_MASTER_KEY.*decodes to 5 bytes/);
    expect(existsSync(dir)).toBe(false);
  });

  it('OPENTRAIL_OBJECT_STORE=s3 (not s3:): serve exits 1 before creating the account or the credentials file', () => {
    const dir = join(dataDir(), 'never-created');
    expectOneLineFailure(opentrail(serve(dir), { OPENTRAIL_OBJECT_STORE: 's3' }), /unknown object store URL "s3"; expected file:, file:<dir> or s3:/);
    expect(existsSync(dir)).toBe(false);
  });

  it('a bootstrap access key id AWS tools would refuse: serve exits 1 with one line, before the first account is made', () => {
    const dir = dataDir();
    expectOneLineFailure(
      opentrail(serve(dir), { OPENTRAIL_BOOTSTRAP_ACCESS_KEY_ID: 'not-a-key', OPENTRAIL_BOOTSTRAP_SECRET_ACCESS_KEY: 'long-enough-secret-0123456789' }),
      /access key id must be 16-128 upper-case letters and digits/,
    );
    expect(opentrail(['accounts', 'list', '--data-dir', dir]).status).toBe(0);
    expect(existsSync(join(dir, 'credentials'))).toBe(false);
  });

  it('prints the stack as well at OPENTRAIL_LOG_LEVEL=debug', () => {
    const dir = dataDir();
    writeFileSync(join(dir, 'master.key'), 'garbage\n', { mode: 0o600 });
    const outcome = opentrail(keysList(dir), { OPENTRAIL_LOG_LEVEL: 'debug' });
    expect(outcome.signal).toBeNull();
    expect(outcome.status).toBe(1);
    expect(outcome.stderr).toMatch(/^opentrail: the master key/);
    expect(outcome.stderr).toMatch(/\n\s+at /);
  });
});
