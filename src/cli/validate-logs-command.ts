/**
 * `opentrail validate-logs`: `aws cloudtrail validate-logs` with the same arguments, output and
 * exit status, plus OpenTrail's Merkle tree checks (src/integrity/validate). DescribeTrails and
 * ListPublicKeys go to the OpenTrail server (`--endpoint-url`, credentials from the usual AWS
 * chain); the files are read from the object store the server delivers to.
 *
 * Decisions:
 * - `--object-store` defaults to where `opentrail serve` delivers under the same configuration
 *   (`--config`, OPENTRAIL_OBJECT_STORE; else `file:` under `--data-dir`). `s3:` reads any S3
 *   API configured like the AWS tools (AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, AWS_REGION).
 * - `--trusted-digest <path>`: a digest file kept from earlier (as stored, gzipped, or its JSON);
 *   its signature is `--trusted-digest-signature <hex>`, else the hex in `<path>.signature`.
 * - The region (`--region`, else AWS_REGION / AWS_DEFAULT_REGION, else the trail ARN's) is both
 *   the CloudTrail client's and the region whose digests are validated, as for the CLI.
 * - Organization trails: as for the CLI, `--account-id` names the account whose files are
 *   validated (required). The organization id is `--organization-id`, else the organization the
 *   trail's owner manages in the server's store under `--data-dir` (./organization-of-trail.ts).
 * - Backfill digests are not supported.
 */
import { CloudTrailClient, DescribeTrailsCommand, ListPublicKeysCommand } from '@aws-sdk/client-cloudtrail';
import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../config/config.js';
import { parseObjectStoreUrl } from '../config/object-store-url.js';
import {
  DEFAULT_CONCURRENCY,
  parseTimeArgument,
  parseTrailArn,
  printResult,
  startupText,
  ValidationAbort,
  validateTrail,
} from '../integrity/validate/index.js';
import type { PublicKey, TrustedDigestInput } from '../integrity/validate/index.js';
import { ObjectStoreError } from '../objects/object-store.js';
import type { ObjectStore } from '../objects/object-store.js';

interface ValidateLogsOptions {
  trailArn: string;
  startTime: string;
  endTime?: string;
  s3Bucket?: string;
  s3Prefix?: string;
  accountId?: string;
  organizationId?: string;
  verbose?: boolean;
  endpointUrl?: string;
  region?: string;
  profile?: string;
  objectStore?: string;
  dataDir?: string;
  config?: string;
  trustedDigest?: string;
  trustedDigestSignature?: string;
  concurrency?: string;
  /** false with --no-unlisted-check. */
  unlistedCheck?: boolean;
}

/** A user-facing failure: one line on stderr, exit status 1. */
class UsageError extends Error {}

function configOf(options: ValidateLogsOptions) {
  return loadConfig(
    { ...(options.dataDir !== undefined && { dataDir: options.dataDir }), ...(options.objectStore !== undefined && { objectStore: options.objectStore }) },
    process.env,
    options.config,
  );
}

/** The organization id an organization trail's files lie under. */
async function organizationId(options: ValidateLogsOptions, ownerAccountId: string): Promise<string> {
  if (options.organizationId !== undefined) return options.organizationId;
  // Loaded only here: it opens the server's database (SQLite or PostgreSQL drivers).
  const { organizationOfTrailOwner } = await import('./organization-of-trail.js');
  const found = await organizationOfTrailOwner(configOf(options), ownerAccountId);
  if ('problem' in found) throw new UsageError(`${found.problem}; give --organization-id <o-id>`);
  return found.orgId;
}

