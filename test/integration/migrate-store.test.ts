/**
 * `opentrail migrate-store`, as a user moving to several nodes runs it: a SQLite server with real
 * content (the real CloudTrail samples imported, a trail that delivered, an IAM user with a key,
 * a log group), stopped; the command copies it into an empty PostgreSQL database and prints each
 * table's rows and hash on both sides; a server started on PostgreSQL with the same data
 * directory (so the same master key) then answers as the old one did. A tampered row, a
 * non-empty target and a missing table are each refused with what is wrong.
 */
import { spawnSync } from 'node:child_process';
import { CreateTrailCommand, GetTrailCommand, LookupEventsCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateAccessKeyCommand, CreateUserCommand, GetUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitRecords } from '../../src/core/log-file-records.js';
import { clientOptions, cloudTrailClient } from '../support/clients.js';
import type { ServerProcess } from '../support/server-process.js';
import { openPool } from '../../src/store/postgres/pool.js';
import { applySchema } from '../../src/store/postgres/schema.js';
import { bucketKeys, eventually } from '../support/log-files.js';
import { createTestDatabase, postgresAvailable } from '../support/postgres.js';
import { sampleFiles, sampleText, samplesAvailable } from '../support/samples.js';
import { BIN, removeDir, startServer, tempDataDir } from '../support/server-process.js';

const ready = (await postgresAvailable()) && samplesAvailable();
const RETENTION = ['--retention-days', '36500'];
const dataDir = tempDataDir();
const databases: { url: string; drop(): Promise<void> }[] = [];
let sampleEvents: { eventID: string; awsRegion?: string }[] = [];
let adminKey: { accessKeyId: string; secretAccessKey: string };

const iamClient = (server: ServerProcess) => new IAMClient(clientOptions(server));
const logsClient = (server: ServerProcess) => new CloudWatchLogsClient(clientOptions(server));

function migrate(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, 'migrate-store', '--data-dir', dataDir, ...args], { encoding: 'utf8', timeout: 300_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function database(): Promise<string> {
  const db = await createTestDatabase();
  databases.push(db);
  return db.url;
}

async function sql(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  if (!ready) return;
  const server = await startServer({ dataDir, args: RETENTION });
  adminKey = { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey };
  const result = spawnSync(process.execPath, [BIN, 'events', 'import', '--allow-account-mismatch', '--account-id', server.accountId, '--data-dir', dataDir, ...sampleFiles()], {
    encoding: 'utf8',
    env: { ...process.env, OPENTRAIL_RETENTION_DAYS: '36500' },
  });
  expect(result.status, result.stderr).toBe(0);
  sampleEvents = sampleFiles().flatMap((file) => splitRecords(sampleText(file)).map((raw) => JSON.parse(raw) as { eventID: string; awsRegion?: string }));
  mkdirSync(join(dataDir, 'buckets', 'migrated-bucket'), { recursive: true });
  const trails = cloudTrailClient(server);
  await trails.send(new CreateTrailCommand({ Name: 'migrated', S3BucketName: 'migrated-bucket', EnableLogFileValidation: true }));
  await trails.send(new StartLoggingCommand({ Name: 'migrated' }));
  const iam = iamClient(server);
  await iam.send(new CreateUserCommand({ UserName: 'carol' }));
  await iam.send(new CreateAccessKeyCommand({ UserName: 'carol' }));
  await logsClient(server).send(new CreateLogGroupCommand({ logGroupName: 'migrated/group' }));
  await eventually(() => (bucketKeys(join(dataDir, 'buckets', 'migrated-bucket')).some((k) => k.includes('/CloudTrail/')) ? true : undefined), 30_000, 'a delivered log file');
  await server.stop();
}, 240_000);

afterAll(async () => {
  for (const db of databases) await db.drop();
  removeDir(dataDir);
});

describe.skipIf(!ready)('opentrail migrate-store', () => {
  it('copies every table, shows equal counts and hashes, and a PostgreSQL server answers as the SQLite one did', async () => {
    const url = await database();
    const run = migrate('--to', url);
    expect(run.status, run.stderr + run.stdout).toBe(0);
    const rows = run.stdout.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| table'));
    expect(rows.length).toBeGreaterThan(30);
    expect(rows.every((line) => line.endsWith('| yes |'))).toBe(true);
    const events = rows.find((line) => line.startsWith('| events |'))!.split('|').map((cell) => cell.trim());
    expect(Number(events[2])).toBeGreaterThanOrEqual(sampleEvents.length);
    expect(run.stdout).toContain('Copied and verified');

    // The same data directory: the same master key opens the copied access keys.
    const server = await startServer({ dataDir, ...adminKey, args: [...RETENTION, '--store', url] });
    try {
      const trails = cloudTrailClient(server);
      expect((await trails.send(new GetTrailCommand({ Name: 'migrated' }))).Trail?.LogFileValidationEnabled).toBe(true);
      expect((await iamClient(server).send(new GetUserCommand({ UserName: 'carol' }))).User?.UserName).toBe('carol');
      expect((await logsClient(server).send(new DescribeLogGroupsCommand({}))).logGroups?.map((g) => g.logGroupName)).toContain('migrated/group');
      // A spread of the real records, found by their ids through the API.
      for (const { eventID, awsRegion } of sampleEvents.filter((_, i) => i % 50 === 0)) {
        const regional = cloudTrailClient(server, { region: awsRegion ?? 'us-east-1' });
        const found = await regional.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventId', AttributeValue: eventID }] }));
        expect(found.Events?.map((e) => e.EventId), eventID).toContain(eventID);
        regional.destroy();
      }
    } finally {
      await server.stop();
    }

    // The copy is checked by reading both back: one changed row is found.
    await sql(url, "UPDATE events SET record = record || ' ' WHERE seq = (SELECT MIN(seq) FROM events)");
    const verify = migrate('--to', url, '--verify-only');
    expect(verify.status).toBe(1);
    expect(verify.stdout).toMatch(/\| events \| \d+ \| \d+ \| \w+ \| \w+ \| NO \|/);
    expect(verify.stderr).toContain('events');

    // A second copy into the same database is refused: nothing is merged into existing data.
    const again = migrate('--to', url);
    expect(again.status).not.toBe(0);
    expect(again.stderr).toMatch(/holds data already/);
  }, 300_000);

  it('names a table the target lacks before copying anything', async () => {
    const url = await database();
    const pool = openPool(url, 1);
    await applySchema(pool);
    await pool.end();
    await sql(url, 'DROP TABLE log_events');
    const run = migrate('--to', url);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/table log_events is missing on the target/);
  }, 120_000);
});
