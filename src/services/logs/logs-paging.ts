/**
 * nextToken values of CloudWatch Logs' list calls: opaque base64url JSON naming the operation
 * it continues, so a token of one call is refused by another. GetLogEvents' tokens are
 * `f/<timestamp>/<id>` (events after that position) and `b/<timestamp>/<id>` (events before).
 */
import { isObject } from '../../core/is-object.js';
import type { LogEventPosition } from '../../store/monitoring/log-groups.js';
import { logsErrors } from './logs-errors.js';

export function encodeToken(operation: string, position: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify({ op: operation, ...position })).toString('base64url');
}

/** The token's position, its members checked to be of the types `shape` names. */
export function decodeToken<T extends Record<string, 'string' | 'number'>>(operation: string, token: string, shape: T): { [K in keyof T]: T[K] extends 'string' ? string : number } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw logsErrors.invalidNextToken();
  }
  if (!isObject(parsed) || parsed.op !== operation) throw logsErrors.invalidNextToken();
  for (const [name, type] of Object.entries(shape)) {
    const value = parsed[name];
    if (type === 'number' ? !Number.isSafeInteger(value) : typeof value !== 'string') throw logsErrors.invalidNextToken();
  }
  return parsed as never;
}

export type StreamTokenDirection = 'f' | 'b';

export function streamToken(direction: StreamTokenDirection, position: LogEventPosition): string {
  return `${direction}/${position.timestamp}/${position.id}`;
}

export function parseStreamToken(token: string): { direction: StreamTokenDirection; position: LogEventPosition } {
  const match = /^([fb])\/(-?\d{1,16})\/(-?\d{1,16})$/.exec(token);
  if (match === null) throw logsErrors.invalidNextToken();
  const timestamp = Number(match[2]);
  const id = Number(match[3]);
  if (!Number.isSafeInteger(timestamp) || !Number.isSafeInteger(id)) throw logsErrors.invalidNextToken();
  return { direction: match[1] as StreamTokenDirection, position: { timestamp, id } };
}
