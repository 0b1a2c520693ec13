/**
 * The README, tried as a new user would: every ```sh block (and the ts and python examples) of
 * README.md runs, in order, against a fresh `opentrail serve` that the README's own `npm start`
 * blocks start, in a temporary folder standing for the checkout (its `./data` is the server's
 * data directory). Each block must exit 0, and where the README states an outcome (a lookup that
 * finds the call, a log file in the bucket, a valid digest chain), the claims below check it.
 *
 * How blocks run (test/support/readme.ts has the markers):
 * - sh blocks run one after the other in bash with `set -euo pipefail`; what a block exports
 *   carries to the next ones, as in the user's second terminal (other shell variables do not:
 *   each block must set what it uses). No AWS configuration exists besides what the README sets.
 * - `http://127.0.0.1:4747` becomes the test server's address, `127.0.0.1:5000` a moto server's;
 *   `npx opentrail` runs bin/opentrail.js of this checkout (checked below to be what npx runs),
 *   `npm start [-- flags]` runs `node <SERVER_NODE_FLAGS> bin/opentrail.js serve [flags]` (package.json's start
 *   script minus the build), on a free port.
 * - A server block stops the running server as Ctrl-C does (SIGINT to its process group) and
 *   starts the new one in the background, without the client shell's exports (it is a terminal
 *   of its own).
 * Peers: the AWS CLI, boto3 (python blocks) and moto (blocks that name 127.0.0.1:5000).
 */
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS } from '../../src/cli/heap-settings.js';
import { CIS_CONTROLS } from '../../src/monitoring/cis/cis-pack.js';
import { motoAvailable, startMoto } from '../support/moto.js';
import type { MotoServer } from '../support/moto.js';
import { awsCliAvailable, boto3Available } from '../support/peers.js';
import { bannerPatterns, DOCUMENTED_MOTO, matchesInOrder, mentions, readReadme, serverCommand, substituteAddresses } from '../support/readme.js';
import type { ReadmeBlock } from '../support/readme.js';
import { BIN } from '../support/server-process.js';

const ROOT = dirname(dirname(BIN));
const blocks = readReadme(ROOT);
const hasAwsCli = awsCliAvailable();
const hasBoto3 = boto3Available();
const needsMoto = blocks.some((block) => block.mode !== 'skip' && mentions(block.text, DOCUMENTED_MOTO));
const hasMoto = needsMoto && motoAvailable();

/** Bounds: one command, a server start or stop, an outcome that the README says comes within seconds. */
const BLOCK_TIMEOUT_MS = 120_000;
const SERVER_START_MS = 60_000;
const SERVER_STOP_MS = 30_000;
const EVENTUALLY_MS = 90_000;

let workDir = '';
let dataDir = '';
let stateFile = '';
let baseEnv: Record<string, string> = {};
let moto: MotoServer | undefined;
let s3: S3Client | undefined;

// ---------------------------------------------------------------------------------------------
// Processes

interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

/** Signals a process group we started (bash -c with detached: its PID is the group id). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

async function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => child.once('exit', () => done()));
}

async function runBash(script: string, env: Record<string, string>, timeoutMs: number): Promise<Run> {
  return new Promise((resolveRun, reject) => {
    const child = spawn('bash', ['-c', script], { cwd: workDir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const kill = () => signalGroup(child, 'SIGKILL');
    process.once('exit', kill);
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (status, signal) => {
      clearTimeout(timer);
      process.removeListener('exit', kill);
      resolveRun({ status, signal, timedOut, stdout, stderr });
    });
  });
}

interface ReadmeServer {
  readonly child: ChildProcess;
  /** host:port it listens on. */
  readonly address: string;
  output(): string;
  stop(): Promise<void>;
}

let server: ReadmeServer | undefined;

async function startReadmeServer(block: ReadmeBlock): Promise<ReadmeServer> {
  const command = serverCommand(substituteAddresses(block.text, undefined, moto?.url.replace('http://', '')), BIN);
  const env = { ...baseEnv, OPENTRAIL_PORT: '0', OPENTRAIL_LOG_LEVEL: 'warn' };
  const child = spawn('bash', ['-c', `set -euo pipefail\n${command}\n`], { cwd: workDir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const killOnExit = () => signalGroup(child, 'SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    signalGroup(child, 'SIGINT'); // what Ctrl-C in the server's terminal does
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), SERVER_STOP_MS);
    await exited(child);
    clearTimeout(timer);
    process.removeListener('exit', killOnExit);
  };
  const address = await new Promise<string>((resolveAddress, reject) => {
    const timer = setTimeout(() => reject(new Error(`README.md:${block.line}: the server did not start within ${SERVER_START_MS / 1000} s:\n${output}`)), SERVER_START_MS);
    const check = () => {
      const match = /OpenTrail listening on http:\/\/(\S+)/.exec(output);
      if (match === null) return;
      clearTimeout(timer);
      resolveAddress(match[1]!);
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`README.md:${block.line}: the server exited (${code}) before listening:\n${output}`));
    });
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { child, address, output: () => output, stop };
}

