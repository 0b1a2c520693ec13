/**
 * PutMetricData, ListMetrics, GetMetricStatistics and GetMetricData over the per-minute
 * aggregates of the metric store. PutMetricData's samples are staged (a putMetricData change)
 * and committed with the call's record; periods are whole minutes, aligned to the epoch.
 */
import type { OperationContext } from '../../../api/operation-context.js';
import type { MetricKey, MetricSample, MinuteAggregate } from '../../../store/monitoring/metrics.js';
import { STATISTICS, periodAggregates, statisticOf } from '../../../monitoring/alarms/evaluate.js';
import { cloudWatchErrors } from '../cloudwatch-errors.js';
import type { Datapoint, MetricDataResult, MetricDatum } from '../model.gen.js';
import { checkPeriod, checkTimeRange, dimensionsOf, nextToken, positionOf, wireDimensions } from './common.js';
import type { OperationSpec } from './operation-spec.js';

const TWO_WEEKS_MS = 14 * 86_400_000;
const TWO_HOURS_MS = 2 * 3_600_000;
/** GetMetricStatistics answers at most this many datapoints. */
const MAX_STATISTICS_DATAPOINTS = 1_440;
const DEFAULT_MAX_DATAPOINTS = 100_800;
const LIST_PAGE = 500;

function finite(value: number, where: string): number {
  if (!Number.isFinite(value)) throw cloudWatchErrors.invalidParameterValue(`The value ${String(value)} for parameter ${where} is invalid.`);
  if (Math.abs(value) > 2 ** 360 || (value !== 0 && Math.abs(value) < 2 ** -260)) {
    throw cloudWatchErrors.invalidParameterValue(`The value ${String(value)} for parameter ${where} is out of range.`);
  }
  return value;
}

function samplesOf(datum: MetricDatum, index: number, key: MetricKey, nowMs: number): MetricSample[] {
  const where = `MetricData.member.${index + 1}`;
  const timestampMs = datum.Timestamp === undefined ? nowMs : Math.round(datum.Timestamp * 1000);
  if (timestampMs < nowMs - TWO_WEEKS_MS || timestampMs > nowMs + TWO_HOURS_MS) {
    throw cloudWatchErrors.invalidParameterValue(`The parameter ${where}.Timestamp must specify a time no more than two weeks in the past and no more than two hours in the future.`);
  }
  const given = [datum.Value !== undefined, datum.StatisticValues !== undefined, datum.Values !== undefined && datum.Values.length > 0].filter(Boolean).length;
  if (given > 1) throw cloudWatchErrors.invalidParameterCombination(`The parameters ${where}.Value, ${where}.StatisticValues and ${where}.Values are mutually exclusive.`);
  if (given === 0) throw cloudWatchErrors.missingParameter(`${where}.Value`);
  if (datum.Value !== undefined) {
    const v = finite(datum.Value, `${where}.Value`);
    return [{ key, timestampMs, sampleCount: 1, sum: v, minimum: v, maximum: v }];
  }
  if (datum.StatisticValues !== undefined) {
    const s = datum.StatisticValues;
    for (const [name, value] of Object.entries(s)) finite(value as number, `${where}.StatisticValues.${name}`);
    if (s.SampleCount <= 0 || s.Minimum > s.Maximum) throw cloudWatchErrors.invalidParameterValue(`The parameter ${where}.StatisticValues is not a consistent statistic set.`);
    return [{ key, timestampMs, sampleCount: s.SampleCount, sum: s.Sum, minimum: s.Minimum, maximum: s.Maximum }];
  }
  const values = datum.Values!;
  const counts = datum.Counts;
  if (counts !== undefined && counts.length > 0 && counts.length !== values.length) {
    throw cloudWatchErrors.invalidParameterValue(`The parameters ${where}.Values and ${where}.Counts must be arrays of the same length.`);
  }
  if (values.length > 150) throw cloudWatchErrors.invalidParameterValue(`The collection ${where}.Values must not have more than 150 values.`);
  return values.map((raw, i) => {
    const v = finite(raw, `${where}.Values.member.${i + 1}`);
    const c = counts !== undefined && counts.length > 0 ? finite(counts[i]!, `${where}.Counts.member.${i + 1}`) : 1;
    if (c <= 0) throw cloudWatchErrors.invalidParameterValue(`The parameter ${where}.Counts.member.${i + 1} must be positive.`);
    return { key, timestampMs, sampleCount: c, sum: v * c, minimum: v, maximum: v };
  });
}

