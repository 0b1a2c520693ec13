/**
 * PutMetricAlarm, DescribeAlarms, DeleteAlarms, DescribeAlarmHistory and SetAlarmState. Every
 * change is staged (an AlarmChange) and committed with the call's record; the evaluator is told
 * after the commit.
 */
import type { OperationContext } from '../../../api/operation-context.js';
import type { AlarmHistoryItem, MetricAlarm } from '../../../store/monitoring/alarms.js';
import { alarmArn } from '../../../store/monitoring/alarms.js';
import { BAND_OPERATORS, COMPARISON_OPERATORS, STATISTICS, TREAT_MISSING_DATA, initialAlarmState } from '../../../monitoring/alarms/evaluate.js';
import { stateUpdateItem } from '../../../monitoring/alarms/history.js';
import { cloudWatchErrors } from '../cloudwatch-errors.js';
import type { PutMetricAlarmInput } from '../model.gen.js';
import { checkPeriod, dimensionsOf, historyAlarm, nextToken, positionOf, wireAlarm } from './common.js';
import type { OperationSpec } from './operation-spec.js';

const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
/** Longest evaluation range CloudWatch allows (periods times evaluation periods): one week. */
const MAX_EVALUATION_SECONDS = 7 * 86_400;
/** Alarms per account and region before PutMetricAlarm answers LimitExceeded. */
export const MAX_ALARMS = 10_000;

function keyOf(context: OperationContext, alarmName: string) {
  return { accountId: context.caller.accountId, region: context.region, alarmName };
}

function checkActions(list: readonly string[] | undefined, name: string): string[] {
  for (const action of list ?? []) {
    if (!SNS_TOPIC_ARN.test(action)) {
      throw cloudWatchErrors.invalidParameterValue(`Invalid arn syntax or unsupported action in ${name}: ${action.slice(0, 256)} (this OpenTrail server runs SNS topic actions only).`);
    }
  }
  return [...(list ?? [])];
}

function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw cloudWatchErrors.missingParameter(name);
  return value;
}

/** The alarm PutMetricAlarm describes, checked as CloudWatch checks it. */
function alarmOf(input: PutMetricAlarmInput, context: OperationContext, existing: MetricAlarm | undefined): MetricAlarm {
  if (input.Metrics !== undefined && input.Metrics.length > 0) throw cloudWatchErrors.notSupported('An alarm on metric math or several metrics (Metrics)');
  if (input.EvaluationCriteria !== undefined) throw cloudWatchErrors.notSupported('An alarm on a PromQL query (EvaluationCriteria)');
  if (input.ThresholdMetricId !== undefined) throw cloudWatchErrors.notSupported('An anomaly detection alarm (ThresholdMetricId)');
  if (input.ExtendedStatistic !== undefined) {
    if (input.Statistic !== undefined) throw cloudWatchErrors.invalidParameterCombination('Exactly one of Statistic or ExtendedStatistic must be specified.');
    throw cloudWatchErrors.notSupported('An alarm on an extended statistic (ExtendedStatistic)');
  }
  const metricName = required(input.MetricName, 'MetricName');
  const namespace = required(input.Namespace, 'Namespace');
  const statistic = required(input.Statistic, 'Statistic');
  if (!(STATISTICS as readonly string[]).includes(statistic)) throw cloudWatchErrors.invalidParameterValue(`Invalid statistic: ${statistic}`);
  const period = required(input.Period, 'Period');
  checkPeriod(period, 'Period');
  const evaluationPeriods = required(input.EvaluationPeriods, 'EvaluationPeriods');
  if (evaluationPeriods < 1) throw cloudWatchErrors.invalidParameterValue('The parameter EvaluationPeriods must be greater than or equal to 1.');
  if (period * evaluationPeriods > MAX_EVALUATION_SECONDS) {
    throw cloudWatchErrors.invalidParameterValue('The evaluation range (Period multiplied by EvaluationPeriods) must not exceed 7 days.');
  }
  if (input.DatapointsToAlarm !== undefined && (input.DatapointsToAlarm < 1 || input.DatapointsToAlarm > evaluationPeriods)) {
    throw cloudWatchErrors.invalidParameterValue('DatapointsToAlarm must be between 1 and EvaluationPeriods.');
  }
  const operator = required(input.ComparisonOperator, 'ComparisonOperator');
  if ((BAND_OPERATORS as readonly string[]).includes(operator)) throw cloudWatchErrors.notSupported(`The anomaly detection band operator ${operator}`);
  if (!(COMPARISON_OPERATORS as readonly string[]).includes(operator)) throw cloudWatchErrors.invalidParameterValue(`Invalid comparison operator: ${operator}`);
  const threshold = required(input.Threshold, 'Threshold');
  if (input.TreatMissingData !== undefined && !(TREAT_MISSING_DATA as readonly string[]).includes(input.TreatMissingData)) {
    throw cloudWatchErrors.invalidParameterValue(`The value ${input.TreatMissingData.slice(0, 64)} for TreatMissingData is not valid: use missing, notBreaching, breaching or ignore.`);
  }
  if (input.EvaluateLowSampleCountPercentile !== undefined) throw cloudWatchErrors.invalidParameterCombination('EvaluateLowSampleCountPercentile applies to percentile statistics only.');
  const { accountId } = context.caller;
  return {
    accountId,
    region: context.region,
    alarmName: input.AlarmName,
    alarmArn: alarmArn(context.region, accountId, input.AlarmName),
    ...(input.AlarmDescription !== undefined && { alarmDescription: input.AlarmDescription }),
    actionsEnabled: input.ActionsEnabled ?? true,
    okActions: checkActions(input.OKActions, 'OKActions'),
    alarmActions: checkActions(input.AlarmActions, 'AlarmActions'),
    insufficientDataActions: checkActions(input.InsufficientDataActions, 'InsufficientDataActions'),
    namespace,
    metricName,
    dimensions: dimensionsOf(input.Dimensions, 'Dimensions'),
    statistic,
    periodSeconds: period,
    ...(input.Unit !== undefined && { unit: input.Unit }),
    evaluationPeriods,
    ...(input.DatapointsToAlarm !== undefined && { datapointsToAlarm: input.DatapointsToAlarm }),
    threshold,
    comparisonOperator: operator,
    ...(input.TreatMissingData !== undefined && { treatMissingData: input.TreatMissingData }),
    // Tags are set when the alarm is made (PutMetricAlarm on an existing alarm leaves them).
    tags: existing?.tags ?? (input.Tags ?? []).map((t) => ({ Key: t.Key, Value: t.Value })),
    configurationUpdatedMs: context.nowMs,
    state: existing?.state ?? initialAlarmState(context.nowMs),
  };
}

