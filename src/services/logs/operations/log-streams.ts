/** Log streams of a user's own: CreateLogStream, DescribeLogStreams. */
import type { LogStream } from '../../../store/monitoring/log-groups.js';
import type { LogStream as LogStreamShape } from '../model.gen.js';
import { authorizationArn, authorizationGroupName, existingGroup, groupNameOfInput, logStreamArn } from '../logs-access.js';
import { logsErrors } from '../logs-errors.js';
import { decodeToken, encodeToken } from '../logs-paging.js';
import type { OperationSpec } from './operation-spec.js';

const DEFAULT_STREAM_LIMIT = 50;

function streamShape(region: string, accountId: string, groupName: string, stream: LogStream): LogStreamShape {
  return {
    logStreamName: stream.name,
    creationTime: stream.createdAt,
    ...(stream.firstEventTimestamp !== undefined && { firstEventTimestamp: stream.firstEventTimestamp }),
    ...(stream.lastEventTimestamp !== undefined && { lastEventTimestamp: stream.lastEventTimestamp }),
    ...(stream.lastIngestionTime !== undefined && { lastIngestionTime: stream.lastIngestionTime }),
    arn: logStreamArn(region, accountId, groupName, stream.name),
    storedBytes: stream.storedBytes,
  };
}

export const createLogStream: OperationSpec<'CreateLogStream'> = {
  authorizationResource: (input, context) => authorizationArn(context, input.logGroupName, input.logStreamName),
  async handle(input, context) {
    const { accountId } = context.caller;
    await existingGroup(context, input.logGroupName);
    if ((await context.services.logs.stream(accountId, context.region, input.logGroupName, input.logStreamName)) !== undefined) throw logsErrors.streamExists();
    context.stage(
      { kind: 'createLogStream', accountId, region: context.region, logGroupName: input.logGroupName, logStreamName: input.logStreamName, createdAt: context.nowMs },
      { exists: logsErrors.streamExists(), missing: logsErrors.groupNotFound() },
    );
    return {};
  },
};

export const describeLogStreams: OperationSpec<'DescribeLogStreams'> = {
  authorizationResource: (input, context) => authorizationArn(context, authorizationGroupName(input)),
  async handle(input, context) {
    const orderBy = input.orderBy ?? 'LogStreamName';
    if (orderBy === 'LastEventTime' && input.logStreamNamePrefix !== undefined) {
      throw logsErrors.invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
    }
    const group = await existingGroup(context, groupNameOfInput(context, input));
    const descending = input.descending === true;
    const limit = input.limit ?? DEFAULT_STREAM_LIMIT;
    const after =
      input.nextToken === undefined
        ? undefined
        : decodeToken(`DescribeLogStreams:${orderBy}:${descending}`, input.nextToken, { lastEventTimestamp: 'number', name: 'string' });
    const streams = await context.services.logs.streams(context.caller.accountId, context.region, group.name, {
      ...(input.logStreamNamePrefix !== undefined && { prefix: input.logStreamNamePrefix }),
      orderBy,
      descending,
      ...(after !== undefined && { after: { lastEventTimestamp: after.lastEventTimestamp, name: after.name } }),
      limit: limit + 1,
    });
    const page = streams.slice(0, limit);
    const last = page[page.length - 1];
    return {
      logStreams: page.map((s) => streamShape(context.region, context.caller.accountId, group.name, s)),
      ...(streams.length > limit &&
        last !== undefined && {
          nextToken: encodeToken(`DescribeLogStreams:${orderBy}:${descending}`, { lastEventTimestamp: last.lastEventTimestamp ?? -1, name: last.name }),
        }),
    };
  },
};