export const putMetricData: OperationSpec<'PutMetricData'> = {
  async handle(input, context) {
    if (input.Namespace.startsWith('AWS/')) throw cloudWatchErrors.invalidParameterValue('The value AWS/ for parameter Namespace is invalid: namespaces starting with AWS/ are reserved.');
    if (input.EntityMetricData !== undefined && input.EntityMetricData.length > 0) throw cloudWatchErrors.notSupported('EntityMetricData');
    const data = input.MetricData ?? [];
    if (data.length === 0) throw cloudWatchErrors.missingParameter('MetricData');
    if (data.length > 1000) throw cloudWatchErrors.invalidParameterValue('The collection MetricData must not have more than 1000 members.');
    const samples = data.flatMap((datum, i) => {
      const key: MetricKey = {
        accountId: context.caller.accountId,
        region: context.region,
        namespace: input.Namespace,
        metricName: datum.MetricName,
        dimensions: dimensionsOf(datum.Dimensions, `MetricData.member.${i + 1}.Dimensions`),
      };
      return samplesOf(datum, i, key, context.nowMs);
    });
    context.stage({ kind: 'putMetricData', samples });
    context.afterCommit(() => context.services.pokeAlarms());
    return {};
  },
};

export const listMetrics: OperationSpec<'ListMetrics'> = {
  async handle(input, context) {
    if (input.OwningAccount !== undefined && input.OwningAccount !== context.caller.accountId) return { Metrics: [] };
    const after = positionOf<string>('metrics', input.NextToken, 'string');
    const { metrics, next } = await context.services.metrics.list(
      context.caller.accountId,
      context.region,
      {
        ...(input.Namespace !== undefined && { namespace: input.Namespace }),
        ...(input.MetricName !== undefined && { metricName: input.MetricName }),
        ...(input.Dimensions !== undefined && { dimensions: input.Dimensions.map((d) => ({ name: d.Name, ...(d.Value !== undefined && { value: d.Value }) })) }),
        ...(input.RecentlyActive === 'PT3H' && { activeSinceMs: context.nowMs - 3 * 3_600_000 }),
      },
      LIST_PAGE,
      after,
    );
    return {
      Metrics: metrics.map((m) => ({ Namespace: m.namespace, MetricName: m.metricName, Dimensions: wireDimensions(m.dimensions) })),
      ...(input.IncludeLinkedAccounts === true && { OwningAccounts: metrics.map(() => context.caller.accountId) }),
      ...(next !== undefined && { NextToken: nextToken('metrics', next) }),
    };
  },
};

/** The periods of [startMs, endMs) that have samples: aligned to the epoch, oldest first. */
async function periodsOf(context: OperationContext, key: MetricKey, periodSeconds: number, startSeconds: number, endSeconds: number) {
  const periodMs = periodSeconds * 1000;
  const startMs = Math.floor((startSeconds * 1000) / periodMs) * periodMs;
  const endMs = Math.ceil((endSeconds * 1000) / periodMs) * periodMs;
  const minutes: MinuteAggregate[] = await context.services.metrics.minutes(key, startMs, endMs);
  return [...periodAggregates(minutes, periodMs).values()].sort((a, b) => a.startMs - b.startMs);
}

function datapointCount(periodSeconds: number, startSeconds: number, endSeconds: number): number {
  return Math.ceil((endSeconds - Math.floor(startSeconds / periodSeconds) * periodSeconds) / periodSeconds);
}

