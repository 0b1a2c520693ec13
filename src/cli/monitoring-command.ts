/**
 * `opentrail monitoring install-cis`: the CIS AWS Foundations metric filters and alarms on a
 * log group, through the CloudWatch Logs and CloudWatch APIs at `--endpoint-url` (OpenTrail's
 * own by default configuration of the AWS tools: credentials from the usual AWS chain or
 * `--profile`, region from `--region` or AWS_REGION).
 */
import type { Command } from 'commander';
import { environmentRegion } from '../objects/aws-sdk.js';
import { CloudWatchClient, CloudWatchLogsClient, installCisPack } from '../monitoring/install-cis.js';

interface InstallCisCommandOptions {
  logGroup: string;
  topic: string;
  endpointUrl?: string;
  region?: string;
  profile?: string;
}

export function registerMonitoringCommand(program: Command): void {
  const monitoring = program.command('monitoring').description('CloudWatch monitoring of the audit trail');
  monitoring
    .command('install-cis')
    .description('create the 15 CIS AWS Foundations metric filters (4.1-4.15) on a log group, and their alarms with an SNS topic as action')
    .requiredOption('--log-group <name>', 'the log group the trail forwards to')
    .requiredOption('--topic <arn>', 'the SNS topic the alarms notify')
    .option('--endpoint-url <url>', 'the CloudWatch Logs and CloudWatch API (e.g. the OpenTrail server: http://127.0.0.1:4747)')
    .option('--region <region>', 'the region of the log group (default: AWS_REGION / AWS_DEFAULT_REGION, else us-east-1)')
    .option('--profile <name>', 'AWS profile for the credentials (default: the usual AWS chain)')
    .action(async (options: InstallCisCommandOptions) => {
      if (options.profile !== undefined) process.env.AWS_PROFILE = options.profile;
      const region = options.region ?? environmentRegion();
      const config = { region, ...(options.endpointUrl !== undefined && { endpoint: options.endpointUrl }) };
      const logs = new CloudWatchLogsClient(config);
      const cloudwatch = new CloudWatchClient(config);
      try {
        const installed = await installCisPack({
          logGroupName: options.logGroup,
          topicArn: options.topic,
          logs,
          cloudwatch,
          onInstalled: (control) => process.stdout.write(`${control.id.padEnd(5)} ${control.alarmName.padEnd(48)} ${control.title}\n`),
        });
        process.stdout.write(`Installed ${installed.length} CIS controls on log group ${options.logGroup}; their alarms notify ${options.topic}.\n`);
      } finally {
        logs.destroy();
        cloudwatch.destroy();
      }
    });
}