/** The store to read; each adapter is loaded only when chosen (the S3 client alone takes a while to load). */
async function objectStore(options: ValidateLogsOptions): Promise<ObjectStore & { destroy?: () => void }> {
  const config = configOf(options);
  const url = config.objectStore;
  const location = parseObjectStoreUrl(url);
  if (location.kind === 's3') {
    const { S3ObjectStore } = await import('../objects/s3-object-store.js');
    return new S3ObjectStore();
  }
  // Reading never creates a master key: without one, only sealed (aws:kms) objects fail to open.
  const keyFile = join(config.dataDir, 'master.key');
  const { FileObjectStore, fileStoreRoot } = await import('../objects/file-object-store.js');
  if ((config.masterKey !== undefined && config.masterKey !== '') || existsSync(keyFile)) {
    const { SecretBox } = await import('../iam/secret-box.js');
    return new FileObjectStore({ root: location.root ?? fileStoreRoot(config.dataDir), secretBox: SecretBox.open(config.masterKey, keyFile) });
  }
  return new FileObjectStore({ root: location.root ?? fileStoreRoot(config.dataDir) });
}

function trustedDigest(options: ValidateLogsOptions): TrustedDigestInput | undefined {
  const path = options.trustedDigest;
  if (path === undefined) return undefined;
  let signature = options.trustedDigestSignature;
  if (signature === undefined) {
    if (!existsSync(`${path}.signature`)) {
      throw new UsageError(`no signature for the trusted digest: pass --trusted-digest-signature <hex> or put it in ${path}.signature`);
    }
    signature = readFileSync(`${path}.signature`, 'utf8').trim();
  }
  return { path, body: readFileSync(path), signature };
}

function cloudTrail(region: string, endpointUrl: string | undefined) {
  const client = new CloudTrailClient({ region, ...(endpointUrl !== undefined && { endpoint: endpointUrl }) });
  return {
    client,
    async trail(arn: string) {
      const { trailList = [] } = await client.send(new DescribeTrailsCommand({}));
      const trail = trailList.find((t) => t.TrailARN === arn);
      if (trail === undefined) throw new UsageError(`A trail could not be found for ${arn}`);
      return trail;
    },
    async publicKeys(startMs: number, endMs: number): Promise<PublicKey[]> {
      const keys: PublicKey[] = [];
      let NextToken: string | undefined;
      do {
        const page = await client.send(new ListPublicKeysCommand({ StartTime: new Date(startMs), EndTime: new Date(endMs), ...(NextToken !== undefined && { NextToken }) }));
        for (const key of page.PublicKeyList ?? []) {
          if (key.Fingerprint !== undefined && key.Value !== undefined) keys.push({ fingerprint: key.Fingerprint, der: Buffer.from(key.Value) });
        }
        NextToken = page.NextToken;
      } while (NextToken !== undefined && NextToken !== '');
      return keys;
    },
  };
}