// ---------------------------------------------------------------------------------------------
// Running a block

const PRELUDE = [
  'set -euo pipefail',
  'if [ -f "$README_TEST_STATE" ]; then . "$README_TEST_STATE"; fi',
  'npx() { if [ "${1-}" = opentrail ]; then shift; node "$README_TEST_BIN" "$@"; else echo "readme test: only \\`npx opentrail\\` runs here, not: npx $*" >&2; return 127; fi; }',
  '',
].join('\n');

function scriptFor(block: ReadmeBlock, text: string): string {
  if (block.lang === 'sh') return `${PRELUDE}${text}\n${block.mode === 'isolated' ? '' : 'export -p > "$README_TEST_STATE"\n'}`;
  const file = join(workDir, `readme-${block.line}.${block.lang === 'ts' ? 'mts' : 'py'}`);
  writeFileSync(file, `${text}\n`);
  const runner = block.lang === 'ts' ? JSON.stringify(join(ROOT, 'node_modules', '.bin', 'tsx')) : 'python3';
  return `${PRELUDE}${runner} ${JSON.stringify(file)}\n`;
}

function firstLine(block: ReadmeBlock): string {
  const line = block.text.split('\n').find((l) => l.trim() !== '' && !l.trim().startsWith('#') && !l.trim().startsWith('//')) ?? '';
  return line.length > 70 ? `${line.slice(0, 67)}...` : line;
}

