/**
 * Which log group a call names, in the caller's account and the call's region: by name, or by
 * `logGroupIdentifier` (a name or an ARN, with or without `:*`). A group of another account or
 * region is not found, as CloudWatch answers without cross-account observability.
 */
import type { OperationContext } from '../../api/operation-context.js';
import type { LogGroup } from '../../store/monitoring/log-groups.js';
import { logsErrors } from './logs-errors.js';

export function logGroupArn(region: string, accountId: string, name: string): string {
  return `arn:aws:logs:${region}:${accountId}:log-group:${name}`;
}

export function logStreamArn(region: string, accountId: string, groupName: string, streamName: string): string {
  return `${logGroupArn(region, accountId, groupName)}:log-stream:${streamName}`;
}

/** The ARN authorization checks, as CloudWatch's own denials name it: `...:log-group:<group>:log-stream:<stream>`. */
export function authorizationArn(context: OperationContext, groupName = '', streamName = ''): string {
  return logStreamArn(context.region, context.caller.accountId, groupName, streamName);
}

const GROUP_ARN = /^arn:aws[a-z-]*:logs:([a-z0-9-]+):(\d{12}):log-group:([^:]+)(?::\*)?$/;

/** The group name an identifier means here; undefined when it is another account's or region's. */
export function groupNameOf(context: OperationContext, identifier: string): string | undefined {
  if (!identifier.startsWith('arn:')) return identifier;
  const match = GROUP_ARN.exec(identifier);
  if (match === null) throw logsErrors.invalidParameter('The specified logGroupIdentifier is not a log group name or ARN.');
  if (match[1] !== context.region || match[2] !== context.caller.accountId) return undefined;
  return match[3];
}

/** The group name authorization names for a call that gives a name or an identifier (an ARN's name, whoever's it is). */
export function authorizationGroupName(input: { logGroupName?: string; logGroupIdentifier?: string }): string {
  if (input.logGroupName !== undefined) return input.logGroupName;
  const identifier = input.logGroupIdentifier ?? '';
  return identifier.startsWith('arn:') ? (GROUP_ARN.exec(identifier)?.[3] ?? '') : identifier;
}

/** Exactly one of logGroupName and logGroupIdentifier, as the name it means here. */
export function groupNameOfInput(context: OperationContext, input: { logGroupName?: string; logGroupIdentifier?: string }): string | undefined {
  if ((input.logGroupName === undefined) === (input.logGroupIdentifier === undefined)) {
    throw logsErrors.invalidParameter('Exactly one of logGroupName and logGroupIdentifier must be specified.');
  }
  return input.logGroupName ?? groupNameOf(context, input.logGroupIdentifier!);
}

export async function existingGroup(context: OperationContext, name: string | undefined): Promise<LogGroup> {
  const group = name === undefined ? undefined : await context.services.logs.group(context.caller.accountId, context.region, name);
  if (group === undefined) throw logsErrors.groupNotFound();
  return group;
}
