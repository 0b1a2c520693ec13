/**
 * Stored identities in the shapes IAM answers (the generated model's output types). Dates are
 * epoch seconds, whole as IAM's; documents URL-encoded where IAM encodes them.
 */
import type { AwsManagedPolicy } from '../../iam/aws-managed-policies.js';
import type { Group as StoredGroup, IamTag, ManagedPolicy, Role as StoredRole, User as StoredUser } from '../../iam/identity-store.js';
import { groupArnOf, roleArnOf, userArnOf } from './arns.js';
import { urlEncodeDocument } from './documents.js';
import type { ResolvedPolicy } from './lookups.js';
import type { Group, Policy, Role, Tag, User } from './model.gen.js';

export function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}

function tagsOf(tags: readonly IamTag[]): { Tags?: Tag[] } {
  return tags.length > 0 ? { Tags: tags.map((t) => ({ Key: t.Key, Value: t.Value })) } : {};
}

/** `withTags`: GetUser and CreateUser show tags, ListUsers does not. */
export function userShape(user: StoredUser, options: { withTags?: boolean } = {}): User {
  return {
    Path: user.path,
    UserName: user.userName,
    UserId: user.principalId,
    Arn: userArnOf(user.accountId, user.path, user.userName),
    CreateDate: seconds(user.createdAt),
    ...(options.withTags === true && tagsOf(user.tags)),
  };
}

export function roleShape(role: StoredRole, options: { withTags?: boolean } = {}): Role {
  return {
    Path: role.path,
    RoleName: role.roleName,
    RoleId: role.roleId,
    Arn: roleArnOf(role.accountId, role.path, role.roleName),
    CreateDate: seconds(role.createdAt),
    AssumeRolePolicyDocument: urlEncodeDocument(role.trustPolicy),
    ...(role.description !== undefined && { Description: role.description }),
    MaxSessionDuration: role.maxSessionDuration,
    ...(options.withTags === true && tagsOf(role.tags)),
  };
}

export function groupShape(group: StoredGroup): Group {
  return {
    Path: group.path,
    GroupName: group.groupName,
    GroupId: group.groupId,
    Arn: groupArnOf(group.accountId, group.path, group.groupName),
    CreateDate: seconds(group.createdAt),
  };
}

/** `withTags`: CreatePolicy and GetPolicy show tags, ListPolicies does not (as IAM). */
export function customerPolicyShape(policy: ManagedPolicy, attachmentCount: number, options: { withTags?: boolean } = {}): Policy {
  return {
    PolicyName: policy.policyName,
    PolicyId: policy.policyId,
    Arn: policy.policyArn,
    Path: policy.path,
    DefaultVersionId: policy.defaultVersionId,
    AttachmentCount: attachmentCount,
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    ...(policy.description !== undefined && { Description: policy.description }),
    CreateDate: seconds(policy.createdAt),
    UpdateDate: seconds(policy.updatedAt),
    ...(options.withTags === true && tagsOf(policy.tags ?? [])),
  };
}

export function awsPolicyShape(policy: AwsManagedPolicy, attachmentCount: number): Policy {
  return {
    PolicyName: policy.policyName,
    PolicyId: policy.policyId,
    Arn: policy.policyArn,
    Path: '/',
    DefaultVersionId: 'v1',
    AttachmentCount: attachmentCount,
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    Description: policy.description,
    CreateDate: seconds(policy.createdAt),
    UpdateDate: seconds(policy.createdAt),
  };
}

export function policyShape(resolved: ResolvedPolicy, attachmentCount: number, options: { withTags?: boolean } = {}): Policy {
  return resolved.awsManaged ? awsPolicyShape(resolved.policy, attachmentCount) : customerPolicyShape(resolved.policy, attachmentCount, options);
}
