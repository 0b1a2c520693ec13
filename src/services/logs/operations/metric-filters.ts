/**
 * Metric filters: PutMetricFilter (pattern parsed here, so a bad one is refused with where it
 * failed), DescribeMetricFilters, DeleteMetricFilter, and TestMetricFilter (the pattern against
 * sample messages, nothing stored).
 */
import { matchLogEvent, parseFilterPattern } from '../../../monitoring/filter-pattern/index.js';
import { MAX_FILTERS_PER_GROUP, MAX_REGEX_FILTERS_PER_GROUP } from '../../../store/monitoring/log-groups.js';
import type { MetricFilter, MetricTransformation } from '../../../store/monitoring/log-groups.js';
import type { MetricFilter as MetricFilterShape, MetricFilterMatchRecord, MetricTransformation as MetricTransformationShape } from '../model.gen.js';
import { authorizationArn, existingGroup } from '../logs-access.js';
import { logsErrors } from '../logs-errors.js';
import { decodeToken, encodeToken } from '../logs-paging.js';
import { requestPattern } from './log-events.js';
import type { OperationSpec } from './operation-spec.js';

const MAX_REGEX_PER_PATTERN = 2;
const MAX_DIMENSIONS = 3;
const DEFAULT_FILTER_LIMIT = 50;

