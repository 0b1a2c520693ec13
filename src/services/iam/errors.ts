/**
 * IAM's errors with the codes and messages IAM answers (checked against real IAM answers quoted
 * in public bug reports). Each is a modelled error named by its shape, so the query protocol
 * answers the model's wire code and status (NoSuchEntity 404, EntityAlreadyExists 409, ...) and
 * CloudTrail records the shape name as errorCode, as it does for IAM.
 */
import type { ServiceError } from '../../api/errors.js';
import { modelledError } from '../../api/protocols/aws-query/wire-errors.js';
import { shapes } from './model.gen.js';

/** What IAM calls the kinds of entity in its messages. */
export type EntityKind = 'user' | 'role' | 'group';

const CAPITALISED: Record<EntityKind, string> = { user: 'User', role: 'Role', group: 'Group' };

/** IAM's per-kind names of its quotas, as its LimitExceeded messages spell them. */
const POLICIES_PER: Record<EntityKind, string> = { user: 'PoliciesPerUser', role: 'PoliciesPerRole', group: 'PoliciesPerGroup' };
const POLICY_SIZE: Record<EntityKind, string> = { user: 'UserPolicySize', role: 'RolePolicySize', group: 'GroupPolicySize' };

function error(shape: string, message: string): ServiceError {
  return modelledError(shapes, shape, message);
}

export const iamErrors = {
  noSuchEntity: (kind: EntityKind, name: string) => error('NoSuchEntityException', `The ${kind} with name ${name} cannot be found.`),
  noSuchInlinePolicy: (kind: EntityKind, policyName: string) =>
    error('NoSuchEntityException', `The ${kind} policy with name ${policyName} cannot be found.`),
  noSuchAccessKey: (accessKeyId: string) => error('NoSuchEntityException', `The Access Key with id ${accessKeyId} cannot be found.`),
  noSuchPolicy: (policyArn: string) => error('NoSuchEntityException', `Policy ${policyArn} was not found.`),
  notAttachable: (policyArn: string) => error('NoSuchEntityException', `Policy ${policyArn} does not exist or is not attachable.`),
  noSuchPolicyVersion: (policyArn: string, versionId: string) =>
    error('NoSuchEntityException', `Policy ${policyArn} version ${versionId} does not exist or is not attachable.`),
  notAttached: (policyArn: string) => error('NoSuchEntityException', `Policy ${policyArn} was not found.`),

  alreadyExists: (kind: EntityKind, name: string) => error('EntityAlreadyExistsException', `${CAPITALISED[kind]} with name ${name} already exists.`),
  policyAlreadyExists: (policyName: string) =>
    error('EntityAlreadyExistsException', `A policy called ${policyName} already exists. Duplicate names are not allowed.`),

  accessKeysPerUser: (limit: number) => error('LimitExceededException', `Cannot exceed quota for AccessKeysPerUser: ${limit}`),
  policiesPer: (kind: EntityKind, limit: number) => error('LimitExceededException', `Cannot exceed quota for ${POLICIES_PER[kind]}: ${limit}`),
  groupsPerUser: (limit: number) => error('LimitExceededException', `Cannot exceed quota for GroupsPerUser: ${limit}`),
  inlinePolicySize: (kind: EntityKind, limit: number) => error('LimitExceededException', `Cannot exceed quota for ${POLICY_SIZE[kind]}: ${limit}`),
  trustPolicySize: (limit: number) => error('LimitExceededException', `Cannot exceed quota for ACLSizePerRole: ${limit}`),
  managedPolicySize: (limit: number) => error('LimitExceededException', `Cannot exceed quota for PolicySize: ${limit}`),
  versionsPerPolicy: (limit: number) =>
    error(
      'LimitExceededException',
      `A managed policy can have up to ${limit} versions. Before you create a new version, you must delete an existing version.`,
    ),

  malformedPolicy: (message: string) => error('MalformedPolicyDocumentException', message),

  deleteConflict: (message: string) => error('DeleteConflictException', message),
  mustDeleteAccessKeys: () => error('DeleteConflictException', 'Cannot delete entity, must delete access keys first.'),
  mustDeletePolicies: () => error('DeleteConflictException', 'Cannot delete entity, must delete policies first.'),
  mustDetachPolicies: () => error('DeleteConflictException', 'Cannot delete entity, must detach all policies first.'),
  mustRemoveFromGroups: () => error('DeleteConflictException', 'Cannot delete entity, must remove users from group first.'),
  policyAttached: () => error('DeleteConflictException', 'Cannot delete a policy attached to entities.'),
  policyHasVersions: () =>
    error(
      'DeleteConflictException',
      "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
    ),
  defaultVersion: () => error('DeleteConflictException', 'Cannot delete the default version of a policy.'),

  invalidInput: (message: string) => error('InvalidInputException', message),
  /** AWS managed policies belong to AWS: they cannot be changed or deleted. */
  unmodifiable: (policyArn: string) => error('UnmodifiableEntityException', `Policy ${policyArn} is an AWS managed policy and cannot be modified.`),
};
