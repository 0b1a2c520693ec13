/**
 * The gateway interop tests' setup: a moto server as the upstream of every gatewayed service,
 * an OpenTrail server in front of it, and the stock AWS CLI / boto3 signed with the server's
 * `opentrail` profile (test/support/profile-env.ts), as a user would run them.
 */
import { spawnSync } from 'node:child_process';
import type { SpawnSyncReturns } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bucketKeys, readLogFile } from './log-files.js';
import type { MotoServer } from './moto.js';
import { serverProfileEnv } from './profile-env.js';
import type { ServerProcess } from './server-process.js';
import { startServer } from './server-process.js';

export type Json = { [member: string]: unknown };

/** The services the interop tests send through the gateway, all to the one moto server. */
export const GATEWAYED = ['s3', 'ec2', 'kms', 'sqs', 'dynamodb'] as const;

export async function startGatewayServer(moto: MotoServer, accountId: string): Promise<ServerProcess> {
  return startServer({
    accountId,
    args: [...GATEWAYED.flatMap((service) => ['--upstream', `${service}=${moto.url}`]), '--delivery-interval', '1'],
    // The upstream's own credentials come from the server's AWS credential chain.
    env: { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' },
  });
}

export interface AwsCli {
  /** `aws --endpoint-url <server> ...` with the opentrail profile; throws with stderr unless it exits 0. */
  ok(...args: string[]): string;
  /** The same, returning the JSON it printed. */
  json<T = Json>(...args: string[]): T;
  /** The same, whatever its exit status. */
  run(...args: string[]): SpawnSyncReturns<string>;
  /** `aws --endpoint-url <moto> ...` with moto's credentials: the upstream seen directly. */
  direct(...args: string[]): string;
}

/**
 * The AWS CLI against the server. The config file sets only `s3.signature_version = s3v4`
 * when `s3v4` is given (presigned URLs; see the presign test), else it is absent.
 */
export function awsCli(server: ServerProcess, moto: MotoServer, options: { configDir?: string; s3v4?: boolean } = {}): AwsCli {
  const env = serverProfileEnv(server.dataDir);
  if (options.s3v4 === true && options.configDir !== undefined) {
    const config = join(options.configDir, 'aws-config');
    writeFileSync(config, '[profile opentrail]\ns3 =\n  signature_version = s3v4\n');
    env.AWS_CONFIG_FILE = config;
  }
  const run = (...args: string[]) =>
    spawnSync('aws', ['--profile', 'opentrail', '--region', 'us-east-1', '--endpoint-url', server.url, '--output', 'json', ...args], {
      encoding: 'utf8',
      env,
      timeout: 120_000,
      maxBuffer: 64 * 1024 * 1024,
    });
  const ok = (...args: string[]) => {
    const result = run(...args);
    if (result.status !== 0) throw new Error(`aws ${args.join(' ')} exited ${result.status ?? result.signal}: ${result.stderr}`);
    return result.stdout;
  };
  return {
    run,
    ok,
    json: <T>(...args: string[]) => JSON.parse(ok(...args)) as T,
    direct: (...args: string[]) => {
      const { AWS_PROFILE: _none, ...rest } = serverProfileEnv(server.dataDir);
      const result = spawnSync('aws', ['--region', 'us-east-1', '--endpoint-url', moto.url, '--output', 'json', ...args], {
        encoding: 'utf8',
        env: { ...rest, AWS_SHARED_CREDENTIALS_FILE: join(server.dataDir, 'no-such-credentials'), ...moto.env },
        timeout: 120_000,
        maxBuffer: 64 * 1024 * 1024,
      });
      if (result.status !== 0) throw new Error(`aws (moto) ${args.join(' ')} exited ${result.status ?? result.signal}: ${result.stderr}`);
      return result.stdout;
    },
  };
}

/** A python3 snippet with the server's profile in its environment; argv[1] is the server's URL. Its stdout as JSON. */
export function python(server: ServerProcess, script: string, ...args: string[]): Json {
  const result = spawnSync('python3', ['-c', script, server.url, ...args], { encoding: 'utf8', env: serverProfileEnv(server.dataDir), timeout: 120_000 });
  if (result.status !== 0) throw new Error(`python3 exited ${result.status ?? result.signal}: ${result.stderr}`);
  return JSON.parse(result.stdout) as Json;
}

/** Every record the trails delivered into a file-store bucket of the server (under `prefix`). */
export function deliveredRecords(server: ServerProcess, bucket: string, prefix = ''): Json[] {
  const dir = join(server.dataDir, 'buckets', bucket);
  return bucketKeys(dir)
    .filter((key) => key.startsWith(prefix) && key.endsWith('.json.gz') && key.includes('/CloudTrail/'))
    .flatMap((key) => readLogFile(dir, key) as Json[]);
}

export interface LookedUp {
  EventName: string;
  EventSource: string;
  Resources?: { ResourceType?: string; ResourceName?: string }[];
  record: Json;
}

/** `aws cloudtrail lookup-events` for one event name, with each record parsed. */
export function lookupEvents(cli: AwsCli, eventName: string): LookedUp[] {
  const page = cli.json<{ Events: (Omit<LookedUp, 'record'> & { CloudTrailEvent: string })[] }>(
    'cloudtrail',
    'lookup-events',
    '--lookup-attributes',
    `AttributeKey=EventName,AttributeValue=${eventName}`,
    '--max-results',
    '50',
  );
  return page.Events.map(({ CloudTrailEvent, ...event }) => ({ ...event, record: JSON.parse(CloudTrailEvent) as Json }));
}
