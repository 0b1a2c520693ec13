/**
 * Organization trails through the real AWS SDK against a real server delivering to the file
 * store: who may make them, what members see and may not do (refusals recorded in the member's
 * own history), delivery and digests per member account under AWSLogs/<org-id>/<account-id>/,
 * an account that joins later, and CloudTrail delegated administrators.
 */
import {
  AddTagsCommand,
  CreateTrailCommand,
  DeleteTrailCommand,
  DeregisterOrganizationDelegatedAdminCommand,
  DescribeTrailsCommand,
  GetTrailCommand,
  GetTrailStatusCommand,
  ListTrailsCommand,
  LookupEventsCommand,
  PutEventSelectorsCommand,
  RegisterOrganizationDelegatedAdminCommand,
  StartLoggingCommand,
  StopLoggingCommand,
  UpdateTrailCommand,
} from '@aws-sdk/client-cloudtrail';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudTrailClient } from '../support/clients.js';
import { bucketKeys, eventually, readLogFile } from '../support/log-files.js';
import { createAccountWithKey, createOrganization, joinOrganization } from '../support/organization.js';
import type { MemberCredentials } from '../support/organization.js';
import { withRecordRefused } from '../support/refuse-record.js';
import { BIN, startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';
import { spawnSync } from 'node:child_process';

const MANAGEMENT = '111122223333';
const MEMBER = '444455556666';
const LATE = '777788889999';
const ADMIN = '555566667777';
const OUTSIDER = '222233334444';
const ORG = 'o-orgtrailtest1';
const BUCKET = 'org-bucket';
const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${MANAGEMENT}:trail/org`;

let server: ServerProcess;
let management: CloudTrailClient;
const clients = new Map<string, CloudTrailClient>();
const bucketDir = () => join(server.dataDir, 'buckets', BUCKET);

function clientOf(account: MemberCredentials): CloudTrailClient {
  const client = cloudTrailClient(server, { accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey });
  clients.set(account.accountId, client);
  return client;
}

const client = (accountId: string) => clients.get(accountId)!;

async function errorOf(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { name: string; message: string };
  }
  throw new Error('the call succeeded');
}

/** A call whose record is told apart by its parameters: a lookup for a marker event name. */
async function marked(accountId: string, marker: string): Promise<void> {
  await client(accountId).send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: marker }], MaxResults: 1 }));
}

/** The records of every log file of the account under the organization's folder. */
function deliveredRecords(accountId: string): Record<string, unknown>[] {
  return bucketKeys(bucketDir())
    .filter((key) => key.startsWith(`AWSLogs/${ORG}/${accountId}/CloudTrail/`))
    .flatMap((key) => readLogFile(bucketDir(), key));
}

function markerDelivered(accountId: string, marker: string): boolean {
  return deliveredRecords(accountId).some((r) => JSON.stringify(r.requestParameters).includes(marker));
}

beforeAll(async () => {
  server = await startServer({ accountId: MANAGEMENT, args: ['--delivery-interval', '1', '--digest-interval', '2'] });
  management = cloudTrailClient(server);
  clients.set(MANAGEMENT, management);
  const result = spawnSync(process.execPath, [BIN, 'buckets', 'create', BUCKET, '--data-dir', server.dataDir], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  for (const accountId of [MEMBER, LATE, ADMIN, OUTSIDER]) clientOf(createAccountWithKey(server, accountId));
  await createOrganization(server, ORG, MANAGEMENT, [MEMBER, ADMIN]);
}, 60_000);

afterAll(async () => {
  for (const c of clients.values()) c.destroy();
  await server?.stop();
});

describe('who may make an organization trail', () => {
  it('not an account outside any organization (OrganizationsNotInUseException)', async () => {
    const error = await errorOf(client(OUTSIDER).send(new CreateTrailCommand({ Name: 'org', S3BucketName: BUCKET, IsOrganizationTrail: true })));
    expect(error.name).toBe('OrganizationsNotInUseException');
  });

  it('not a member account (NotOrganizationMasterAccountException)', async () => {
    const error = await errorOf(client(MEMBER).send(new CreateTrailCommand({ Name: 'org', S3BucketName: BUCKET, IsOrganizationTrail: true })));
    expect(error.name).toBe('NotOrganizationMasterAccountException');
    expect((await client(MEMBER).send(new ListTrailsCommand({}))).Trails).toEqual([]);
  });

  it('the management account', async () => {
    const created = await management.send(new CreateTrailCommand({ Name: 'org', S3BucketName: BUCKET, IsOrganizationTrail: true, EnableLogFileValidation: true }));
    expect(created).toMatchObject({ TrailARN: TRAIL_ARN, IsOrganizationTrail: true });
    await management.send(new StartLoggingCommand({ Name: 'org' }));
    expect((await management.send(new GetTrailCommand({ Name: 'org' }))).Trail).toMatchObject({ IsOrganizationTrail: true, HomeRegion: 'us-east-1' });
  });
});

describe('what a member sees and may do', () => {
  it('sees the trail in DescribeTrails and ListTrails, and by ARN in GetTrail and GetTrailStatus', async () => {
    const member = client(MEMBER);
    const { trailList } = await member.send(new DescribeTrailsCommand({}));
    expect(trailList).toEqual([expect.objectContaining({ Name: 'org', TrailARN: TRAIL_ARN, HomeRegion: 'us-east-1', IsOrganizationTrail: true, S3BucketName: BUCKET })]);
    expect((await member.send(new DescribeTrailsCommand({ includeShadowTrails: false }))).trailList).toEqual([]);
    expect((await member.send(new ListTrailsCommand({}))).Trails).toEqual([{ TrailARN: TRAIL_ARN, Name: 'org', HomeRegion: 'us-east-1' }]);
    expect((await member.send(new GetTrailCommand({ Name: TRAIL_ARN }))).Trail).toMatchObject({ TrailARN: TRAIL_ARN, IsOrganizationTrail: true });
    expect(await member.send(new GetTrailStatusCommand({ Name: TRAIL_ARN }))).toMatchObject({ IsLogging: true });
    // A name means the member's own trail.
    expect((await errorOf(member.send(new GetTrailCommand({ Name: 'org' })))).name).toBe('TrailNotFoundException');
    // An account outside the organization sees nothing of it.
    expect((await errorOf(client(OUTSIDER).send(new GetTrailCommand({ Name: TRAIL_ARN })))).name).toBe('TrailNotFoundException');
    expect((await client(OUTSIDER).send(new DescribeTrailsCommand({}))).trailList).toEqual([]);
  });

  it('may not change or delete it; each refusal is in the member\'s own history', async () => {
    const member = client(MEMBER);
    const refusals = [
      member.send(new DeleteTrailCommand({ Name: TRAIL_ARN })),
      member.send(new StopLoggingCommand({ Name: TRAIL_ARN })),
      member.send(new StartLoggingCommand({ Name: TRAIL_ARN })),
      member.send(new UpdateTrailCommand({ Name: TRAIL_ARN, S3KeyPrefix: 'taken' })),
      member.send(new PutEventSelectorsCommand({ TrailName: TRAIL_ARN, EventSelectors: [{ ReadWriteType: 'WriteOnly' }] })),
      member.send(new AddTagsCommand({ ResourceId: TRAIL_ARN, TagsList: [{ Key: 'k', Value: 'v' }] })),
    ];
    for (const refusal of refusals) expect((await errorOf(refusal)).name).toBe('NotOrganizationMasterAccountException');
    const trail = (await management.send(new GetTrailCommand({ Name: 'org' }))).Trail!;
    expect(trail).toMatchObject({ IsOrganizationTrail: true, HasCustomEventSelectors: false });
    expect(trail.S3KeyPrefix).toBeUndefined();
    expect(await management.send(new GetTrailStatusCommand({ Name: 'org' }))).toMatchObject({ IsLogging: true });

    const { Events } = await member.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'DeleteTrail' }] }));
    expect(Events).toHaveLength(1);
    const record = JSON.parse(Events![0]!.CloudTrailEvent!) as Record<string, unknown>;
    expect(record).toMatchObject({ errorCode: 'NotOrganizationMasterAccountException', recipientAccountId: MEMBER, requestParameters: { name: TRAIL_ARN } });
    // Not in the management account's history: the call was the member's.
    const theirs = await management.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'DeleteTrail' }] }));
    expect(theirs.Events).toEqual([]);
  });
});

describe('delivery', () => {
  it('delivers each account\'s events under AWSLogs/<org-id>/<account-id>/, with digests per account', async () => {
    await marked(MEMBER, 'member-activity');
    await marked(MANAGEMENT, 'management-activity');
    await eventually(() => (markerDelivered(MEMBER, 'member-activity') && markerDelivered(MANAGEMENT, 'management-activity') ? true : undefined), 20_000, 'both accounts delivered');
    expect(deliveredRecords(MEMBER).every((r) => r.recipientAccountId === MEMBER)).toBe(true);
    expect(deliveredRecords(MANAGEMENT).every((r) => r.recipientAccountId === MANAGEMENT)).toBe(true);
    // Nothing under the management account's plain folder, and no outsider's events at all.
    expect(bucketKeys(bucketDir()).filter((k) => !k.startsWith(`AWSLogs/${ORG}/`))).toEqual([]);
    await marked(OUTSIDER, 'outsider-activity');
    const keys = bucketKeys(bucketDir());
    expect(keys.some((k) => k.includes(OUTSIDER))).toBe(false);
    for (const key of keys.filter((k) => k.includes('/CloudTrail/'))) {
      expect(key).toMatch(new RegExp(`^AWSLogs/${ORG}/(\\d{12})/CloudTrail/us-east-1/\\d{4}/\\d{2}/\\d{2}/\\1_CloudTrail_us-east-1_\\d{8}T\\d{4}Z_[A-Za-z0-9]{16}\\.json\\.gz$`));
    }

    const digestKey = await eventually(
      () => bucketKeys(bucketDir()).find((k) => k.startsWith(`AWSLogs/${ORG}/${MEMBER}/CloudTrail-Digest/`) && digestOf(k).logFiles.length > 0),
      20_000,
      "a digest of the member's files",
    );
    expect(digestKey).toMatch(new RegExp(`/${MEMBER}_CloudTrail-Digest_us-east-1_org_us-east-1_\\d{8}T\\d{6}Z\\.json\\.gz$`));
    const digest = digestOf(digestKey);
    expect(digest).toMatchObject({ awsAccountId: MEMBER, digestS3Bucket: BUCKET, digestS3Object: digestKey });
    for (const file of digest.logFiles) expect(file.s3Object.startsWith(`AWSLogs/${ORG}/${MEMBER}/CloudTrail/`)).toBe(true);
  });

  it('includes an account that joins later from then on, not before', async () => {
    await marked(LATE, 'before-joining');
    // Records keep their time to the second, and an account is logged from the second it joined.
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 50));
    await joinOrganization(server, ORG, MANAGEMENT, LATE);
    await marked(LATE, 'after-joining');
    await eventually(() => (markerDelivered(LATE, 'after-joining') ? true : undefined), 20_000, 'the late account delivered');
    expect(markerDelivered(LATE, 'before-joining')).toBe(false);
    expect((await client(LATE).send(new DescribeTrailsCommand({}))).trailList!.map((t) => t.TrailARN)).toEqual([TRAIL_ARN]);
  });
});

describe('delegated administrators', () => {
  it('only the management account registers them, and only members', async () => {
    const register = async (from: string, MemberAccountId: string) => errorOf(client(from).send(new RegisterOrganizationDelegatedAdminCommand({ MemberAccountId })));
    expect((await register(MANAGEMENT, MANAGEMENT)).name).toBe('CannotDelegateManagementAccountException');
    expect((await register(MANAGEMENT, OUTSIDER)).name).toBe('AccountNotFoundException');
    expect((await register(MANAGEMENT, 'not-an-account')).name).toBe('InvalidParameterException');
    expect((await register(MEMBER, ADMIN)).name).toBe('NotOrganizationManagementAccountException');
    expect((await register(OUTSIDER, ADMIN)).name).toBe('OrganizationsNotInUseException');
    expect((await errorOf(management.send(new DeregisterOrganizationDelegatedAdminCommand({ DelegatedAdminAccountId: ADMIN })))).name).toBe('AccountNotRegisteredException');
    await management.send(new RegisterOrganizationDelegatedAdminCommand({ MemberAccountId: ADMIN }));
    expect((await register(MANAGEMENT, ADMIN)).name).toBe('AccountRegisteredException');
  });

  it('a registration whose record cannot be written fails and registers nobody', async () => {
    const failed = await withRecordRefused(server.dataDir, 'DeregisterOrganizationDelegatedAdmin', async () =>
      errorOf(management.send(new DeregisterOrganizationDelegatedAdminCommand({ DelegatedAdminAccountId: ADMIN }))),
    );
    expect(failed.name).toBe('InternalFailure');
    // Still registered: a second registration is refused as such.
    const again = await errorOf(management.send(new RegisterOrganizationDelegatedAdminCommand({ MemberAccountId: ADMIN })));
    expect(again.name).toBe('AccountRegisteredException');
  });

  it('a delegated administrator makes and manages organization trails of the management account', async () => {
    const admin = client(ADMIN);
    const created = await admin.send(new CreateTrailCommand({ Name: 'by-admin', S3BucketName: BUCKET, IsOrganizationTrail: true }));
    const arn = `arn:aws:cloudtrail:us-east-1:${MANAGEMENT}:trail/by-admin`;
    expect(created).toMatchObject({ TrailARN: arn, IsOrganizationTrail: true });
    await admin.send(new UpdateTrailCommand({ Name: TRAIL_ARN, S3KeyPrefix: 'managed' }));
    await admin.send(new StartLoggingCommand({ Name: arn }));
    expect((await management.send(new GetTrailCommand({ Name: 'org' }))).Trail).toMatchObject({ S3KeyPrefix: 'managed' });
    await management.send(new UpdateTrailCommand({ Name: 'org', S3KeyPrefix: '' }));
    // Once deregistered it is a member like any other.
    await management.send(new DeregisterOrganizationDelegatedAdminCommand({ DelegatedAdminAccountId: ADMIN }));
    expect((await errorOf(admin.send(new DeleteTrailCommand({ Name: arn })))).name).toBe('NotOrganizationMasterAccountException');
    await management.send(new DeleteTrailCommand({ Name: 'by-admin' }));
    expect((await management.send(new ListTrailsCommand({}))).Trails!.map((t) => t.Name)).toEqual(['org']);
  });
});

interface DigestJson {
  awsAccountId: string;
  digestS3Bucket: string;
  digestS3Object: string;
  logFiles: { s3Object: string }[];
}

function digestOf(key: string): DigestJson {
  return JSON.parse(gunzipSync(readFileSync(join(bucketDir(), key))).toString('utf8')) as DigestJson;
}
