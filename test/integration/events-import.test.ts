/**
 * `opentrail events import` as a user runs it: the compiled CLI against a server's data
 * directory, with the real sample files and small crafted bad ones. Importing is idempotent,
 * all or nothing per file, refuses other accounts' records and records outside the retention
 * window unless told, and keeps imported history away from trails unless told.
 */
import { CreateTrailCommand, LookupEventsCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import type { CloudTrailClient, LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudTrailClient } from '../support/clients.js';
import { bucketKeys, eventually, readLogFile } from '../support/log-files.js';
import { samplesAvailable, sampleFiles, sampleText } from '../support/samples.js';
import { BIN, startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

const ACCOUNT = '123456789123'; // the account of the OTRF sample's records
const KEEP_ALL = { OPENTRAIL_RETENTION_DAYS: '36500' };
const hasSamples = samplesAvailable();

let server: ServerProcess;
let client: CloudTrailClient;
let dir: string;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function runImport(args: string[], env: Record<string, string> = KEEP_ALL): Run {
  const result = spawnSync(process.execPath, [BIN, 'events', 'import', '--account-id', ACCOUNT, '--data-dir', server.dataDir, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function lookup(input: LookupEventsCommandInput): Promise<string[]> {
  const ids: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await client.send(new LookupEventsCommand({ ...input, ...(NextToken && { NextToken }) }));
    ids.push(...page.Events!.map((e) => e.EventId!));
    NextToken = page.NextToken;
  } while (NextToken);
  return ids;
}

const byId = async (id: string) => lookup({ LookupAttributes: [{ AttributeKey: 'EventId', AttributeValue: id }] });

/** A recent management event of the account (inside any retention window). */
function record(id: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventVersion: '1.09',
    userIdentity: { type: 'IAMUser', userName: 'importer', accountId: ACCOUNT },
    eventTime: new Date(Date.now() - 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z'),
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateUser',
    awsRegion: 'us-east-1',
    eventID: id,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Management',
    ...fields,
  };
}

function logFile(name: string, records: unknown[], gzip = true): string {
  const path = join(dir, name);
  const text = JSON.stringify({ Records: records });
  writeFileSync(path, gzip ? gzipSync(text) : text);
  return path;
}

/** What no user-facing failure may show: a stack trace or the database's own words. */
function expectNoInternals(run: Run): void {
  expect(run.stderr).not.toMatch(/\n\s+at |SQLITE|constraint|INSERT|SELECT/);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'opentrail-import-'));
  server = await startServer({ accountId: ACCOUNT, args: ['--retention-days', '36500', '--delivery-interval', '1'] });
  client = cloudTrailClient(server);
});

afterAll(async () => {
  client?.destroy();
  await server?.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

const otrf = () => sampleFiles().find((f) => f.includes('otrf_'))!;

describe.skipIf(!hasSamples)('events import of real CloudTrail log files', () => {
  it('is idempotent: a second import of the same file stores nothing and says so', async () => {
    const first = runImport([otrf()]);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain(`${otrf()}: 103 records: 103 imported, 0 already present\n`);
    const again = runImport([otrf()]);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain(`${otrf()}: 103 records: 0 imported, 103 already present\n`);
    expect(again.stdout).toContain('imported 0 new records into account 123456789123 (103 already present)');
    // DescribeInstances appears 11 times in the file, and so in the history: not 22.
    expect(await lookup({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'DescribeInstances' }] })).toHaveLength(11);
  });

  it('keeps the data events out of LookupEvents (S3 GetObject, ListObjects)', async () => {
    const records = (JSON.parse(sampleText(otrf())) as { Records: Record<string, unknown>[] }).Records;
    const data = records.filter((r) => r.eventCategory === 'Data');
    expect(data).toHaveLength(9);
    runImport([otrf()]);
    for (const name of ['GetObject', 'ListObjects']) {
      expect(await lookup({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: name }] }), name).toEqual([]);
    }
    expect(await byId(data[0]!.eventID as string)).toEqual([]);
    // The management events of the same file are there.
    expect(await lookup({ LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 's3.amazonaws.com' }] })).toHaveLength(2); // ListBuckets
  });

  it('refuses records of another account (recipientAccountId), unless --allow-account-mismatch', () => {
    const traildiscover = sampleFiles().find((f) => f.includes('traildiscover_'))!;
    const refused = runImport([traildiscover]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`${traildiscover}: Records[0..312] recipientAccountId "111111111111" is not account ${ACCOUNT} (--allow-account-mismatch imports it anyway)\n`);
    expect(refused.stderr).toContain(`${traildiscover}: not imported: 313 of 313 records are not valid (above)\n`);
    const allowed = runImport(['--allow-account-mismatch', traildiscover]);
    expect(allowed.status).toBe(0);
    expect(allowed.stdout).toContain(`${traildiscover}: 313 records: 313 imported, 0 already present\n`);
  });

  it('skips records older than the retention window, counts them, and says how to keep them', () => {
    const stratus = sampleFiles().find((f) => f.includes('datadog_'))!;
    const run = runImport(['--allow-account-mismatch', stratus], { OPENTRAIL_RETENTION_DAYS: '90' });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`${stratus}: 310 records: 0 imported, 0 already present, 310 skipped (older than the 90-day retention window)\n`);
    expect(run.stdout).toContain('310 records older than the 90-day retention window were skipped');
    expect(run.stdout).toContain('raise retentionDays (OPENTRAIL_RETENTION_DAYS or the config file)');
  });
});

