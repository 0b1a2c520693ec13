/**
 * An organization trail checked by the stock AWS CLI. The management account makes an
 * organization and a member account through OpenTrail's Organizations API (the SDK's
 * OrganizationsClient), then an organization trail delivering to a moto S3 bucket; both
 * accounts make calls. `aws cloudtrail validate-logs --account-id <member>` then walks the
 * member's own digest chain under AWSLogs/<org-id>/<member>/, asking OpenTrail for the trail
 * (DescribeTrails, as the member sees it), the organization id (DescribeOrganization, through
 * AWS_ENDPOINT_URL_ORGANIZATIONS) and the public keys, and moto for the objects
 * (AWS_ENDPOINT_URL_S3). The member's DeleteTrail of the organization trail is refused and
 * shows in the member's own `aws cloudtrail lookup-events`.
 */
import { CreateTrailCommand, LookupEventsCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CreateAccountCommand, CreateOrganizationCommand } from '@aws-sdk/client-organizations';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudTrailClient, organizationsClient } from '../support/clients.js';
import { eventually } from '../support/log-files.js';
import { motoAvailable, startMoto } from '../support/moto.js';
import type { MotoServer } from '../support/moto.js';
import { awsCliAvailable } from '../support/peers.js';
import { runAdminCli } from '../support/admin-cli.js';
import { BIN, startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

const hasAwsCli = awsCliAvailable();
const hasMoto = motoAvailable();
const BUCKET = 'organization-trail';
const MANAGEMENT = '111122223333';
const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${MANAGEMENT}:trail/org-validated`;

interface Key {
  accessKeyId: string;
  secretAccessKey: string;
}

let moto: MotoServer;
let server: ServerProcess;
let s3: S3Client;
let orgs: OrganizationsClient;
let managementTrails: CloudTrailClient;
let memberTrails: CloudTrailClient;
let orgId: string;
let memberId: string;
let startedAt: Date;
let credentialsFile: string;
let memberKey: Key;

const sleep = async (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function opentrail(...args: string[]): string {
  return runAdminCli(server.dataDir, ...args);
}

/** A user of the account allowed CloudTrail and Organizations by its own policy, and its key. */
function administrator(accountId: string, userName: string): Key {
  const document = join(server.dataDir, `${userName}-${accountId}.json`);
  writeFileSync(document, JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['cloudtrail:*', 'organizations:*'], Resource: '*' }] }));
  opentrail('users', 'create', '--account-id', accountId, '--user-name', userName);
  opentrail('policies', 'attach', '--account-id', accountId, '--user-name', userName, '--policy-name', 'admin', '--document', document);
  const [, line] = opentrail('keys', 'create', '--account-id', accountId, '--user-name', userName).trim().split('\n');
  const [accessKeyId, secretAccessKey] = line!.split('\t');
  return { accessKeyId: accessKeyId!, secretAccessKey: secretAccessKey! };
}

async function activity(clients: CloudTrailClient[], seconds: number): Promise<void> {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    for (const client of clients) await client.send(new LookupEventsCommand({ MaxResults: 1 }));
    await sleep(200);
  }
}

async function keysUnder(prefix: string): Promise<string[]> {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (out.Contents ?? []).map((o) => o.Key!);
}

async function digestJson(key: string): Promise<{ awsAccountId: string; digestS3Object: string; logFiles: { s3Object: string }[] }> {
  const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return JSON.parse(gunzipSync(Buffer.from(await object.Body!.transformToByteArray())).toString()) as { awsAccountId: string; digestS3Object: string; logFiles: { s3Object: string }[] };
}

/** The stock CLI as `profile` (a section of our credentials file), S3 at moto, CloudTrail and Organizations at OpenTrail. */
function aws(profile: string, args: string[]) {
  return spawnSync('aws', ['--profile', profile, '--region', 'us-east-1', ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
      AWS_CONFIG_FILE: join(server.dataDir, 'no-such-config'),
      AWS_ENDPOINT_URL_S3: moto.url,
      AWS_ENDPOINT_URL_ORGANIZATIONS: server.url,
      AWS_ENDPOINT_URL_CLOUDTRAIL: server.url,
      AWS_PROFILE: '',
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
    },
    timeout: 120_000,
  });
}

function validateLogs(profile: string, accountId: string) {
  return aws(profile, ['cloudtrail', 'validate-logs', '--trail-arn', TRAIL_ARN, '--account-id', accountId, '--start-time', startedAt.toISOString(), '--verbose']);
}

beforeAll(async () => {
  if (!hasAwsCli || !hasMoto) return;
  moto = await startMoto();
  s3 = new S3Client(moto.clientConfig);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  server = await startServer({ accountId: MANAGEMENT, args: ['--delivery-interval', '1', '--digest-interval', '2', '--object-store', 's3:'], env: moto.env });

  const managementKey = administrator(MANAGEMENT, 'org-admin');
  orgs = organizationsClient(server, managementKey);
  orgId = (await orgs.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }))).Organization!.Id!;
  const created = await orgs.send(new CreateAccountCommand({ AccountName: 'member', Email: 'member@example.com' }));
  expect(created.CreateAccountStatus).toMatchObject({ State: 'SUCCEEDED' });
  memberId = created.CreateAccountStatus!.AccountId!;
  memberKey = administrator(memberId, 'member-admin');
  credentialsFile = join(server.dataDir, 'org-credentials');
  writeFileSync(
    credentialsFile,
    [
      `[management]\naws_access_key_id = ${managementKey.accessKeyId}\naws_secret_access_key = ${managementKey.secretAccessKey}`,
      `[member]\naws_access_key_id = ${memberKey.accessKeyId}\naws_secret_access_key = ${memberKey.secretAccessKey}`,
    ].join('\n') + '\n',
  );
  managementTrails = cloudTrailClient(server, managementKey);
  memberTrails = cloudTrailClient(server, memberKey);

  startedAt = new Date(Date.now() - 60_000);
  await managementTrails.send(new CreateTrailCommand({ Name: 'org-validated', S3BucketName: BUCKET, IsOrganizationTrail: true, EnableLogFileValidation: true }));
  await managementTrails.send(new StartLoggingCommand({ Name: 'org-validated' }));
  await activity([managementTrails, memberTrails], 5);
  // A digest of the member's chain that lists files, and one after it.
  const memberDigests = `AWSLogs/${orgId}/${memberId}/CloudTrail-Digest/us-east-1/`;
  await eventually(
    async () => {
      const keys = await keysUnder(memberDigests);
      const withFiles = await Promise.all(keys.map(async (k) => (await digestJson(k)).logFiles.length > 0));
      return withFiles.filter(Boolean).length >= 2 ? true : undefined;
    },
    30_000,
    "two digests of the member's files",
  );
}, 120_000);

afterAll(async () => {
  orgs?.destroy();
  managementTrails?.destroy();
  memberTrails?.destroy();
  s3?.destroy();
  await server?.stop();
  await moto?.stop();
});

describe.skipIf(!hasAwsCli || !hasMoto)('an organization trail and the stock AWS CLI', () => {
  it("delivers the member's files and digests under AWSLogs/<org-id>/<member>/, the digests naming the member", async () => {
    const logs = await keysUnder(`AWSLogs/${orgId}/${memberId}/CloudTrail/us-east-1/`);
    expect(logs.length).toBeGreaterThan(0);
    const digests = await keysUnder(`AWSLogs/${orgId}/${memberId}/CloudTrail-Digest/us-east-1/`);
    const digest = await digestJson(digests.at(-1)!);
    expect(digest).toMatchObject({ awsAccountId: memberId, digestS3Object: digests.at(-1) });
    expect(await keysUnder(`AWSLogs/${memberId}/`)).toEqual([]);
  });

  it('validate-logs --account-id <member> passes, run by the member', () => {
    const result = validateLogs('member', memberId);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    const digests = /(\d+)\/(\d+) digest files valid/.exec(result.stdout);
    expect(digests, result.stdout).not.toBeNull();
    expect(Number(digests![1])).toBeGreaterThanOrEqual(2);
    expect(digests![1]).toBe(digests![2]);
    const logs = /(\d+)\/(\d+) log files valid/.exec(result.stdout);
    expect(logs, result.stdout).not.toBeNull();
    expect(logs![1]).toBe(logs![2]);
    expect(result.stdout).toContain(`s3://${BUCKET}/AWSLogs/${orgId}/${memberId}/CloudTrail/`);
    expect(result.stdout + result.stderr).not.toContain('INVALID');
  });

  it("validate-logs --account-id <management> passes too, on the management account's own chain", () => {
    const result = validateLogs('management', MANAGEMENT);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/(\d+)\/\1 digest files valid/);
    expect(result.stdout).toContain(`s3://${BUCKET}/AWSLogs/${orgId}/${MANAGEMENT}/CloudTrail/`);
    expect(result.stdout + result.stderr).not.toContain('INVALID');
  });

  it("opentrail validate-logs --account-id <member> passes too, with the Merkle checks, the organization read from the server's store", () => {
    const result = spawnSync(
      process.execPath,
      [BIN, 'validate-logs', '--endpoint-url', server.url, '--object-store', 's3:', '--data-dir', server.dataDir, '--trail-arn', TRAIL_ARN, '--account-id', memberId, '--start-time', startedAt.toISOString()],
      {
        encoding: 'utf8',
        env: {
          ...process.env,
          ...moto.env,
          AWS_ACCESS_KEY_ID: memberKey.accessKeyId,
          AWS_SECRET_ACCESS_KEY: memberKey.secretAccessKey,
          AWS_ENDPOINT_URL_S3: moto.url,
          AWS_REGION: 'us-east-1',
          AWS_CONFIG_FILE: join(server.dataDir, 'no-such-config'),
          AWS_SHARED_CREDENTIALS_FILE: join(server.dataDir, 'no-such-credentials'),
        },
        timeout: 120_000,
      },
    );
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/(\d+)\/\1 digest files valid/);
    expect(result.stdout).toMatch(/(\d+)\/\1 log files valid/);
    expect(result.stdout + result.stderr).not.toContain('INVALID');
  });

  it('without --account-id validate-logs asks for it, as for any organization trail', () => {
    const result = aws('member', ['cloudtrail', 'validate-logs', '--trail-arn', TRAIL_ARN, '--start-time', startedAt.toISOString()]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('--account-id');
  });

  it("a member's delete-trail is refused and shows in the member's lookup-events with its errorCode", () => {
    const refused = aws('member', ['cloudtrail', 'delete-trail', '--name', TRAIL_ARN]);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('NotOrganizationMasterAccountException');
    const looked = aws('member', ['cloudtrail', 'lookup-events', '--lookup-attributes', 'AttributeKey=EventName,AttributeValue=DeleteTrail', '--output', 'json']);
    expect(looked.status, looked.stderr).toBe(0);
    const events = (JSON.parse(looked.stdout) as { Events: { CloudTrailEvent: string }[] }).Events.map((e) => JSON.parse(e.CloudTrailEvent) as Record<string, unknown>);
    expect(events).toEqual([expect.objectContaining({ errorCode: 'NotOrganizationMasterAccountException', recipientAccountId: memberId, requestParameters: { name: TRAIL_ARN } })]);
    // The trail is still there and logging.
    const status = aws('management', ['cloudtrail', 'get-trail-status', '--name', 'org-validated', '--output', 'json']);
    expect((JSON.parse(status.stdout) as { IsLogging: boolean }).IsLogging).toBe(true);
  });
});