export const getMetricStatistics: OperationSpec<'GetMetricStatistics'> = {
  async handle(input, context) {
    checkPeriod(input.Period, 'Period');
    checkTimeRange(input.StartTime, input.EndTime);
    if (input.ExtendedStatistics !== undefined && input.ExtendedStatistics.length > 0) {
      if (input.Statistics !== undefined && input.Statistics.length > 0) {
        throw cloudWatchErrors.invalidParameterCombination('The parameters Statistics and ExtendedStatistics are mutually exclusive.');
      }
      throw cloudWatchErrors.notSupported('ExtendedStatistics (percentiles)');
    }
    const statistics = input.Statistics ?? [];
    if (statistics.length === 0) throw cloudWatchErrors.missingParameter('Statistics');
    const requested = datapointCount(input.Period, input.StartTime, input.EndTime);
    if (requested > MAX_STATISTICS_DATAPOINTS) {
      throw cloudWatchErrors.invalidParameterCombination(
        `You have requested up to ${requested} datapoints, which exceeds the limit of ${MAX_STATISTICS_DATAPOINTS}. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`,
      );
    }
    const key: MetricKey = {
      accountId: context.caller.accountId,
      region: context.region,
      namespace: input.Namespace,
      metricName: input.MetricName,
      dimensions: dimensionsOf(input.Dimensions, 'Dimensions'),
    };
    const periods = await periodsOf(context, key, input.Period, input.StartTime, input.EndTime);
    const unit = input.Unit ?? 'None';
    const datapoints: Datapoint[] = periods.map((p) => {
      const point: Datapoint = { Timestamp: p.startMs / 1000, Unit: unit };
      for (const statistic of statistics) point[statistic] = statisticOf(statistic, p);
      return point;
    });
    return { Label: input.MetricName, Datapoints: datapoints };
  },
};

export const getMetricData: OperationSpec<'GetMetricData'> = {
  async handle(input, context) {
    checkTimeRange(input.StartTime, input.EndTime);
    const queries = input.MetricDataQueries;
    if (queries.length === 0) throw cloudWatchErrors.missingParameter('MetricDataQueries');
    if (queries.length > 500) throw cloudWatchErrors.invalidParameterValue('The collection MetricDataQueries must not have more than 500 members.');
    if (new Set(queries.map((q) => q.Id)).size !== queries.length) throw cloudWatchErrors.invalidParameterValue('The values for parameter Id in MetricDataQueries must be unique.');
    positionOf<string>('metricdata', input.NextToken, 'string');
    const maxDatapoints = input.MaxDatapoints ?? DEFAULT_MAX_DATAPOINTS;
    if (maxDatapoints < 1) throw cloudWatchErrors.invalidParameterValue('The parameter MaxDatapoints must be positive.');
    const descending = input.ScanBy !== 'TimestampAscending';
    const results: MetricDataResult[] = [];
    let budget = maxDatapoints;
    for (const [i, query] of queries.entries()) {
      const where = `MetricDataQueries.member.${i + 1}`;
      if (query.Expression !== undefined) throw cloudWatchErrors.notSupported(`Metric math (${where}.Expression)`);
      const stat = query.MetricStat;
      if (stat === undefined) throw cloudWatchErrors.missingParameter(`${where}.MetricStat`);
      if (query.AccountId !== undefined && query.AccountId !== context.caller.accountId) throw cloudWatchErrors.notSupported(`Cross-account metric data (${where}.AccountId)`);
      if (!(STATISTICS as readonly string[]).includes(stat.Stat)) throw cloudWatchErrors.notSupported(`The statistic ${stat.Stat.slice(0, 64)} (${where}.MetricStat.Stat)`);
      checkPeriod(stat.Period, `${where}.MetricStat.Period`);
      const metric = stat.Metric;
      if (metric.Namespace === undefined) throw cloudWatchErrors.missingParameter(`${where}.MetricStat.Metric.Namespace`);
      if (metric.MetricName === undefined) throw cloudWatchErrors.missingParameter(`${where}.MetricStat.Metric.MetricName`);
      const key: MetricKey = {
        accountId: context.caller.accountId,
        region: context.region,
        namespace: metric.Namespace,
        metricName: metric.MetricName,
        dimensions: dimensionsOf(metric.Dimensions, `${where}.MetricStat.Metric.Dimensions`),
      };
      if (query.ReturnData === false) continue;
      let periods = await periodsOf(context, key, stat.Period, input.StartTime, input.EndTime);
      if (descending) periods = periods.reverse();
      const complete = periods.length <= budget;
      periods = periods.slice(0, Math.max(0, budget));
      budget -= periods.length;
      results.push({
        Id: query.Id,
        Label: query.Label ?? metric.MetricName,
        Timestamps: periods.map((p) => p.startMs / 1000),
        Values: periods.map((p) => statisticOf(stat.Stat, p)),
        StatusCode: complete ? 'Complete' : 'PartialData',
      });
    }
    return { MetricDataResults: results, Messages: [] };
  },
};