const NUMBER = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;
/** `$.a.b[0]` (JSON), `$name` (a space-delimited field), `$1` (a field by position). */
const SELECTOR = /^\$(?:\.\S+|\[\S+|[A-Za-z_][A-Za-z0-9_]*|\d+)$/;

function regexCountOf(source: string): number {
  try {
    return parseFilterPattern(source).regexCount;
  } catch {
    return 0;
  }
}

function checkTransformation(t: MetricTransformationShape): void {
  if (!NUMBER.test(t.metricValue) && !SELECTOR.test(t.metricValue)) {
    throw logsErrors.invalidParameter(`Invalid metric value: it must be a number or a selector of the filter pattern ($.field, $name or $1).`);
  }
  const dimensions = Object.entries(t.dimensions ?? {});
  if (t.defaultValue !== undefined && dimensions.length > 0) {
    throw logsErrors.invalidParameter('A metric transformation cannot have both a defaultValue and dimensions.');
  }
  if (dimensions.length > MAX_DIMENSIONS) throw logsErrors.invalidParameter(`A metric transformation can have at most ${MAX_DIMENSIONS} dimensions.`);
  for (const [name, selector] of dimensions) {
    if (!SELECTOR.test(selector)) throw logsErrors.invalidParameter(`Invalid dimension value for ${name}: it must be a selector of the filter pattern.`);
  }
}

function transformationOf(t: MetricTransformationShape): MetricTransformation {
  return {
    metricName: t.metricName,
    metricNamespace: t.metricNamespace,
    metricValue: t.metricValue,
    ...(t.defaultValue !== undefined && { defaultValue: t.defaultValue }),
    ...(t.dimensions !== undefined && Object.keys(t.dimensions).length > 0 && { dimensions: { ...t.dimensions } }),
    ...(t.unit !== undefined && { unit: t.unit }),
  };
}

function filterShape(f: MetricFilter): MetricFilterShape {
  return {
    filterName: f.filterName,
    filterPattern: f.filterPattern,
    metricTransformations: f.metricTransformations.map((t) => ({
      metricName: t.metricName,
      metricNamespace: t.metricNamespace,
      metricValue: t.metricValue,
      ...(t.defaultValue !== undefined && { defaultValue: t.defaultValue }),
      ...(t.dimensions !== undefined && { dimensions: t.dimensions }),
      ...(t.unit !== undefined && { unit: t.unit as MetricTransformationShape['unit'] }),
    })),
    creationTime: f.createdAt,
    logGroupName: f.logGroupName,
    applyOnTransformedLogs: false,
  };
}

export const putMetricFilter: OperationSpec<'PutMetricFilter'> = {
  authorizationResource: (input, context) => authorizationArn(context, input.logGroupName),
  async handle(input, context) {
    if (input.applyOnTransformedLogs === true) throw logsErrors.invalidParameter('Transformers are not supported here: applyOnTransformedLogs must be false.');
    const pattern = requestPattern(input.filterPattern);
    if (pattern.regexCount > MAX_REGEX_PER_PATTERN) throw logsErrors.invalidParameter(`A filter pattern can have at most ${MAX_REGEX_PER_PATTERN} regular expressions.`);
    for (const t of input.metricTransformations) checkTransformation(t);
    await existingGroup(context, input.logGroupName);
    const { accountId } = context.caller;
    const others = (await context.services.logs.metricFilters(accountId, context.region, { logGroupName: input.logGroupName, limit: MAX_FILTERS_PER_GROUP + 1 })).filter(
      (f) => f.filterName !== input.filterName,
    );
    if (others.length >= MAX_FILTERS_PER_GROUP) throw logsErrors.limitExceeded(`A log group can have at most ${MAX_FILTERS_PER_GROUP} metric filters.`);
    const regexLimit = () => logsErrors.limitExceeded(`A log group can have at most ${MAX_REGEX_FILTERS_PER_GROUP} metric filters whose patterns use regular expressions.`);
    if (pattern.regexCount > 0 && others.filter((f) => regexCountOf(f.filterPattern) > 0).length >= MAX_REGEX_FILTERS_PER_GROUP) throw regexLimit();
    context.stage(
      {
        kind: 'putMetricFilter',
        filter: {
          accountId,
          region: context.region,
          logGroupName: input.logGroupName,
          filterName: input.filterName,
          filterPattern: input.filterPattern,
          metricTransformations: input.metricTransformations.map(transformationOf),
          createdAt: context.nowMs,
        },
      },
      // A racing put took the last place meanwhile: the quota it would break.
      { missing: logsErrors.groupNotFound(), exists: pattern.regexCount > 0 ? regexLimit() : logsErrors.limitExceeded(`A log group can have at most ${MAX_FILTERS_PER_GROUP} metric filters.`) },
    );
    return {};
  },
};

export const describeMetricFilters: OperationSpec<'DescribeMetricFilters'> = {
  authorizationResource: (input, context) => authorizationArn(context, input.logGroupName ?? ''),
  async handle(input, context) {
    if (input.filterNamePrefix !== undefined && input.logGroupName === undefined) {
      throw logsErrors.invalidParameter('filterNamePrefix can be given only with a logGroupName.');
    }
    if ((input.metricName === undefined) !== (input.metricNamespace === undefined)) {
      throw logsErrors.invalidParameter('metricName and metricNamespace must be given together.');
    }
    if (input.logGroupName !== undefined) await existingGroup(context, input.logGroupName);
    const limit = input.limit ?? DEFAULT_FILTER_LIMIT;
    const after = input.nextToken === undefined ? undefined : decodeToken('DescribeMetricFilters', input.nextToken, { logGroupName: 'string', filterName: 'string' });
    const filters = await context.services.logs.metricFilters(context.caller.accountId, context.region, {
      ...(input.logGroupName !== undefined && { logGroupName: input.logGroupName }),
      ...(input.filterNamePrefix !== undefined && { filterNamePrefix: input.filterNamePrefix }),
      ...(input.metricName !== undefined && { metricName: input.metricName }),
      ...(input.metricNamespace !== undefined && { metricNamespace: input.metricNamespace }),
      ...(after !== undefined && { after: { logGroupName: after.logGroupName, filterName: after.filterName } }),
      limit: limit + 1,
    });
    const page = filters.slice(0, limit);
    const last = page[page.length - 1];
    return {
      metricFilters: page.map(filterShape),
      ...(filters.length > limit && last !== undefined && { nextToken: encodeToken('DescribeMetricFilters', { logGroupName: last.logGroupName, filterName: last.filterName }) }),
    };
  },
};

export const deleteMetricFilter: OperationSpec<'DeleteMetricFilter'> = {
  authorizationResource: (input, context) => authorizationArn(context, input.logGroupName),
  async handle(input, context) {
    await existingGroup(context, input.logGroupName);
    const { accountId } = context.caller;
    const found = await context.services.logs.metricFilters(accountId, context.region, { logGroupName: input.logGroupName, filterNamePrefix: input.filterName, limit: MAX_FILTERS_PER_GROUP + 1 });
    if (!found.some((f) => f.filterName === input.filterName)) throw logsErrors.filterNotFound();
    context.stage(
      { kind: 'deleteMetricFilter', accountId, region: context.region, logGroupName: input.logGroupName, filterName: input.filterName },
      { missing: logsErrors.filterNotFound() },
    );
    return {};
  },
};

export const testMetricFilter: OperationSpec<'TestMetricFilter'> = {
  authorizationResource: (_input, context) => authorizationArn(context),
  async handle(input, context) {
    void context;
    const pattern = requestPattern(input.filterPattern);
    const matches: MetricFilterMatchRecord[] = [];
    input.logEventMessages.forEach((message, index) => {
      const match = matchLogEvent(pattern, message);
      if (match !== undefined) matches.push({ eventNumber: index + 1, eventMessage: message, extractedValues: { ...(match.extractedValues ?? {}) } });
    });
    return { matches };
  },
};