function pokeAfterCommit(context: OperationContext): void {
  context.afterCommit(() => context.services.pokeAlarms());
}

export const putMetricAlarm: OperationSpec<'PutMetricAlarm'> = {
  authorizationResource: (input, context) => alarmArn(context.region, context.caller.accountId, input.AlarmName),
  async handle(input, context) {
    const existing = await context.services.alarms.get(keyOf(context, input.AlarmName));
    if (existing === undefined && (await context.services.alarms.count(context.caller.accountId, context.region)) >= MAX_ALARMS) {
      throw cloudWatchErrors.limitExceeded(`The maximum number of alarms (${MAX_ALARMS}) has been reached.`);
    }
    const alarm = alarmOf(input, context, existing);
    const history: AlarmHistoryItem = {
      ...keyOf(context, alarm.alarmName),
      timestampMs: context.nowMs,
      historyItemType: 'ConfigurationUpdate',
      historySummary: `Alarm "${alarm.alarmName}" ${existing === undefined ? 'created' : 'updated'}`,
      historyData: JSON.stringify(
        existing === undefined
          ? { version: '1.0', type: 'Create', createdAlarm: historyAlarm(alarm) }
          : { version: '1.0', type: 'Update', updatedAlarm: historyAlarm(alarm), originalUpdatedAlarm: historyAlarm(existing) },
      ),
    };
    context.stage({ kind: 'putMetricAlarm', alarm, history });
    pokeAfterCommit(context);
    return {};
  },
};

export const describeAlarms: OperationSpec<'DescribeAlarms'> = {
  async handle(input, context) {
    if (input.AlarmNames !== undefined && input.AlarmNames.length > 0 && input.AlarmNamePrefix !== undefined) {
      throw cloudWatchErrors.invalidParameterCombination('AlarmNames and AlarmNamePrefix cannot be used together.');
    }
    if (input.ChildrenOfAlarmName !== undefined || input.ParentsOfAlarmName !== undefined) {
      // Only composite alarms have children or parents, and there are none here.
      return { MetricAlarms: [], CompositeAlarms: [] };
    }
    if (input.AlarmTypes !== undefined && input.AlarmTypes.length > 0 && !input.AlarmTypes.includes('MetricAlarm')) return { MetricAlarms: [], CompositeAlarms: [] };
    const limit = input.MaxRecords ?? 50;
    if (limit < 1 || limit > 100) throw cloudWatchErrors.invalidParameterValue('The parameter MaxRecords must be between 1 and 100.');
    const after = positionOf<string>('alarms', input.NextToken, 'string');
    const { alarms, next } = await context.services.alarms.list(
      context.caller.accountId,
      context.region,
      {
        ...(input.AlarmNames !== undefined && { alarmNames: input.AlarmNames }),
        ...(input.AlarmNamePrefix !== undefined && { namePrefix: input.AlarmNamePrefix }),
        ...(input.StateValue !== undefined && { stateValue: input.StateValue }),
        ...(input.ActionPrefix !== undefined && { actionPrefix: input.ActionPrefix }),
      },
      limit,
      after,
    );
    return { MetricAlarms: alarms.map(wireAlarm), CompositeAlarms: [], ...(next !== undefined && { NextToken: nextToken('alarms', next) }) };
  },
};