function describeRun(run: Run): string {
  const how = run.timedOut ? `timed out after ${BLOCK_TIMEOUT_MS / 1000} s` : `exit ${run.status ?? run.signal}`;
  return `${how}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
}

// ---------------------------------------------------------------------------------------------
// What the README states, checked where it says so

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((path) => join(dir, path));
}

const trailFolder = () => join(dataDir, 'buckets', 'my-trail-bucket');
const isLogFile = (path: string) => path.includes('/CloudTrail/') && path.endsWith('.json.gz');
const isDigest = (path: string) => path.includes('/CloudTrail-Digest/') && path.endsWith('.json.gz');

async function s3Keys(bucket: string): Promise<string[]> {
  if (s3 === undefined) return [];
  const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (out.Contents ?? []).map((object) => object.Key ?? '');
}

function expectAllValid(output: string, validations: number): void {
  const digests = [...output.matchAll(/^(\d+)\/(\d+) digest files valid$/gm)];
  expect(digests, 'one "n/n digest files valid" per validation').toHaveLength(validations);
  for (const [, valid, total] of digests) {
    expect(Number(total)).toBeGreaterThan(0);
    expect(valid).toBe(total);
  }
  for (const [, valid, total] of output.matchAll(/^(\d+)\/(\d+) log files valid$/gm)) expect(valid).toBe(total);
  expect(output).not.toMatch(/\binvalid\b|not found/i);
}

interface Claim {
  /** Identifies the block the claim is about: exactly one README block must match. */
  readonly block: string | RegExp;
  /** The README's statement. */
  readonly says: string;
  readonly check?: (run: Run) => void;
  /** An outcome the README promises within seconds after the block: polled, bounded. */
  readonly eventually?: () => boolean | Promise<boolean>;
}

const claims: readonly Claim[] = [
  {
    block: 'describe-alarms --state-value ALARM',
    says: 'StopLogging moved the CIS 4.5 alarm, and only it, to ALARM',
    check: (run) => expect(run.stdout.trim().split('\n').at(-1)).toBe(CIS_CONTROLS.find((c) => c.id === '4.5')!.alarmName),
  },
  {
    block: 'AttributeValue=CreateBucket',
    says: 'the bucket made through the gateway is in moto, and its CreateBucket in the history by admin',
    check: (run) => expect(run.stdout.trim().split('\n').at(-1)).toBe('CreateBucket\tadmin'),
  },
  {
    block: 's3 cp q3.txt s3://finance/q3.txt',
    says: "the object is in moto's bucket, and the trail's log file holds the PutObject data event",
    eventually: async () => {
      if (!(await s3Keys('finance')).includes('q3.txt')) return false;
      for (const key of (await s3Keys('my-s3-trail-bucket')).filter((k) => k.startsWith('objects/AWSLogs/') && k.includes('/CloudTrail/'))) {
        const object = await s3!.send(new GetObjectCommand({ Bucket: 'my-s3-trail-bucket', Key: key }));
        const records = (JSON.parse(gunzipSync(Buffer.from(await object.Body!.transformToByteArray())).toString('utf8')) as { Records: Record<string, unknown>[] }).Records;
        const put = records.find((r) => r.eventName === 'PutObject');
        if (put !== undefined) {
          expect(put).toMatchObject({ eventCategory: 'Data', requestParameters: { bucketName: 'finance', key: 'q3.txt' } });
          expect(put.additionalEventData).toHaveProperty('bytesTransferredIn', 18);
          return true;
        }
      }
      return false;
    },
  },
  {
    block: /cloudtrail lookup-events\s*$/,
    says: 'on a fresh server the first lookup-events answers the three IAM records of the first start, by root',
    check: (run) => {
      const { Events } = JSON.parse(run.stdout) as { Events: { EventName: string; Username: string; EventSource: string }[] };
      expect(Events.map((e) => [e.EventName, e.Username, e.EventSource])).toEqual([
        ['CreateAccessKey', 'root', 'iam.amazonaws.com'],
        ['AttachUserPolicy', 'root', 'iam.amazonaws.com'],
        ['CreateUser', 'root', 'iam.amazonaws.com'],
      ]);
    },
  },
  {
    block: "--query 'Events[].[EventName,Username]'",
    says: 'asked again, the history holds that first lookup, by admin, above the first start',
    check: (run) => expect(run.stdout.trim().split('\n')).toEqual(['LookupEvents\tadmin', 'CreateAccessKey\troot', 'AttachUserPolicy\troot', 'CreateUser\troot']),
  },
  {
    block: 'AttributeValue=audit-1',
    says: 'the call made with the assumed role\'s session is in the history under the session name: "DescribeTrails<TAB>audit-1"',
    check: (run) => expect(run.stdout.trim().split('\n').at(-1)).toBe('DescribeTrails\taudit-1'),
  },
  {
    block: 'organizations list-accounts',
    says: 'the organization lists the management account and the account created in it',
    check: (run) => {
      const names = run.stdout.trim().split('\n').filter((line) => /^\d{12}\t/.test(line)).map((line) => line.split('\t')[1]);
      expect(names).toContain('team-c');
      expect(names.length).toBe(2);
    },
  },
  {
    block: 'AttributeValue=LookupEvents',
    says: 'the AWS CLI finds the LookupEvents calls made so far',
    check: (run) => {
      const { Events } = JSON.parse(run.stdout) as { Events: { EventName: string }[] };
      expect(Events.length).toBeGreaterThanOrEqual(2);
      expect(new Set(Events.map((event) => event.EventName))).toEqual(new Set(['LookupEvents']));
    },
  },
  {
    block: 'AWS_ENDPOINT_URL_CLOUDTRAIL=',
    says: 'with the variables set, `aws cloudtrail` needs no options',
    check: (run) => expect((JSON.parse(run.stdout) as { Events: unknown[] }).Events).toHaveLength(1),
  },
  {
    block: 'new CloudTrailClient(',
    says: 'the AWS SDK for JavaScript reads the history with the opentrail profile',
    check: (run) => expect(run.stdout).toContain("'LookupEvents'"),
  },
  {
    block: 'boto3.Session(profile_name="opentrail")',
    says: 'boto3 pages through the history',
    check: (run) => {
      const counts = run.stdout.trim().split('\n').map(Number);
      expect(counts.every((n) => Number.isInteger(n))).toBe(true);
      expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    },
  },
  {
    block: 'cloudtrail-data put-audit-events',
    says: 'PutAuditEvents answers refund-1 under successful, nothing failed',
    check: (run) => {
      const answer = JSON.parse(run.stdout) as { successful: { id: string; eventID: string }[]; failed: unknown[] };
      expect(answer.failed).toEqual([]);
      expect(answer.successful.map((s) => s.id)).toEqual(['refund-1']);
    },
  },
  {
    block: 'AttributeValue=ApproveRefund',
    says: 'the custom event is in the history at once: ApproveRefund, alice, payments.example.com',
    check: (run) => expect(run.stdout.trim()).toBe('ApproveRefund\talice\tpayments.example.com'),
  },
  {
    block: 'create-trail --name main',
    says: 'get-trail-status shows "IsLogging": true, and a log file is in the bucket folder a delivery interval later',
    check: (run) => expect(run.stdout).toContain('"IsLogging": true'),
    eventually: () => filesUnder(trailFolder()).some(isLogFile),
  },
  {
    block: "find data/buckets/my-trail-bucket -name '*.json.gz'",
    says: 'find lists the log file, which holds StartLogging and the calls after it',
    check: (run) => {
      const files = run.stdout.trim().split('\n').filter((line) => line !== '');
      expect(files.length).toBeGreaterThan(0);
      const records = files
        .map((file) => gunzipSync(readFileSync(join(workDir, file))).toString('utf8'))
        .flatMap((text) => (JSON.parse(text) as { Records: { eventName: string }[] }).Records);
      expect(records.map((record) => record.eventName)).toContain('StartLogging');
    },
  },
  {
    block: 'update-trail --name main --enable-log-file-validation',
    says: 'with --digest-interval 15 the first digest follows within seconds',
    eventually: () => filesUnder(trailFolder()).some(isDigest),
  },
  {
    block: /^npx opentrail validate-logs[^]*TRAIL_ARN/m,
    says: 'opentrail validate-logs validates the trail on the folder store',
    check: (run) => {
      expectAllValid(run.stdout, 1);
      expect(run.stdout).toMatch(/^Merkle tree\tus-east-1\tvalid/m);
    },
  },
  {
    block: 's3 mb s3://my-s3-trail-bucket',
    says: 'the trail on S3 writes its first digest within seconds',
    eventually: async () => (await s3Keys('my-s3-trail-bucket')).some((key) => key.includes('/CloudTrail-Digest/')),
  },
  {
    block: 'cloudtrail validate-logs --trail-arn "$CHECKED_ARN"',
    says: 'the stock aws cloudtrail validate-logs and opentrail validate-logs --object-store s3: both find the trail valid',
    check: (run) => {
      expectAllValid(run.stdout, 2);
      expect(run.stdout).toMatch(/^Merkle tree\tus-east-1\tvalid/m);
    },
  },
  {
    block: 'accounts create --account-id 210987654321',
    says: 'the account, its user, a key and the policy exist',
    check: (run) => {
      expect(run.stdout).toMatch(/^210987654321$/m);
      expect(run.stdout).toMatch(/^AKIA[A-Z0-9]{16}\tauditor\tActive\t/m);
      expect(run.stdout).toMatch(/^no-lookups\t/m);
    },
  },
  {
    block: 'events import --account-id 210987654321',
    says: "the trail's log files are imported, and both buckets are listed",
    check: (run) => {
      const imported = /^imported (\d+) new records into account 210987654321 /m.exec(run.stdout);
      expect(imported, run.stdout).not.toBeNull();
      expect(Number(imported![1])).toBeGreaterThan(0);
      expect(run.stdout).toMatch(/^my-trail-bucket$/m);
      expect(run.stdout).toMatch(/^team-b-bucket$/m);
    },
  },
];

function claimMatches(claim: Claim, block: ReadmeBlock): boolean {
  return block.mode !== 'skip' && (typeof claim.block === 'string' ? block.text.includes(claim.block) : claim.block.test(block.text));
}

async function eventually(claim: Claim, block: ReadmeBlock): Promise<void> {
  const deadline = Date.now() + EVENTUALLY_MS;
  while (!(await claim.eventually!())) {
    if (Date.now() > deadline) throw new Error(`README.md:${block.line}: not so after ${EVENTUALLY_MS / 1000} s: ${claim.says}\n--- server output\n${server?.output() ?? ''}`);
    await new Promise((done) => setTimeout(done, 250));
  }
}

// ---------------------------------------------------------------------------------------------

beforeAll(async () => {
  workDir = realpathSync(mkdtempSync(join(tmpdir(), 'opentrail-readme-')));
  dataDir = join(workDir, 'data');
  stateFile = join(workDir, '.readme-test-exports');
  // The checkout's dependencies, as where a user runs the README (the ts example imports the SDK).
  symlinkSync(join(ROOT, 'node_modules'), join(workDir, 'node_modules'));
  mkdirSync(join(workDir, 'no-aws'));
  baseEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    // No AWS or OpenTrail configuration of the machine running the test leaks in.
    if (value === undefined || name.startsWith('OPENTRAIL_') || (name.startsWith('AWS_') && name !== 'AWS_CA_BUNDLE')) continue;
    baseEnv[name] = value;
  }
  Object.assign(baseEnv, {
    AWS_CONFIG_FILE: join(workDir, 'no-aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(workDir, 'no-aws', 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    README_TEST_STATE: stateFile,
    README_TEST_BIN: BIN,
  });
  if (hasMoto) {
    moto = await startMoto();
    s3 = new S3Client(moto.clientConfig);
  }
}, SERVER_START_MS);

afterAll(async () => {
  await server?.stop();
  s3?.destroy();
  await moto?.stop();
  if (workDir !== '') rmSync(workDir, { recursive: true, force: true });
}, SERVER_STOP_MS + 10_000);

describe('README.md', () => {
  it('has a block for every outcome this test checks, exactly one each', () => {
    for (const claim of claims) {
      const found = blocks.filter((block) => claimMatches(claim, block)).map((block) => `README.md:${block.line}`);
      expect(found, `claim "${claim.says}" (block matching ${String(claim.block)})`).toHaveLength(1);
    }
  });

  it('npm start is the built `opentrail serve`, as the test runs it', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toBe(`npm run build --silent && node ${SERVER_NODE_FLAGS.join(' ')} bin/opentrail.js serve`);
  });

  it('npx opentrail, in the checkout, is bin/opentrail.js, as the test runs it', async () => {
    const child = spawn('npx', ['--offline', 'opentrail', '--help'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const status = await new Promise<number | null>((done) => child.once('close', done));
    clearTimeout(timer);
    expect(status).toBe(0);
    expect(stdout).toContain('Usage: opentrail');
  }, 70_000);

  let broken: string | undefined;
  let serverStarts = 0;
  const bannerSample = blocks.find((block) => block.lang === '' && block.text.startsWith('OpenTrail listening on'));

  for (const block of blocks) {
    if (block.lang === '') continue; // output, not commands; the banner sample is checked with the first start
    const title = `README.md:${block.line} (${block.lang}${block.mode === 'run' ? '' : `, ${block.mode}`}) ${firstLine(block)}`;
    if (block.mode === 'skip') {
      it.skip(`${title} [readme-test: skip (${block.reason})]`, () => undefined);
      continue;
    }
    const peerMissing = !hasAwsCli || (mentions(block.text, DOCUMENTED_MOTO) && !hasMoto) || (block.lang === 'python' && !hasBoto3);
    it.skipIf(peerMissing)(title, async () => {
      if (broken !== undefined) throw new Error(`not run: an earlier block failed (${broken})`);
      broken = title;
      if (block.mode === 'server') {
        await server?.stop();
        server = undefined;
        server = await startReadmeServer(block);
        serverStarts++;
        if (serverStarts === 1 && bannerSample !== undefined) {
          // The README's sample of what the first start prints.
          const patterns = bannerPatterns(bannerSample.text, dataDir, server.address);
          const deadline = Date.now() + 10_000;
          let match = matchesInOrder(server.output(), patterns);
          while (!match.ok && Date.now() < deadline) {
            await new Promise((done) => setTimeout(done, 100));
            match = matchesInOrder(server.output(), patterns);
          }
          expect(match.ok, `README.md:${bannerSample.line}: the banner sample does not match what the first start printed:\n${server.output()}\n(first line not found: ${match.ok ? '' : String(match.missing)})`).toBe(true);
        }
      } else {
        if (server === undefined) throw new Error(`README.md:${block.line}: no server runs yet (a "readme-test: server" block must start one before)`);
        const text = substituteAddresses(block.text, server.address, moto?.url.replace('http://', ''));
        const run = await runBash(scriptFor(block, text), baseEnv, BLOCK_TIMEOUT_MS);
        expect(run.status === 0 && !run.timedOut, `README.md:${block.line}:\n${text}\n${describeRun(run)}`).toBe(true);
        for (const claim of claims.filter((c) => claimMatches(c, block))) {
          try {
            claim.check?.(run);
          } catch (error) {
            throw new Error(`README.md:${block.line}: the README says ${claim.says}; not so:\n${(error as Error).message}\n${describeRun(run)}`);
          }
          if (claim.eventually !== undefined) await eventually(claim, block);
        }
      }
      broken = undefined;
    }, BLOCK_TIMEOUT_MS + EVENTUALLY_MS + SERVER_START_MS);
  }
});
