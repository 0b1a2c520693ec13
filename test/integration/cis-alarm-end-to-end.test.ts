/**
 * The whole chain CloudTrail users build to hear "someone stopped logging", on OpenTrail with
 * real clients and a real, independent SNS/SQS (moto): a trail forwards to a hosted log group,
 * `opentrail monitoring install-cis` puts the CIS filters and alarms on it, and StopLogging
 * moves the CIS 4.5 alarm to ALARM, whose message reaches an SQS queue subscribed to the topic
 * and the configured webhook, within seconds.
 */
import { GetTrailStatusCommand, StopLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeMetricFiltersCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CIS_CONTROLS } from '../../src/monitoring/cis/cis-pack.js';
import { clientOptions, cloudTrailClient } from '../support/clients.js';
import { eventually } from '../support/log-files.js';
import { forwardingTrail, logsClient, streamMessages } from '../support/monitoring.js';
import { motoAvailable, startMoto } from '../support/moto.js';
import type { MotoServer } from '../support/moto.js';
import { BIN, startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';
import type { WebhookReceiver } from '../support/webhook-receiver.js';

const hasMoto = motoAvailable();
const SECRET = 'alarm-webhook-secret';
const GROUP = 'CloudTrail/cis';
const CIS_4_5 = CIS_CONTROLS.find((c) => c.id === '4.5')!;

let moto: MotoServer;
let server: ServerProcess;
let queueUrl: string;
let topicArn: string;
let webhook: WebhookReceiver<Record<string, unknown>>;

beforeAll(async () => {
  if (!hasMoto) return;
  moto = await startMoto();
  const sns = new SNSClient(moto.clientConfig);
  const sqs = new SQSClient(moto.clientConfig);
  topicArn = (await sns.send(new CreateTopicCommand({ Name: 'cis-alarms' }))).TopicArn!;
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'cis-alarms' }))).QueueUrl!;
  const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn }));
  sns.destroy();
  sqs.destroy();
  webhook = await startWebhookReceiver(SECRET, '/alarms');
  server = await startServer({
    env: {
      AWS_ENDPOINT_URL_SNS: moto.url,
      AWS_ACCESS_KEY_ID: moto.clientConfig.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: moto.clientConfig.credentials.secretAccessKey,
      OPENTRAIL_WEBHOOK_URL: webhook.url,
      OPENTRAIL_WEBHOOK_SECRET: SECRET,
    },
  });
});

afterAll(async () => {
  await server?.stop();
  await moto?.stop();
  webhook?.close();
});

describe.skipIf(!hasMoto)('StopLogging → CIS 4.5 alarm → SNS → SQS, and the webhook', () => {
  it('installs the CIS pack with one command, and the 4.5 alarm fires within seconds of StopLogging', async () => {
    const stream = await forwardingTrail(server, { trail: 'audited', bucket: 'cis-bucket', logGroup: GROUP });
    // The trail's own CreateTrail/StartLogging match 4.5 too: they are in the group before the
    // filters exist (filters count only what arrives after them), so only StopLogging counts.
    await eventually(async () => ((await streamMessages(server, GROUP, stream)).some((r) => r.eventName === 'StartLogging') ? true : undefined), 20_000, 'StartLogging forwarded');
    const installed = spawnSync(process.execPath, [BIN, 'monitoring', 'install-cis', '--log-group', GROUP, '--topic', topicArn, '--endpoint-url', server.url, '--region', 'us-east-1'], {
      encoding: 'utf8',
      env: { ...process.env, AWS_ACCESS_KEY_ID: server.accessKeyId, AWS_SECRET_ACCESS_KEY: server.secretAccessKey, AWS_ENDPOINT_URL: '', AWS_PROFILE: '' },
    });
    expect(installed.status, installed.stderr).toBe(0);
    expect(installed.stdout).toContain('Installed 15 CIS controls');

    const logs = logsClient(server);
    const filters = await logs.send(new DescribeMetricFiltersCommand({ logGroupName: GROUP }));
    expect(filters.metricFilters).toHaveLength(15);
    logs.destroy();
    const cloudwatch = new CloudWatchClient(clientOptions(server));
    const alarms = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [CIS_4_5.alarmName] }));
    expect(alarms.MetricAlarms?.[0]?.AlarmActions).toEqual([topicArn]);

    const trails = cloudTrailClient(server);
    const stoppedAt = Date.now();
    await trails.send(new StopLoggingCommand({ Name: 'audited' }));

    const sqs = new SQSClient(moto.clientConfig);
    const message = await eventually(
      async () => {
        const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
        for (const m of Messages ?? []) {
          const alarm = JSON.parse((JSON.parse(m.Body!) as { Message: string }).Message) as Record<string, unknown>;
          if (alarm.AlarmName === CIS_4_5.alarmName && alarm.NewStateValue === 'ALARM') return alarm;
        }
        return undefined;
      },
      30_000,
      'the CIS 4.5 alarm message in SQS',
    );
    const latencyMs = Date.now() - stoppedAt;
    sqs.destroy();
    expect(message).toMatchObject({ AlarmName: CIS_4_5.alarmName, NewStateValue: 'ALARM', AWSAccountId: server.accountId });
    expect(typeof message.OldStateValue).toBe('string');
    expect(message.Trigger).toMatchObject({ MetricName: CIS_4_5.metricName, Threshold: 1 });
    // Seconds, not CloudTrail's ~5 minutes: logged for the record, not asserted (shared machines).
    process.stdout.write(`StopLogging to the alarm message in SQS: ${latencyMs} ms\n`);

    await eventually(() => (webhook.messages.some((b) => JSON.stringify(b).includes(CIS_4_5.alarmName)) ? true : undefined), 20_000, 'the alarm at the webhook');
    expect(webhook.badSignatures()).toBe(0);

    const state = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [CIS_4_5.alarmName] }));
    expect(state.MetricAlarms?.[0]?.StateValue).toBe('ALARM');
    const history = await cloudwatch.send(new DescribeAlarmHistoryCommand({ AlarmName: CIS_4_5.alarmName }));
    expect(history.AlarmHistoryItems?.map((h) => h.HistoryItemType)).toEqual(expect.arrayContaining(['StateUpdate', 'Action']));
    // Other alarms saw nothing of theirs.
    const quiet = await cloudwatch.send(new DescribeAlarmsCommand({ StateValue: 'ALARM' }));
    expect(quiet.MetricAlarms?.map((a) => a.AlarmName)).toEqual([CIS_4_5.alarmName]);
    cloudwatch.destroy();

    const status = await trails.send(new GetTrailStatusCommand({ Name: 'audited' }));
    expect(status.LatestCloudWatchLogsDeliveryTime).toBeInstanceOf(Date);
    expect(status.LatestCloudWatchLogsDeliveryError).toBeUndefined();
    trails.destroy();
  });
});
