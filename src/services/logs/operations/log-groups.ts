/**
 * Log groups: CreateLogGroup, DeleteLogGroup, DescribeLogGroups, PutRetentionPolicy and
 * DeleteRetentionPolicy. Names and tags are checked against the model before a handler runs
 * (InvalidParameterException); changes are staged and applied with the call's record.
 */
import type { OperationContext } from '../../../api/operation-context.js';
import type { LogGroupSummary } from '../../../store/monitoring/log-groups.js';
import type { LogGroup as LogGroupShape } from '../model.gen.js';
import { authorizationArn, existingGroup, logGroupArn } from '../logs-access.js';
import { logsErrors } from '../logs-errors.js';
import { decodeToken, encodeToken } from '../logs-paging.js';
import type { OperationSpec } from './operation-spec.js';

/** The retention periods CloudWatch Logs accepts, in days. */
export const RETENTION_DAYS: readonly number[] = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

const DEFAULT_GROUP_LIMIT = 50;

function groupShape(group: LogGroupSummary): LogGroupShape {
  return {
    logGroupName: group.name,
    creationTime: group.createdAt,
    ...(group.retentionInDays !== undefined && { retentionInDays: group.retentionInDays }),
    metricFilterCount: group.metricFilterCount,
    arn: `${group.arn}:*`,
    storedBytes: group.storedBytes,
    ...(group.kmsKeyId !== undefined && { kmsKeyId: group.kmsKeyId }),
    logGroupClass: 'STANDARD',
    logGroupArn: group.arn,
  };
}

const groupResource = (input: { logGroupName: string }, context: OperationContext) => authorizationArn(context, input.logGroupName);

export const createLogGroup: OperationSpec<'CreateLogGroup'> = {
  authorizationResource: groupResource,
  async handle(input, context) {
    if (input.logGroupClass !== undefined && input.logGroupClass !== 'STANDARD') {
      throw logsErrors.invalidParameter(`Log group class ${input.logGroupClass} is not supported here; only STANDARD is.`);
    }
    const { accountId } = context.caller;
    if ((await context.services.logs.group(accountId, context.region, input.logGroupName)) !== undefined) throw logsErrors.groupExists();
    context.stage(
      {
        kind: 'createLogGroup',
        group: {
          accountId,
          region: context.region,
          name: input.logGroupName,
          arn: logGroupArn(context.region, accountId, input.logGroupName),
          createdAt: context.nowMs,
          ...(input.kmsKeyId !== undefined && { kmsKeyId: input.kmsKeyId }),
          tags: { ...(input.tags ?? {}) },
        },
      },
      { exists: logsErrors.groupExists() },
    );
    return {};
  },
};

export const deleteLogGroup: OperationSpec<'DeleteLogGroup'> = {
  authorizationResource: groupResource,
  async handle(input, context) {
    await existingGroup(context, input.logGroupName);
    context.stage({ kind: 'deleteLogGroup', accountId: context.caller.accountId, region: context.region, name: input.logGroupName }, { missing: logsErrors.groupNotFound() });
    return {};
  },
};

export const describeLogGroups: OperationSpec<'DescribeLogGroups'> = {
  authorizationResource: (_input, context) => authorizationArn(context),
  async handle(input, context) {
    if (input.logGroupNamePrefix !== undefined && input.logGroupNamePattern !== undefined) {
      throw logsErrors.invalidParameter('LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.');
    }
    const limit = input.limit ?? DEFAULT_GROUP_LIMIT;
    const after = input.nextToken === undefined ? undefined : decodeToken('DescribeLogGroups', input.nextToken, { name: 'string' }).name;
    const groups = await context.services.logs.groups(context.caller.accountId, context.region, {
      ...(input.logGroupNamePrefix !== undefined && { prefix: input.logGroupNamePrefix }),
      ...(input.logGroupNamePattern !== undefined && input.logGroupNamePattern !== '' && { pattern: input.logGroupNamePattern }),
      ...(after !== undefined && { after }),
      limit: limit + 1,
    });
    const page = groups.slice(0, limit);
    return {
      logGroups: page.map(groupShape),
      ...(groups.length > limit && { nextToken: encodeToken('DescribeLogGroups', { name: page[page.length - 1]!.name }) }),
    };
  },
};

export const putRetentionPolicy: OperationSpec<'PutRetentionPolicy'> = {
  authorizationResource: groupResource,
  async handle(input, context) {
    if (!RETENTION_DAYS.includes(input.retentionInDays)) {
      throw logsErrors.invalidParameter(
        `1 validation error detected: Value '${input.retentionInDays}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`,
      );
    }
    await existingGroup(context, input.logGroupName);
    context.stage(
      { kind: 'setLogGroupRetention', accountId: context.caller.accountId, region: context.region, name: input.logGroupName, retentionInDays: input.retentionInDays },
      { missing: logsErrors.groupNotFound() },
    );
    return {};
  },
};

export const deleteRetentionPolicy: OperationSpec<'DeleteRetentionPolicy'> = {
  authorizationResource: groupResource,
  async handle(input, context) {
    await existingGroup(context, input.logGroupName);
    context.stage(
      { kind: 'setLogGroupRetention', accountId: context.caller.accountId, region: context.region, name: input.logGroupName, retentionInDays: null },
      { missing: logsErrors.groupNotFound() },
    );
    return {};
  },
};