describe('events import of bad log files', () => {
  it('names the file and the index of every bad record, stores nothing of that file, and imports the good files', async () => {
    const mixed = logFile('mixed.json', [
      record('mixed-0'),
      record('mixed-1', { eventTime: undefined }),
      record('mixed-2', { eventID: undefined }),
      record('mixed-3', { eventTime: '24/11/2026 10:00' }),
      null,
      record('mixed-5', { awsRegion: undefined }),
      record('mixed-6', { eventTime: '2026-02-30T10:00:00Z' }),
      record('mixed-7'),
    ], false);
    const good = logFile('good.json.gz', [record('good-0'), record('good-1')]);
    const run = runImport([mixed, good]);
    expect(run.status).toBe(1);
    expectNoInternals(run);
    expect(run.stderr).toBe(
      [
        `${mixed}: Records[1] has no eventTime`,
        `${mixed}: Records[2] has no eventID`,
        `${mixed}: Records[3] eventTime "24/11/2026 10:00" is not a valid ISO 8601 date-time (such as 2026-01-31T12:00:00Z)`,
        `${mixed}: Records[4] is null, not a record object`,
        `${mixed}: Records[5] has no awsRegion (give --region to file such records under one)`,
        `${mixed}: Records[6] eventTime "2026-02-30T10:00:00Z" is not a valid ISO 8601 date-time (such as 2026-01-31T12:00:00Z)`,
        `${mixed}: not imported: 6 of 8 records are not valid (above)`,
        '',
      ].join('\n'),
    );
    expect(run.stdout).toContain(`${good}: 2 records: 2 imported, 0 already present\n`);
    expect(run.stdout).toContain('; 1 of 2 files not imported\n');
    expect(await byId('mixed-0')).toEqual([]);
    expect(await byId('mixed-7')).toEqual([]);
    expect(await byId('good-1')).toEqual(['good-1']);
  });

  it('imports a file of 1,500 records with one bad record near the end not at all', async () => {
    const records = Array.from({ length: 1500 }, (_, i) => record(`big-${i}`));
    records[1200] = record('big-1200', { eventTime: undefined });
    const big = logFile('big.json.gz', records);
    const run = runImport([big]);
    expect(run.status).toBe(1);
    expectNoInternals(run);
    expect(run.stderr).toBe(`${big}: Records[1200] has no eventTime\n${big}: not imported: 1 of 1500 records is not valid (above)\n`);
    expect(await byId('big-0')).toEqual([]);
    expect(await byId('big-999')).toEqual([]);
  });

  it('names a truncated .gz file, a file that is not a log file, and a missing file', () => {
    const whole = gzipSync(JSON.stringify({ Records: [record('trunc-0')] }));
    const truncated = join(dir, 'truncated.json.gz');
    writeFileSync(truncated, whole.subarray(0, whole.length - 12));
    const notLog = join(dir, 'array.json');
    writeFileSync(notLog, '[{"eventID":"x"}]');
    const missing = join(dir, 'missing.json.gz');
    const run = runImport([truncated, notLog, missing]);
    expect(run.status).toBe(1);
    expectNoInternals(run);
    expect(run.stderr).toBe(
      [
        `${truncated}: not imported: is not a complete gzip file, truncated or damaged (unexpected end of file)`,
        `${notLog}: not imported: is not a CloudTrail log file: expected an object with a "Records" array`,
        `${missing}: not imported: cannot be read (ENOENT)`,
        '',
      ].join('\n'),
    );
  });
});

describe('events import and trails', () => {
  it('delivers imported history to logging trails only with --deliver-to-trails', async () => {
    const bucket = 'import-bucket';
    const made = spawnSync(process.execPath, [BIN, 'buckets', 'create', bucket, '--data-dir', server.dataDir], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    await client.send(new CreateTrailCommand({ Name: 'imports', S3BucketName: bucket }));
    await client.send(new StartLoggingCommand({ Name: 'imports' }));
    const bucketDir = join(server.dataDir, 'buckets', bucket);
    const delivered = () => new Set(bucketKeys(bucketDir).flatMap((key) => readLogFile(bucketDir, key).map((r) => r.eventID as string)));
    /** A live call after the import: once the trail has delivered it, it has read past what came before. */
    const deliveredPastNow = async () => {
      await client.send(new LookupEventsCommand({ MaxResults: 1 }));
      // The newest LookupEvents record is that call's (this query's own is stored after it runs).
      const { Events } = await client.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'LookupEvents' }], MaxResults: 1 }));
      const markerId = Events![0]!.EventId!;
      return eventually(() => (delivered().has(markerId) ? delivered() : undefined), 30_000, `delivery of ${markerId}`);
    };

    const historyOnly = runImport([logFile('history.json.gz', [record('hist-0'), record('hist-1')])]);
    expect(historyOnly.status, historyOnly.stderr).toBe(0);
    expect(historyOnly.stdout).toContain('trails do not deliver them (--deliver-to-trails to have them delivered)');
    const afterHistory = await deliveredPastNow();
    expect(afterHistory.has('hist-0')).toBe(false);
    expect(afterHistory.has('hist-1')).toBe(false);
    expect(await byId('hist-0')).toEqual(['hist-0']); // in the history all the same

    const toTrails = runImport(['--deliver-to-trails', logFile('deliver.json.gz', [record('dlv-0'), record('dlv-1')])]);
    expect(toTrails.status, toTrails.stderr).toBe(0);
    await eventually(() => (delivered().has('dlv-1') ? true : undefined), 30_000, 'delivery of the imported records');
    expect(delivered().has('dlv-0')).toBe(true);
    expect(delivered().has('hist-0')).toBe(false);
  });
});
