/**
 * Installs the CIS AWS Foundations monitoring controls (4.1-4.15) on a log group: for each, a
 * metric filter (value 1 per matching event) and an alarm on its metric with the CIS
 * convention (Sum over 300 s, at least 1, one period, missing data not breaching) whose action
 * is the given SNS topic. Through the public APIs only (any CloudWatch Logs and CloudWatch API:
 * OpenTrail's own, or AWS's), so each step is an ordinary recorded call. Re-running replaces
 * filters and alarms of the same names (Put* semantics), so it is safe to repeat.
 */
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, PutMetricFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CIS_ALARM, CIS_CONTROLS, CIS_NAMESPACE } from './cis/cis-pack.js';
import type { CisControl } from './cis/cis-pack.js';

export interface InstallCisOptions {
  logGroupName: string;
  topicArn: string;
  logs: Pick<CloudWatchLogsClient, 'send'>;
  cloudwatch: Pick<CloudWatchClient, 'send'>;
  /** Told of each control once both its filter and its alarm are in place. */
  onInstalled?: (control: CisControl) => void;
}

export async function installCisPack(options: InstallCisOptions): Promise<CisControl[]> {
  for (const control of CIS_CONTROLS) {
    await options.logs.send(
      new PutMetricFilterCommand({
        logGroupName: options.logGroupName,
        filterName: control.filterName,
        filterPattern: control.pattern,
        metricTransformations: [{ metricName: control.metricName, metricNamespace: CIS_NAMESPACE, metricValue: CIS_ALARM.metricValue }],
      }),
    );
    await options.cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: control.alarmName,
        AlarmDescription: `CIS ${control.id}: ${control.title}`,
        Namespace: CIS_NAMESPACE,
        MetricName: control.metricName,
        Statistic: CIS_ALARM.statistic,
        Period: CIS_ALARM.period,
        EvaluationPeriods: CIS_ALARM.evaluationPeriods,
        Threshold: CIS_ALARM.threshold,
        ComparisonOperator: CIS_ALARM.comparisonOperator,
        TreatMissingData: CIS_ALARM.treatMissingData,
        ActionsEnabled: true,
        AlarmActions: [options.topicArn],
      }),
    );
    options.onInstalled?.(control);
  }
  return [...CIS_CONTROLS];
}

export { CloudWatchClient, CloudWatchLogsClient };
