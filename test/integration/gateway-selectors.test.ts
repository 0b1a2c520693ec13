/**
 * Which trail delivers which forwarded call: data events only go to trails whose selectors pick
 * them (CloudTrail's default selects none), by basic DataResources (Lambda functions, DynamoDB
 * tables) or advanced selectors (SNS topics by resources.ARN, eventName). The upstream here only
 * answers and counts: the point is the records the gateway writes and the trails' choices.
 */
import { CreateTrailCommand, PutEventSelectorsCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import type { CloudTrailClient, PutEventSelectorsCommandInput } from '@aws-sdk/client-cloudtrail';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdminCli } from '../support/admin-cli.js';
import { cloudTrailClient } from '../support/clients.js';
import { startCountingUpstream } from '../support/counting-upstream.js';
import type { CountingUpstream } from '../support/counting-upstream.js';
import { bucketKeys, eventually, readLogFile } from '../support/log-files.js';
import { startServer, tempDataDir } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';
import { sendSigned } from '../support/signed-request.js';

const ACCOUNT = '111122223333';
let upstream: CountingUpstream;
let server: ServerProcess;
let trails: CloudTrailClient;

type Json = Record<string, unknown>;

function delivered(bucket: string): Json[] {
  const dir = join(server.dataDir, 'buckets', bucket);
  return bucketKeys(dir)
    .filter((key) => key.includes('/CloudTrail/') && key.endsWith('.json.gz'))
    .flatMap((key) => readLogFile(dir, key) as Json[]);
}

async function call(service: string, path: string, body: string, headers: Record<string, string>, method = 'POST'): Promise<number> {
  const response = await sendSigned({ url: server.url, service, method, path, body, headers, accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey });
  return response.status;
}

async function trail(name: string, selectors: Omit<PutEventSelectorsCommandInput, 'TrailName'>): Promise<void> {
  runAdminCli(server.dataDir, 'buckets', 'create', name);
  await trails.send(new CreateTrailCommand({ Name: name, S3BucketName: name }));
  await trails.send(new PutEventSelectorsCommand({ TrailName: name, ...selectors }));
  await trails.send(new StartLoggingCommand({ Name: name }));
}

beforeAll(async () => {
  upstream = await startCountingUpstream();
  // Upstreams from a config file, one with credentials and a region of its own.
  const dataDir = tempDataDir();
  const config = join(dataDir, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      upstreams: {
        lambda: upstream.url,
        sns: upstream.url,
        dynamodb: { url: upstream.url, region: 'eu-west-1', accessKeyId: 'AKIATABLESUPSTREAM01', secretAccessKey: 'tables-upstream-secret' },
      },
    }),
  );
  server = await startServer({
    dataDir,
    accountId: ACCOUNT,
    args: ['--delivery-interval', '1', '--config', config],
    env: { AWS_ACCESS_KEY_ID: 'up', AWS_SECRET_ACCESS_KEY: 'up' },
  });
  trails = cloudTrailClient(server);
  await trail('management-only', { EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] });
  await trail('functions', {
    EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::Lambda::Function', Values: [`arn:aws:lambda:us-east-1:${ACCOUNT}:function:resize`] }] }],
  });
  await trail('tables', {
    EventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::DynamoDB::Table', Values: [`arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`] }] }],
  });
  await trail('alerts', {
    AdvancedEventSelectors: [
      {
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Data'] },
          { Field: 'resources.type', Equals: ['AWS::SNS::Topic'] },
          { Field: 'resources.ARN', EndsWith: [':alerts'] },
          { Field: 'eventName', Equals: ['Publish'] },
        ],
      },
    ],
  });
}, 60_000);

afterAll(async () => {
  trails?.destroy();
  await server?.stop();
  await upstream?.close();
});

describe('data events of forwarded calls and the trails that select them', () => {
  it('deliver each data event to the trails selecting it, and management events to the others', async () => {
    const json = (target: string) => ({ 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target });
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const topic = (name: string) => encodeURIComponent(`arn:aws:sns:us-east-1:${ACCOUNT}:${name}`);
    const statuses = [
      await call('lambda', '/2015-03-31/functions/resize/invocations', '{"width":10}', { 'content-type': 'application/json' }),
      await call('lambda', '/2015-03-31/functions/other/invocations', '{}', { 'content-type': 'application/json' }),
      await call('lambda', '/2015-03-31/functions/resize', '', {}, 'GET'),
      await call('dynamodb', '/', '{"TableName":"orders","Item":{"id":{"S":"secret-item-value"}}}', json('DynamoDB_20120810.PutItem')),
      await call('dynamodb', '/', '{"TableName":"orders","Key":{"id":{"S":"1"}}}', json('DynamoDB_20120810.GetItem')),
      await call('dynamodb', '/', '{"TableName":"orders"}', json('DynamoDB_20120810.DescribeTable')),
      await call('sns', '/', `Action=Publish&TopicArn=${topic('alerts')}&Message=secret-message&Version=2010-03-31`, form),
      await call('sns', '/', `Action=Publish&TopicArn=${topic('news')}&Message=hello&Version=2010-03-31`, form),
    ];
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(upstream.received).toHaveLength(8);
    // DynamoDB's upstream is signed with its own key and region, the others with the server's chain.
    expect(upstream.authorizations.filter((a) => a.includes('Credential=AKIATABLESUPSTREAM01/') && a.includes('/eu-west-1/dynamodb/'))).toHaveLength(3);
    expect(upstream.authorizations.filter((a) => a.includes('Credential=up/'))).toHaveLength(5);

    const names = (bucket: string) => delivered(bucket).map((r) => `${String(r.eventSource).split('.')[0]}:${String(r.eventName)}`).sort();
    // Counted without the trails' own calls: those alone could reach two before the forwarded ones are delivered.
    const forwardedManagement = () => names('management-only').filter((n) => !n.startsWith('cloudtrail:'));
    await eventually(() => (forwardedManagement().length >= 2 && names('alerts').length >= 1 && names('tables').length >= 1 && names('functions').length >= 1 ? true : undefined), 30_000, 'every trail to deliver');
    // The management events of the forwarded calls, next to the trails' own calls.
    expect(forwardedManagement()).toEqual(['dynamodb:DescribeTable', 'lambda:GetFunction20150331v2']);
    expect(names('functions')).toEqual(['lambda:Invoke']);
    expect(names('tables')).toEqual(['dynamodb:PutItem']);
    expect(names('alerts')).toEqual(['sns:Publish']);

    const invoke = delivered('functions')[0]!;
    expect(invoke).toMatchObject({
      eventCategory: 'Data',
      managementEvent: false,
      requestParameters: { functionName: 'resize' },
      resources: [{ type: 'AWS::Lambda::Function', ARN: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:resize` }],
    });
    const put = delivered('tables')[0]!;
    expect(put).toMatchObject({ resources: [expect.objectContaining({ type: 'AWS::DynamoDB::Table', ARN: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders` })] });
    // What must never be recorded: the item, the message, the function's payload.
    for (const bucket of ['management-only', 'functions', 'tables', 'alerts']) {
      const text = JSON.stringify(delivered(bucket));
      expect(text).not.toContain('secret-item-value');
      expect(text).not.toContain('secret-message');
      expect(text).not.toContain('"width"');
    }
  });
});
