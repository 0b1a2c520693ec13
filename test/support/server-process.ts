/**
 * Runs `opentrail serve` as a real child process on a free loopback port with a temporary data
 * directory and known bootstrap credentials, the way a user or CI would.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SERVER_NODE_FLAGS } from '../../src/cli/heap-settings.js';

/** The package root, found from here whether this file runs from test/ or compiled in dist/. */
function packageRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'bin'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package root above ${from}`);
    dir = parent;
  }
  return dir;
}

export const BIN = join(packageRoot(import.meta.dirname), 'bin', 'opentrail.js');

export interface ServerProcess {
  url: string;
  dataDir: string;
  accountId: string;
  accessKeyId: string;
  secretAccessKey: string;
  process: ChildProcess;
  /** Output the server printed so far (stdout and stderr). */
  output(): string;
  /** SIGTERM and wait for exit; returns the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait for exit. */
  kill(): Promise<void>;
}

export interface StartOptions {
  dataDir?: string;
  accountId?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  args?: string[];
  /** Options for node itself, e.g. --cpu-prof. */
  nodeArgs?: string[];
  env?: Record<string, string>;
}

let counter = 0;

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'opentrail-test-'));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

function uniqueKeyId(): string {
  counter++;
  return `AKIATEST${process.pid.toString().padStart(8, '0')}${counter.toString().padStart(4, '0')}`;
}

export async function startServer(options: StartOptions = {}): Promise<ServerProcess> {
  const dataDir = options.dataDir ?? tempDataDir();
  const accountId = options.accountId ?? '111122223333';
  const accessKeyId = options.accessKeyId ?? uniqueKeyId();
  const secretAccessKey = options.secretAccessKey ?? 'test-secret-key-0123456789abcdefghijklmn';
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...(options.nodeArgs ?? []), BIN, 'serve', '--port', '0', '--data-dir', dataDir, ...(options.args ?? [])], {
    env: {
      ...process.env,
      OPENTRAIL_ACCOUNT_ID: accountId,
      OPENTRAIL_BOOTSTRAP_ACCESS_KEY_ID: accessKeyId,
      OPENTRAIL_BOOTSTRAP_SECRET_ACCESS_KEY: secretAccessKey,
      OPENTRAIL_LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));

  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 20 s:\n${output}`)), 20_000);
    const check = () => {
      const match = /OpenTrail listening on (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]!);
      }
    };
    child.stdout.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });

  return {
    url,
    dataDir,
    accountId,
    accessKeyId,
    secretAccessKey,
    process: child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
