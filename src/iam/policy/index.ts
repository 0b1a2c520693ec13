/**
 * IAM-style policies: parsing identity policies and role trust policies, the managed policies,
 * and evaluation with conditions. Pure functions only; storing and attaching policies is the
 * identity service's business. docs/policies.md lists what is supported and what is refused.
 */
export type {
  AuthorizationRequest,
  ConditionBlock,
  ConditionValue,
  Decision,
  ParseResult,
  PolicyDocument,
  PolicyStatement,
  PrincipalType,
  RequestContext,
} from './types.js';
export { parsePolicy, CONDITION_NOT_SUPPORTED, POLICY_MAX_CHARACTERS, POLICY_MAX_RAW_CHARACTERS } from './parse.js';
export { evaluate, applies, matchesAction, matchesResource } from './evaluate.js';
export type { StatementOptions } from './evaluate.js';
export { parseTrustPolicy, TRUST_POLICY_MAX_CHARACTERS } from './trust-parse.js';
export { evaluateTrust } from './trust-evaluate.js';
export type {
  PrincipalElement,
  TrustParseResult,
  TrustPolicyDocument,
  TrustPolicyStatement,
  TrustPrincipal,
  TrustRequest,
} from './trust-types.js';
export { CONDITION_KEY_NAMES } from './condition-keys.js';
export { OPERATOR_NAMES } from './operators.js';
export { managedPolicies, isManagedPolicyName } from './managed.js';
export type { ManagedPolicyName } from './managed.js';
export { globMatch } from './glob.js';
export type { GlobOptions } from './glob.js';
