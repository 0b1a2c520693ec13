/**
 * The stock AWS CLI and boto3 against a real server, using the credentials file the server
 * writes on first start, exactly as the README tells a user to.
 */
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudTrailClient } from '../support/clients.js';
import { awsCliAvailable, boto3Available } from '../support/peers.js';
import { serverProfileEnv } from '../support/profile-env.js';
import { startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

const hasAwsCli = awsCliAvailable();
const hasBoto3 = boto3Available();

let server: ServerProcess;

beforeAll(async () => {
  server = await startServer();
  const client = cloudTrailClient(server);
  for (let i = 0; i < 55; i++) await client.send(new LookupEventsCommand({ MaxResults: 1 }));
  client.destroy();
});

afterAll(async () => {
  await server?.stop();
});

it('writes a 0600 shared-credentials file with the opentrail profile', () => {
  expect(statSync(join(server.dataDir, 'credentials')).mode & 0o777).toBe(0o600);
});

describe.skipIf(!hasAwsCli)('AWS CLI', () => {
  function aws(...args: string[]) {
    return spawnSync('aws', ['--profile', 'opentrail', '--region', 'us-east-1', '--endpoint-url', server.url, '--output', 'json', ...args], {
      encoding: 'utf8',
      env: serverProfileEnv(server.dataDir),
      timeout: 60_000,
    });
  }

  it('lookup-events pages through more than 50 events', () => {
    const result = aws('cloudtrail', 'lookup-events', '--lookup-attributes', 'AttributeKey=EventName,AttributeValue=LookupEvents');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const { Events } = JSON.parse(result.stdout) as { Events: { EventName: string; CloudTrailEvent: string }[] };
    expect(Events.length).toBeGreaterThan(50);
    expect(Events.every((e) => e.EventName === 'LookupEvents')).toBe(true);
  });

  it('sees its own earlier calls, recorded with the CLI user agent', () => {
    aws('cloudtrail', 'lookup-events', '--max-items', '1');
    const result = aws('cloudtrail', 'lookup-events', '--max-items', '1');
    const { Events } = JSON.parse(result.stdout) as { Events: { CloudTrailEvent: string }[] };
    expect(JSON.parse(Events[0]!.CloudTrailEvent)).toMatchObject({ eventName: 'LookupEvents', userAgent: expect.stringContaining('aws-cli/') as unknown });
  });

  it('shows CloudTrail errors as the CLI does', () => {
    const result = aws('cloudtrail', 'lookup-events', '--start-time', '2026-01-02', '--end-time', '2026-01-01');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('InvalidTimeRangeException');
  });
});

describe.skipIf(!hasBoto3)('boto3', () => {
  it('pages with the lookup_events paginator', () => {
    const script = `
import boto3, json, sys
session = boto3.Session(profile_name="opentrail")
ct = session.client("cloudtrail", endpoint_url=sys.argv[1], region_name="us-east-1")
pages = list(ct.get_paginator("lookup_events").paginate(
    LookupAttributes=[{"AttributeKey": "Username", "AttributeValue": "admin"}],
    PaginationConfig={"PageSize": 20}))
events = [e for p in pages for e in p["Events"]]
try:
    ct.lookup_events(MaxResults=99)
    error = None
except ct.exceptions.InvalidMaxResultsException as e:
    error = e.response["Error"]["Code"]
print(json.dumps({"pages": len(pages), "events": len(events), "ids": len({e["EventId"] for e in events}), "error": error,
                  "readOnly": events[0]["ReadOnly"], "time": type(events[0]["EventTime"]).__name__}))
`;
    const result = spawnSync('python3', ['-c', script, server.url], { encoding: 'utf8', env: serverProfileEnv(server.dataDir), timeout: 60_000 });
    expect(result.stderr).toBe('');
    const out = JSON.parse(result.stdout) as { pages: number; events: number; ids: number; error: string; readOnly: string; time: string };
    expect(out.pages).toBeGreaterThan(2);
    expect(out.events).toBeGreaterThan(55);
    expect(out.ids).toBe(out.events);
    expect(out.error).toBe('InvalidMaxResultsException');
    expect(out.readOnly).toBe('true');
    expect(out.time).toBe('datetime');
  });
});
