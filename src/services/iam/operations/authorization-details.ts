/**
 * GetAccountAuthorizationDetails: every user, group and role of the account with its policies,
 * the account's managed policies with all their versions, and the AWS managed policies in use,
 * filtered by entity type and paged as one list. Documents are URL-encoded, as IAM answers them.
 */
import type { OperationContext } from '../../../api/operation-context.js';
import { awsManagedDocumentText, awsManagedPolicies } from '../../../iam/aws-managed-policies.js';
import type { PrincipalKind, PrincipalRef } from '../../../iam/identity-store.js';
import { parsePolicyArn } from '../arns.js';
import { urlEncodeDocument } from '../documents.js';
import { principalOf, storeOf } from '../lookups.js';
import type { AttachedPolicy, EntityType, GroupDetail, ManagedPolicyDetail, PolicyDetail, RoleDetail, UserDetail } from '../model.gen.js';
import { page } from '../paging.js';
import { awsPolicyShape, customerPolicyShape, groupShape, roleShape, seconds, userShape } from '../shapes.js';
import type { OperationSpec } from './operation-spec.js';

type Entry =
  | { key: string; user: UserDetail }
  | { key: string; group: GroupDetail }
  | { key: string; role: RoleDetail }
  | { key: string; policy: ManagedPolicyDetail };

async function inlineOf(context: OperationContext, ref: PrincipalRef): Promise<PolicyDetail[]> {
  return (await storeOf(context).listInlinePolicies(ref)).map((p) => ({ PolicyName: p.policyName, PolicyDocument: urlEncodeDocument(p.document) }));
}

async function attachedOf(context: OperationContext, ref: PrincipalRef): Promise<AttachedPolicy[]> {
  return (await storeOf(context).listAttachedPolicyArns(ref)).map((arn) => ({ PolicyName: parsePolicyArn(arn)?.policyName ?? arn, PolicyArn: arn }));
}

function ref(context: OperationContext, kind: PrincipalKind, name: string): PrincipalRef {
  return principalOf(context, kind, name);
}

async function entries(context: OperationContext, wanted: (type: EntityType) => boolean): Promise<Entry[]> {
  const store = storeOf(context);
  const accountId = context.caller.accountId;
  const out: Entry[] = [];
  if (wanted('User')) {
    for (const user of await store.listUsers(accountId)) {
      const r = ref(context, 'user', user.userName);
      out.push({
        key: `1:${user.userName.toLowerCase()}`,
        user: {
          ...userShape(user, { withTags: true }),
          UserPolicyList: await inlineOf(context, r),
          GroupList: (await store.listGroupsOfUser(accountId, user.userName)).map((g) => g.groupName),
          AttachedManagedPolicies: await attachedOf(context, r),
        },
      });
    }
  }
  if (wanted('Group')) {
    for (const group of await store.listGroups(accountId)) {
      const r = ref(context, 'group', group.groupName);
      out.push({
        key: `2:${group.groupName.toLowerCase()}`,
        group: { ...groupShape(group), GroupPolicyList: await inlineOf(context, r), AttachedManagedPolicies: await attachedOf(context, r) },
      });
    }
  }
  if (wanted('Role')) {
    for (const role of await store.listRoles(accountId)) {
      const r = ref(context, 'role', role.roleName);
      const { Description: _description, MaxSessionDuration: _duration, ...shown } = roleShape(role, { withTags: true });
      out.push({
        key: `3:${role.roleName.toLowerCase()}`,
        role: { ...shown, InstanceProfileList: [], RolePolicyList: await inlineOf(context, r), AttachedManagedPolicies: await attachedOf(context, r), RoleLastUsed: {} },
      });
    }
  }
  if (wanted('LocalManagedPolicy')) {
    for (const policy of await store.listManagedPolicies(accountId)) {
      const versions = await store.listPolicyVersions(policy.policyArn);
      const { Tags: _tags, ...shown } = customerPolicyShape(policy, (await store.listPolicyAttachments(policy.policyArn, accountId)).length);
      out.push({
        key: `4:${policy.policyName.toLowerCase()}`,
        policy: {
          ...shown,
          PolicyVersionList: versions.map((v) => ({
            Document: urlEncodeDocument(v.document),
            VersionId: v.versionId,
            IsDefaultVersion: v.versionId === policy.defaultVersionId,
            CreateDate: seconds(v.createdAt),
          })),
        },
      });
    }
  }
  if (wanted('AWSManagedPolicy')) {
    // Only the AWS managed policies this account uses, as IAM lists them.
    for (const policy of awsManagedPolicies()) {
      const count = (await store.listPolicyAttachments(policy.policyArn, accountId)).length;
      if (count === 0) continue;
      const { Tags: _tags, ...shown } = awsPolicyShape(policy, count);
      out.push({
        key: `5:${policy.policyName.toLowerCase()}`,
        policy: {
          ...shown,
          PolicyVersionList: [
            { Document: urlEncodeDocument(awsManagedDocumentText(policy)), VersionId: 'v1', IsDefaultVersion: true, CreateDate: seconds(policy.createdAt) },
          ],
        },
      });
    }
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export const getAccountAuthorizationDetails: OperationSpec<'GetAccountAuthorizationDetails'> = {
  async handle(input, context) {
    const filter = input.Filter !== undefined && input.Filter.length > 0 ? new Set(input.Filter) : undefined;
    const all = await entries(context, (type) => filter === undefined || filter.has(type));
    const result = page(all, (e) => e.key, input);
    return {
      UserDetailList: result.items.flatMap((e) => ('user' in e ? [e.user] : [])),
      GroupDetailList: result.items.flatMap((e) => ('group' in e ? [e.group] : [])),
      RoleDetailList: result.items.flatMap((e) => ('role' in e ? [e.role] : [])),
      Policies: result.items.flatMap((e) => ('policy' in e ? [e.policy] : [])),
      IsTruncated: result.IsTruncated,
      ...(result.Marker !== undefined && { Marker: result.Marker }),
    };
  },
};
