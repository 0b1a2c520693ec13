/**
 * IAM's rules for names and paths, as its model states them (the query protocol checks the
 * model's patterns before a handler runs; these checks keep the handlers correct when called
 * directly, as by the admin CLI and unit tests, and name the rules in one place).
 */
import { queryErrors } from '../../api/protocols/aws-query/query-errors.js';
import type { ServiceError } from '../../api/errors.js';

/** Users, groups, roles (64 characters), policies (128): letters, digits and `+=,.@_-`. */
const NAME = /^[\w+=,.@-]+$/;
/** `/`, or `/` + printable ASCII + `/`, at most 512 characters. */
const PATH = /^(?:\/|\/[\x21-\x7e]+\/)$/;
const PATH_PREFIX = /^\/[\x21-\x7e]*$/;

export const NAME_LIMITS = { user: 64, group: 128, role: 64, policy: 128 } as const;
export const MAX_PATH = 512;

function constraint(value: string, member: string, rule: string): ServiceError {
  const shown = value.length > 128 ? `${value.slice(0, 128)}...` : value;
  return queryErrors.validation(`1 validation error detected: Value '${shown}' at '${member}' failed to satisfy constraint: ${rule}`);
}

export function checkName(value: string, member: string, maxLength: number): void {
  if (value.length < 1 || value.length > maxLength) {
    throw constraint(value, member, `Member must have length less than or equal to ${maxLength}`);
  }
  if (!NAME.test(value)) throw constraint(value, member, 'Member must satisfy regular expression pattern: [\\w+=,.@-]+');
}

export function checkPath(value: string, member = 'path'): void {
  if (value.length > MAX_PATH) throw constraint(value, member, `Member must have length less than or equal to ${MAX_PATH}`);
  if (!PATH.test(value)) {
    throw constraint(value, member, 'Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)');
  }
}

export function checkPathPrefix(value: string, member = 'pathPrefix'): void {
  if (value.length > MAX_PATH) throw constraint(value, member, `Member must have length less than or equal to ${MAX_PATH}`);
  if (!PATH_PREFIX.test(value)) throw constraint(value, member, 'Member must satisfy regular expression pattern: \\u002F[\\u0021-\\u007F]*');
}

export function hasPathPrefix(path: string, prefix: string | undefined): boolean {
  return prefix === undefined || path.startsWith(prefix);
}
