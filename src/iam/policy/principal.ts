/**
 * The Principal / NotPrincipal element of trust policies: parsing what OpenTrail can identify,
 * and matching a caller against it. An account (`123456789012` or its `:root` ARN) stands for
 * every principal of that account; a user or role ARN for exactly that one. Wildcards other than
 * a lone `*` are refused, as IAM refuses them. Federated and canonical-user principals are
 * refused: OpenTrail has no identity providers, so they could never be matched truthfully.
 */
import { isObject } from '../../core/is-object.js';
import { asArray, own, PolicyError, stringOrList } from './parse-support.js';
import type { PrincipalElement, TrustPrincipal } from './trust-types.js';

const ACCOUNT_ID = /^\d{12}$/;
const ACCOUNT_ROOT = /^arn:aws:iam::(\d{12}):root$/;
const USER_OR_ROLE = /^arn:aws:iam::\d{12}:(?:user|role)\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]+$/;
const SERVICE = /^[a-z0-9][a-z0-9.-]*$/;
const UNSUPPORTED_TYPES: readonly string[] = ['Federated', 'CanonicalUser'];

/** Validates a Principal element and copies it in the author's form; throws PolicyError. */
export function parsePrincipal(raw: unknown, element: string): PrincipalElement {
  if (raw === '*') return '*';
  if (!isObject(raw) || Object.keys(raw).length === 0) {
    throw new PolicyError(`${element} must be "*" or an object such as {"AWS": "123456789012"}`);
  }
  const parsed: Exclude<PrincipalElement, '*'> = {};
  for (const type of Object.keys(raw)) {
    if (UNSUPPORTED_TYPES.includes(type)) {
      throw new PolicyError(`${element} type "${type}" is not supported by OpenTrail, which has no identity providers`);
    }
    if (type !== 'AWS' && type !== 'Service') {
      throw new PolicyError(`${element} has the unknown principal type "${type}"; supported types are AWS, Service`);
    }
    const values = stringOrList(own(raw, type), `${element} ${type}`);
    for (const value of asArray(values)) checkPrincipal(type, value, element);
    parsed[type] = values;
  }
  return parsed;
}

function checkPrincipal(type: 'AWS' | 'Service', value: string, element: string): void {
  if (type === 'AWS') {
    if (value === '*' || ACCOUNT_ID.test(value) || ACCOUNT_ROOT.test(value) || USER_OR_ROLE.test(value)) return;
    throw new PolicyError(
      `${element} AWS "${value}" must be "*", an account id, or an ARN arn:aws:iam::<account>:root, :user/<name> or :role/<name>`,
    );
  }
  if (!SERVICE.test(value)) throw new PolicyError(`${element} Service "${value}" must be a service name such as "ec2.amazonaws.com"`);
}

/** Whether `principal` is one of those the element names. */
export function principalMatches(element: PrincipalElement, principal: TrustPrincipal): boolean {
  if (element === '*') return true;
  if (principal.type === 'Service') return asArray(element.Service ?? []).includes(principal.service);
  return asArray(element.AWS ?? []).some((value) => {
    if (value === '*') return true;
    if (ACCOUNT_ID.test(value)) return value === principal.accountId;
    const root = ACCOUNT_ROOT.exec(value);
    if (root !== null) return root[1] === principal.accountId;
    return value === principal.arn;
  });
}
