/**
 * From an API call to its alarm's action: a trail forwards to a hosted log group, each probe
 * has a metric filter matching only its own call (DescribeTrails for the probe's name) and an
 * alarm on that metric (Sum ≥ 1 over 60 s); the time is taken from sending the call to the
 * alarm's ALARM notification reaching a webhook receiver. The baseline, in the same run, is the
 * call itself (sent to answered, its record durable). CloudTrail's own chain takes the log
 * delivery (about 5 minutes) plus the alarm's period.
 */
import { DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { PutMetricFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { clientOptions, cloudTrailClient } from '../test/support/clients.js';
import { forwardingTrail, logsClient, streamMessages } from '../test/support/monitoring.js';
import { startServer } from '../test/support/server-process.js';
import { ms, summarize, table } from './support/stats.js';

export interface AlarmLatencyBenchOptions {
  dataDir: string;
  /** Probes, one call and one alarm each (at most 90: a log group holds 100 metric filters). */
  probes: number;
}

const GROUP = 'CloudTrail/latency';

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`alarm-latency bench: no ${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

export async function alarmLatencyBench(options: AlarmLatencyBenchOptions): Promise<string> {
  const probes = Math.min(options.probes, 90);
  const alarmedAt = new Map<string, number>();
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const now = performance.now();
      const message = JSON.parse(Buffer.concat(chunks).toString()) as { AlarmName?: string; NewStateValue?: string };
      if (message.NewStateValue === 'ALARM' && message.AlarmName !== undefined && !alarmedAt.has(message.AlarmName)) alarmedAt.set(message.AlarmName, now);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const server = await startServer({
    dataDir: options.dataDir,
    env: { OPENTRAIL_WEBHOOK_URL: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/alarms`, OPENTRAIL_WEBHOOK_SECRET: 'bench-secret' },
  });
  const trails = cloudTrailClient(server);
  const logs = logsClient(server);
  const cloudwatch = new CloudWatchClient(clientOptions(server));
  try {
    const stream = await forwardingTrail(server, { trail: 'latency', bucket: 'latency-bucket', logGroup: GROUP });
    for (let i = 0; i < probes; i++) {
      const name = `probe-${i}`;
      await logs.send(
        new PutMetricFilterCommand({
          logGroupName: GROUP,
          filterName: name,
          filterPattern: `{ $.eventName = "DescribeTrails" && $.requestParameters.trailNameList[0] = "${name}" }`,
          metricTransformations: [{ metricName: name, metricNamespace: 'Latency', metricValue: '1' }],
        }),
      );
      await cloudwatch.send(
        new PutMetricAlarmCommand({
          AlarmName: name,
          Namespace: 'Latency',
          MetricName: name,
          Statistic: 'Sum',
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          TreatMissingData: 'notBreaching',
        }),
      );
    }
    // Set-up calls are forwarded before the first probe is sent.
    const deadline = Date.now() + 20_000;
    while (!(await streamMessages(server, GROUP, stream)).some((r) => r.eventName === 'PutMetricAlarm' && JSON.stringify(r.requestParameters).includes(`probe-${probes - 1}`))) {
      if (Date.now() > deadline) throw new Error('alarm-latency bench: set-up calls not forwarded');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    const calls: number[] = [];
    const alarms: number[] = [];
    for (let i = 0; i < probes; i++) {
      const name = `probe-${i}`;
      const sent = performance.now();
      await trails.send(new DescribeTrailsCommand({ trailNameList: [name] }));
      calls.push(performance.now() - sent);
      await waitFor(() => alarmedAt.has(name), 30_000, `ALARM for ${name}`);
      alarms.push(alarmedAt.get(name)! - sent);
    }
    const call = summarize(calls);
    const alarm = summarize(alarms);
    return [
      `Call to alarm action: ${probes} probes, one at a time; each call matches one metric filter, whose alarm (Sum ≥ 1 over 60 s) notifies a webhook`,
      table(
        ['measured', 'n', 'p50', 'p99', 'p50 × baseline'],
        [
          ['the call answered, its record durable (baseline)', String(call.n), ms(call.p50), ms(call.p99), '1.00'],
          ['call sent → ALARM at the webhook', String(alarm.n), ms(alarm.p50), ms(alarm.p99), (alarm.p50 / call.p50).toFixed(1)],
        ],
      ),
    ].join('\n');
  } finally {
    trails.destroy();
    logs.destroy();
    cloudwatch.destroy();
    await server.stop();
    receiver.close();
  }
}
