/**
 * A real moto server (`python3 -m moto.server`) as the S3/SNS/SQS peer of integration tests.
 *
 *   const moto = await startMoto();        // 127.0.0.1, a free port, answering
 *   new S3Client(moto.clientConfig)        // or moto.env for code configured like the AWS tools
 *   await moto.stop(); await moto.start(); // an outage: same URL again (moto's state is lost)
 *   await moto.pause(); await moto.resume(); // a store that hangs (SIGSTOP/SIGCONT), state kept
 *
 * The server is one child process, stopped by its PID; it is killed when the test process exits.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { commandWorks, peerAvailable } from './peers.js';

let probed: boolean | undefined;

/** Whether moto's server can run here (skips, or fails under OPENTRAIL_REQUIRE_PEERS=1, when not). */
export function motoAvailable(): boolean {
  probed ??= commandWorks('python3', ['-c', 'import moto.server']);
  return peerAvailable('moto', probed, 'python3 cannot import moto.server (pip install "moto[server]")');
}

export const MOTO_REGION = 'us-east-1';
/** moto's default account, the one its ARNs are in. */
export const MOTO_ACCOUNT = '123456789012';
const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

export interface MotoServer {
  readonly url: string;
  readonly port: number;
  /** PID of the running server, undefined while stopped. */
  readonly pid: number | undefined;
  /** For SDK clients: endpoint, region, fixed test credentials, path-style addressing. */
  readonly clientConfig: {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
    forcePathStyle: true;
  };
  /** Environment that points code configured like the AWS tools at this server. */
  readonly env: Record<string, string>;
  /** SIGTERM by PID, waits for the exit (SIGKILL after 5 s). */
  stop(): Promise<void>;
  /** SIGKILL by PID, waits for the exit. */
  kill(): Promise<void>;
  /** Starts the server again on the same port and waits until it answers; moto starts empty. */
  start(): Promise<void>;
  /** SIGSTOP: connections are accepted by the kernel but never answered. */
  pause(): void;
  /** SIGCONT after pause(). */
  resume(): void;
  /** Forgets every resource (moto's reset API). */
  reset(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function delay(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/moto-api/data.json`, { signal: AbortSignal.timeout(1_000) });
    await response.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

async function waitForExit(child: ChildProcess, killAfterMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
  });
}

class MotoProcess implements MotoServer {
  readonly port: number;
  readonly url: string;
  readonly clientConfig: MotoServer['clientConfig'];
  readonly env: Record<string, string>;
  #child: ChildProcess | undefined;
  readonly #killOnExit = (): void => {
    this.#child?.kill('SIGKILL');
  };

  constructor(port: number) {
    this.port = port;
    this.url = `http://127.0.0.1:${port}`;
    this.clientConfig = { endpoint: this.url, region: MOTO_REGION, credentials: { ...CREDENTIALS }, forcePathStyle: true };
    this.env = {
      AWS_ENDPOINT_URL: this.url,
      AWS_REGION: MOTO_REGION,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    };
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  async start(): Promise<void> {
    if (this.#child !== undefined) throw new Error(`moto is already running (pid ${this.#child.pid})`);
    // The port may still be held for a moment after a stop; try a few times.
    let lastProblem = '';
    for (let tries = 0; tries < 5; tries++) {
      const problem = await this.#spawnAndWait();
      if (problem === undefined) return;
      lastProblem = problem;
      await delay(300);
    }
    throw new Error(`moto server did not start on ${this.url}: ${lastProblem}`);
  }

  async stop(): Promise<void> {
    await this.#end('SIGTERM');
  }

  async kill(): Promise<void> {
    await this.#end('SIGKILL');
  }

  pause(): void {
    this.#signal('SIGSTOP');
  }

  resume(): void {
    this.#signal('SIGCONT');
  }

  async reset(): Promise<void> {
    const response = await fetch(`${this.url}/moto-api/reset`, { method: 'POST' });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`moto reset answered HTTP ${response.status}`);
  }

  /** Undefined once the server answers; else why it did not. */
  async #spawnAndWait(): Promise<string | undefined> {
    // moto logs every request on stderr. Into a file, not a pipe: a pipe is drained only while
    // this process's event loop runs, and a test blocked in spawnSync would let it fill and
    // stall moto.
    const logFile = join(tmpdir(), `opentrail-moto-${this.port}-${process.pid}.log`);
    const log = openSync(logFile, 'w');
    const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(this.port)], {
      stdio: ['ignore', 'ignore', log],
      env: { ...process.env, PYTHONUNBUFFERED: '1' },
    });
    closeSync(log);
    let spawnError = '';
    const stderrTail = () => spawnError + readFileSync(logFile, 'utf8').slice(-4_000);
    let exited = false;
    child.once('exit', () => {
      exited = true;
    });
    child.once('error', (error) => {
      exited = true;
      spawnError += String(error);
    });
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (exited) return `it exited: ${stderrTail().trim()}`;
      if (await answers(this.url)) {
        if (exited) return `another process answers on port ${this.port}: ${stderrTail().trim()}`;
        this.#child = child;
        process.once('exit', this.#killOnExit);
        return undefined;
      }
      await delay(100);
    }
    child.kill('SIGKILL');
    await waitForExit(child, 0);
    return `no answer within 30 s: ${stderrTail().trim()}`;
  }

  #signal(signal: NodeJS.Signals): void {
    const pid = this.#child?.pid;
    if (pid === undefined) throw new Error('moto is not running');
    process.kill(pid, signal);
  }

  async #end(signal: NodeJS.Signals): Promise<void> {
    const child = this.#child;
    if (child === undefined) return;
    this.#child = undefined;
    process.removeListener('exit', this.#killOnExit);
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      try {
        process.kill(child.pid, signal);
        // A paused server cannot act on SIGTERM until it runs again.
        if (signal !== 'SIGKILL') process.kill(child.pid, 'SIGCONT');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error; // already gone
      }
    }
    await waitForExit(child, 5_000);
  }
}

/** Starts a moto server on 127.0.0.1 at a free port and waits until it answers. */
export async function startMoto(): Promise<MotoServer> {
  const server = new MotoProcess(await freePort());
  await server.start();
  return server;
}