export const deleteAlarms: OperationSpec<'DeleteAlarms'> = {
  async handle(input, context) {
    const names = [...new Set(input.AlarmNames)];
    const missing: string[] = [];
    for (const name of names) if ((await context.services.alarms.get(keyOf(context, name))) === undefined) missing.push(name);
    // As CloudWatch: one missing alarm and none is deleted.
    if (missing.length > 0) throw cloudWatchErrors.alarmNotFound(missing);
    const history: AlarmHistoryItem[] = names.map((name) => ({
      ...keyOf(context, name),
      timestampMs: context.nowMs,
      historyItemType: 'ConfigurationUpdate',
      historySummary: `Alarm "${name}" deleted`,
      historyData: JSON.stringify({ version: '1.0', type: 'Delete' }),
    }));
    context.stage(
      { kind: 'deleteAlarms', accountId: context.caller.accountId, region: context.region, alarmNames: names, history },
      { missing: cloudWatchErrors.alarmNotFound(names) },
    );
    pokeAfterCommit(context);
    return {};
  },
};

export const describeAlarmHistory: OperationSpec<'DescribeAlarmHistory'> = {
  async handle(input, context) {
    if (input.AlarmTypes !== undefined && input.AlarmTypes.length > 0 && !input.AlarmTypes.includes('MetricAlarm')) return { AlarmHistoryItems: [] };
    const limit = input.MaxRecords ?? 100;
    if (limit < 1 || limit > 100) throw cloudWatchErrors.invalidParameterValue('The parameter MaxRecords must be between 1 and 100.');
    const itemType = input.HistoryItemType;
    if (itemType === 'AlarmContributorStateUpdate' || itemType === 'AlarmContributorAction') return { AlarmHistoryItems: [] };
    const after = positionOf<number>('history', input.NextToken, 'number');
    const { items, next } = await context.services.alarms.history(
      context.caller.accountId,
      context.region,
      {
        ...(input.AlarmName !== undefined && { alarmName: input.AlarmName }),
        ...(itemType !== undefined && { itemType }),
        ...(input.StartDate !== undefined && { startMs: Math.round(input.StartDate * 1000) }),
        ...(input.EndDate !== undefined && { endMs: Math.round(input.EndDate * 1000) }),
        newestFirst: input.ScanBy !== 'TimestampAscending',
      },
      limit,
      after,
    );
    return {
      AlarmHistoryItems: items.map((item) => ({
        AlarmName: item.alarmName,
        AlarmType: 'MetricAlarm' as const,
        Timestamp: item.timestampMs / 1000,
        HistoryItemType: item.historyItemType,
        HistorySummary: item.historySummary,
        HistoryData: item.historyData,
      })),
      ...(next !== undefined && { NextToken: nextToken('history', next) }),
    };
  },
};

export const setAlarmState: OperationSpec<'SetAlarmState'> = {
  authorizationResource: (input, context) => alarmArn(context.region, context.caller.accountId, input.AlarmName),
  async handle(input, context) {
    const alarm = await context.services.alarms.get(keyOf(context, input.AlarmName));
    if (alarm === undefined) throw cloudWatchErrors.alarmNotFound([input.AlarmName]);
    if (input.StateReasonData !== undefined) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(input.StateReasonData);
      } catch {
        throw cloudWatchErrors.invalidFormat('The StateReasonData is not valid JSON.');
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw cloudWatchErrors.invalidFormat('The StateReasonData must be a JSON object.');
    }
    const state = {
      value: input.StateValue,
      reason: input.StateReason,
      ...(input.StateReasonData !== undefined && { reasonData: input.StateReasonData }),
      timestampMs: context.nowMs,
    };
    context.stage(
      { kind: 'setAlarmState', accountId: context.caller.accountId, region: context.region, alarmName: input.AlarmName, state, history: stateUpdateItem(alarm, state) },
      { missing: cloudWatchErrors.alarmNotFound([input.AlarmName]) },
    );
    pokeAfterCommit(context);
    return {};
  },
};