/** `[#####-----] 12/40 files` on stderr, redrawn at most every 100 ms; only on a terminal. */
function progressBar(): { update(done: number, total: number): void; clear(): void } {
  if (process.stderr.isTTY !== true) return { update: () => undefined, clear: () => undefined };
  let drawnAt = 0;
  return {
    update(done, total) {
      const now = Date.now();
      if (now - drawnAt < 100 && done < total) return;
      drawnAt = now;
      const width = 30;
      const filled = total === 0 ? 0 : Math.round((done / total) * width);
      process.stderr.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} files`);
    },
    clear() {
      if (drawnAt !== 0) process.stderr.write('\r\x1b[K');
    },
  };
}

async function run(options: ValidateLogsOptions): Promise<void> {
  let startMs: number;
  let endMs: number;
  let arn: ReturnType<typeof parseTrailArn>;
  try {
    arn = parseTrailArn(options.trailArn);
    startMs = parseTimeArgument(options.startTime);
    endMs = options.endTime === undefined ? Date.now() : parseTimeArgument(options.endTime);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (startMs > endMs) throw new UsageError('Invalid time range specified: start-time must occur before end-time');
  const concurrency = options.concurrency === undefined ? DEFAULT_CONCURRENCY : Number(options.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError(`--concurrency must be a positive integer, got "${options.concurrency}"`);
  if (options.profile !== undefined) process.env.AWS_PROFILE = options.profile;
  const region = options.region ?? (process.env.AWS_REGION || undefined) ?? (process.env.AWS_DEFAULT_REGION || undefined) ?? arn.homeRegion;
  const trusted = trustedDigest(options);
  const store = await objectStore(options);
  const cloudtrail = cloudTrail(region, options.endpointUrl);
  const progress = progressBar();
  try {
    let bucket = options.s3Bucket;
    let prefix = options.s3Prefix;
    let organization = options.organizationId;
    if (bucket === undefined) {
      const trail = await cloudtrail.trail(options.trailArn);
      if (trail.S3BucketName === undefined) throw new UsageError(`trail ${options.trailArn} has no S3 bucket`);
      bucket = trail.S3BucketName;
      prefix = trail.S3KeyPrefix;
      if (trail.IsOrganizationTrail === true) {
        if (options.accountId === undefined) throw new UsageError("Missing required parameter for organization trail: '--account-id'");
        organization = await organizationId(options, arn.accountId);
      }
    }
    process.stdout.write(startupText(options.trailArn, startMs, endMs));
    const result = await validateTrail({
      reader: store,
      publicKeys: async (start, end) => cloudtrail.publicKeys(start, end),
      trailArn: options.trailArn,
      bucket,
      prefix,
      accountId: options.accountId,
      organizationId: organization,
      sourceRegion: region,
      startMs,
      endMs,
      trusted,
      concurrency,
      checkUnlisted: options.unlistedCheck !== false,
      onProgress: (done, total) => progress.update(done, total),
    });
    progress.clear();
    printResult(result, { startMs, endMs, verbose: options.verbose === true }, {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
    });
    if (!result.ok) process.exitCode = 1;
  } catch (error) {
    progress.clear();
    if (error instanceof ValidationAbort) throw new UsageError(error.message);
    if (error instanceof ObjectStoreError) throw new UsageError(`${error.message} (object store ${store.kind}:; choose one with --object-store)`);
    throw error;
  } finally {
    cloudtrail.client.destroy();
    store.destroy?.();
  }
}

export function registerValidateLogsCommand(program: Command): void {
  program
    .command('validate-logs')
    .description("validate a trail's log and digest files (aws cloudtrail validate-logs, plus the Merkle tree)")
    .requiredOption('--trail-arn <arn>', 'ARN of the trail to validate')
    .requiredOption('--start-time <time>', 'validate files delivered on or after this UTC time (2015-01-08T05:21:42Z)')
    .option('--end-time <time>', 'validate files delivered on or before this UTC time (default: now)')
    .option('--s3-bucket <bucket>', "bucket of the digests (default: the trail's, from DescribeTrails)")
    .option('--s3-prefix <prefix>', "key prefix of the digests (default: the trail's)")
    .option('--account-id <id>', "account whose files are validated (default: the trail ARN's; required for an organization trail)")
    .option('--organization-id <o-id>', "an organization trail's organization (default: the one its owner manages in the store under --data-dir)")
    .option('--verbose', 'print a line for every valid file too')
    .option('--endpoint-url <url>', 'the OpenTrail server answering DescribeTrails and ListPublicKeys')
    .option('--region <region>', "region of the CloudTrail client and of the digests (default: AWS_REGION, else the trail ARN's)")
    .option('--profile <name>', 'AWS profile for the credentials (default: the usual AWS chain)')
    .option('--object-store <url>', 'where the files are: s3: (any S3 API, configured like the AWS tools) or file: (default: the server configuration, else file:)')
    .option('--data-dir <dir>', 'data directory of the file: store (or OPENTRAIL_DATA_DIR; default ./data)')
    .option('--config <file>', 'OpenTrail JSON configuration file (or OPENTRAIL_CONFIG)')
    .option('--trusted-digest <path>', 'a digest file kept earlier: the bucket must still hold its tree (detects tail truncation)')
    .option('--trusted-digest-signature <hex>', "the trusted digest's signature (default: the contents of <path>.signature)")
    .option('--concurrency <n>', `files read and hashed at once (default ${DEFAULT_CONCURRENCY})`)
    .option('--no-unlisted-check', 'do not look for log files that no digest lists (e.g. a prefix shared with a trail without validation)')
    .action(async (options: ValidateLogsOptions) => {
      try {
        await run(options);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        process.stderr.write(`opentrail validate-logs: ${error.message}\n`);
        process.exitCode = 1;
      }
    });
}
