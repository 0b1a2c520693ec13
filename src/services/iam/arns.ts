/**
 * IAM's ARNs: `arn:aws:iam::<account>:<kind><path><name>`, with the path (`/` or `/a/b/`)
 * between the kind and the name, and AWS managed policies under the account `aws`.
 */
import type { PrincipalKind } from '../../iam/identity-store.js';

export function iamArn(accountId: string, kind: PrincipalKind | 'policy', path: string, name: string): string {
  return `arn:aws:iam::${accountId}:${kind}${path}${name}`;
}

export const userArnOf = (accountId: string, path: string, name: string): string => iamArn(accountId, 'user', path, name);
export const roleArnOf = (accountId: string, path: string, name: string): string => iamArn(accountId, 'role', path, name);
export const groupArnOf = (accountId: string, path: string, name: string): string => iamArn(accountId, 'group', path, name);
export const policyArnOf = (accountId: string, path: string, name: string): string => iamArn(accountId, 'policy', path, name);

export function rootArnOf(accountId: string): string {
  return `arn:aws:iam::${accountId}:root`;
}

const POLICY_ARN = /^arn:aws:iam::(\d{12}|aws):policy(\/(?:[\x21-\x7e]*\/)?)([\w+=,.@-]{1,128})$/;

export interface ParsedPolicyArn {
  /** 12 digits, or `aws` for AWS managed policies. */
  accountId: string;
  path: string;
  policyName: string;
}

/** A policy ARN's parts, or undefined when the text is not a policy ARN. */
export function parsePolicyArn(arn: string): ParsedPolicyArn | undefined {
  const match = POLICY_ARN.exec(arn);
  if (match === null) return undefined;
  return { accountId: match[1]!, path: match[2]!, policyName: match[3]! };
}
