/**
 * IAM-style identity policies: parsing user documents, the managed policies, and evaluation.
 * Pure functions only; storing and attaching policies is the identity service's business.
 */
export type { AuthorizationRequest, Decision, ParseResult, PolicyDocument, PolicyStatement } from './types.js';
export { parsePolicy, CONDITION_NOT_SUPPORTED, POLICY_MAX_CHARACTERS, POLICY_MAX_RAW_CHARACTERS } from './parse.js';
export { evaluate, applies, matchesAction, matchesResource } from './evaluate.js';
export { managedPolicies, isManagedPolicyName } from './managed.js';
export type { ManagedPolicyName } from './managed.js';
export { globMatch } from './glob.js';
export type { GlobOptions } from './glob.js';
