/**
 * The stock AWS CLI (`aws cloudtrail-data put-audit-events`) and boto3 ingest into a channel on
 * the same endpoint as the control plane; LookupEvents finds what they sent.
 */
import { CreateChannelCommand, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventData } from '../support/audit-events.js';
import { cloudTrailClient } from '../support/clients.js';
import { awsCliAvailable, boto3Available } from '../support/peers.js';
import { serverProfileEnv } from '../support/profile-env.js';
import { startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

const hasAwsCli = awsCliAvailable();
const hasBoto3 = boto3Available();

let server: ServerProcess;
let client: CloudTrailClient;
let channelArn: string;

async function findByEventName(name: string): Promise<Record<string, unknown>[]> {
  const { Events } = await client.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: name }] }));
  return Events!.map((e) => JSON.parse(e.CloudTrailEvent!) as Record<string, unknown>);
}

beforeAll(async () => {
  server = await startServer();
  client = cloudTrailClient(server);
  channelArn = (await client.send(new CreateChannelCommand({ Name: 'interop', Source: 'Custom', Destinations: [{ Type: 'EVENT_DATA_STORE', Location: 'eds-interop' }] })))
    .ChannelArn!;
});

afterAll(async () => {
  client?.destroy();
  await server?.stop();
});

describe.skipIf(!hasAwsCli)('AWS CLI cloudtrail-data', () => {
  it('put-audit-events lands in the history', async () => {
    const file = join(server.dataDir, 'events.json');
    writeFileSync(file, JSON.stringify([{ id: 'cli-1', eventData: JSON.stringify(eventData({ eventName: 'CliIngested' })) }]));
    const result = spawnSync(
      'aws',
      ['--profile', 'opentrail', '--region', 'us-east-1', '--endpoint-url', server.url, '--output', 'json',
        'cloudtrail-data', 'put-audit-events', '--channel-arn', channelArn, '--audit-events', `file://${file}`],
      { encoding: 'utf8', env: serverProfileEnv(server.dataDir), timeout: 60_000 },
    );
    expect(result.stderr).toBe('');
    const out = JSON.parse(result.stdout) as { successful: { id: string; eventID: string }[]; failed: unknown[] };
    expect(out.failed).toEqual([]);
    expect(out.successful[0]!.id).toBe('cli-1');
    const [record] = await findByEventName('CliIngested');
    expect(record).toMatchObject({ eventID: out.successful[0]!.eventID, eventCategory: 'ActivityAuditLog' });
  });
});

describe.skipIf(!hasBoto3)('boto3 cloudtrail-data', () => {
  it('put_audit_events with a checksum, then a bad checksum', async () => {
    const script = `
import boto3, hashlib, base64, json, sys
session = boto3.Session(profile_name="opentrail")
data = session.client("cloudtrail-data", endpoint_url=sys.argv[1], region_name="us-east-1")
event = sys.argv[3]
checksum = base64.b64encode(hashlib.sha256(event.encode()).digest()).decode()
out = data.put_audit_events(channelArn=sys.argv[2], auditEvents=[
    {"id": "boto-1", "eventData": event, "eventDataChecksum": checksum},
    {"id": "boto-2", "eventData": event, "eventDataChecksum": "bad"}])
try:
    data.put_audit_events(channelArn=sys.argv[2].replace("channel/", "channel/0"), auditEvents=[{"id": "x", "eventData": event}])
    code = None
except data.exceptions.ChannelNotFound as e:
    code = "ChannelNotFound"
except Exception as e:
    code = type(e).__name__ + ":" + str(e)
print(json.dumps({"successful": out["successful"], "failed": out["failed"], "code": code}))
`;
    const result = spawnSync('python3', ['-c', script, server.url, channelArn, JSON.stringify(eventData({ eventName: 'BotoIngested' }))], {
      encoding: 'utf8',
      env: serverProfileEnv(server.dataDir),
      timeout: 60_000,
    });
    expect(result.stderr).toBe('');
    const out = JSON.parse(result.stdout) as { successful: { id: string; eventID: string }[]; failed: { id: string; errorCode: string }[]; code: string };
    expect(out.successful.map((s) => s.id)).toEqual(['boto-1']);
    expect(out.failed).toMatchObject([{ id: 'boto-2', errorCode: 'InvalidChecksum' }]);
    const [record] = await findByEventName('BotoIngested');
    expect(record!.eventID).toBe(out.successful[0]!.eventID);
    expect(['ChannelNotFound', 'InvalidChannelARN']).toContain(out.code);
  });
});
