/**
 * Managed policies: CreatePolicy, GetPolicy, ListPolicies, DeletePolicy, ListEntitiesForPolicy.
 * The account's own (customer managed) ones and AWS managed ones (src/iam/aws-managed-policies.ts),
 * which every account sees and none can change.
 */
import type { OperationContext } from '../../../api/operation-context.js';
import { newIamId } from '../../../core/ids.js';
import { awsManagedPolicies } from '../../../iam/aws-managed-policies.js';
import type { ManagedPolicy, PrincipalRef } from '../../../iam/identity-store.js';
import { policyArnOf } from '../arns.js';
import { checkManagedPolicy } from '../documents.js';
import { iamErrors } from '../errors.js';
import type { ResolvedPolicy } from '../lookups.js';
import { requireOwnPolicy, requirePolicy, storeOf } from '../lookups.js';
import type { Policy, PolicyGroup, PolicyRole, PolicyUser } from '../model.gen.js';
import { NAME_LIMITS, checkName, checkPath, checkPathPrefix, hasPathPrefix } from '../names.js';
import { page, sortedBy } from '../paging.js';
import { awsPolicyShape, customerPolicyShape, policyShape } from '../shapes.js';
import type { OperationSpec } from './operation-spec.js';
import { checkedTags } from './users.js';

async function attachmentsOf(context: OperationContext, policyArn: string): Promise<PrincipalRef[]> {
  return storeOf(context).listPolicyAttachments(policyArn, context.caller.accountId);
}

export const createPolicy: OperationSpec<'CreatePolicy'> = {
  authorizationResource: (input, context) => policyArnOf(context.caller.accountId, input.Path ?? '/', input.PolicyName),
  async handle(input, context) {
    checkName(input.PolicyName, 'policyName', NAME_LIMITS.policy);
    const path = input.Path ?? '/';
    checkPath(path);
    checkManagedPolicy(input.PolicyDocument);
    const tags = checkedTags(input.Tags);
    const accountId = context.caller.accountId;
    const existing = await storeOf(context).listManagedPolicies(accountId);
    if (existing.some((p) => p.policyName.toLowerCase() === input.PolicyName.toLowerCase())) throw iamErrors.policyAlreadyExists(input.PolicyName);
    const policyArn = policyArnOf(accountId, path, input.PolicyName);
    const policy: ManagedPolicy = {
      policyArn,
      accountId,
      policyName: input.PolicyName,
      policyId: newIamId('ANPA'),
      path,
      ...(input.Description !== undefined && input.Description !== '' && { description: input.Description }),
      defaultVersionId: 'v1',
      createdAt: context.nowMs,
      updatedAt: context.nowMs,
      tags,
    };
    context.stage(
      { kind: 'createManagedPolicy', policy, firstVersion: { policyArn, versionId: 'v1', document: input.PolicyDocument, createdAt: context.nowMs } },
      { exists: iamErrors.policyAlreadyExists(input.PolicyName) },
    );
    return { Policy: customerPolicyShape(policy, 0, { withTags: true }) };
  },
};

export const getPolicy: OperationSpec<'GetPolicy'> = {
  authorizationResource: (input) => input.PolicyArn,
  async handle(input, context) {
    const resolved = await requirePolicy(context, input.PolicyArn);
    return { Policy: policyShape(resolved, (await attachmentsOf(context, input.PolicyArn)).length, { withTags: true }) };
  },
};

export const listPolicies: OperationSpec<'ListPolicies'> = {
  async handle(input, context) {
    if (input.PathPrefix !== undefined) checkPathPrefix(input.PathPrefix);
    const scope = input.Scope ?? 'All';
    const accountId = context.caller.accountId;
    const store = storeOf(context);
    const all: Policy[] = [];
    if (scope !== 'Local') {
      for (const p of awsManagedPolicies()) all.push(awsPolicyShape(p, (await store.listPolicyAttachments(p.policyArn, accountId)).length));
    }
    if (scope !== 'AWS') {
      for (const p of await store.listManagedPolicies(accountId)) all.push(customerPolicyShape(p, (await store.listPolicyAttachments(p.policyArn, accountId)).length));
    }
    const wanted = all.filter((p) => hasPathPrefix(p.Path!, input.PathPrefix) && (input.OnlyAttached !== true || p.AttachmentCount! > 0));
    // An AWS managed and a customer managed policy may share a name: the ARN keeps keys unique.
    const key = (p: Policy) => `${p.PolicyName!.toLowerCase()}\u0000${p.Arn!}`;
    const result = page(sortedBy(wanted, key), key, input);
    return { Policies: result.items, IsTruncated: result.IsTruncated, ...(result.Marker !== undefined && { Marker: result.Marker }) };
  },
};

export const deletePolicy: OperationSpec<'DeletePolicy'> = {
  authorizationResource: (input) => input.PolicyArn,
  async handle(input, context) {
    const policy = await requireOwnPolicy(context, input.PolicyArn);
    if ((await attachmentsOf(context, policy.policyArn)).length > 0) throw iamErrors.policyAttached();
    if ((await storeOf(context).listPolicyVersions(policy.policyArn)).length > 1) throw iamErrors.policyHasVersions();
    context.stage(
      { kind: 'deleteManagedPolicy', policyArn: policy.policyArn },
      { missing: iamErrors.noSuchPolicy(policy.policyArn), inUse: iamErrors.policyAttached() },
    );
    return {};
  },
};

export const listEntitiesForPolicy: OperationSpec<'ListEntitiesForPolicy'> = {
  authorizationResource: (input) => input.PolicyArn,
  async handle(input, context) {
    const resolved: ResolvedPolicy = await requirePolicy(context, input.PolicyArn);
    if (input.PathPrefix !== undefined) checkPathPrefix(input.PathPrefix);
    const filter = input.EntityFilter;
    const kindWanted = (kind: string) =>
      filter === undefined || filter === 'LocalManagedPolicy' || filter === 'AWSManagedPolicy' || filter.toLowerCase() === kind;
    // The filters on the policy's own kind answer nothing when the policy is of the other kind.
    if ((filter === 'LocalManagedPolicy' && resolved.awsManaged) || (filter === 'AWSManagedPolicy' && !resolved.awsManaged)) {
      return { PolicyGroups: [], PolicyUsers: [], PolicyRoles: [], IsTruncated: false };
    }
    const store = storeOf(context);
    const entries: { key: string; user?: PolicyUser; role?: PolicyRole; group?: PolicyGroup }[] = [];
    for (const ref of await attachmentsOf(context, input.PolicyArn)) {
      if (!kindWanted(ref.kind)) continue;
      if (ref.kind === 'user') {
        const u = await store.getUser(ref.accountId, ref.name);
        if (u !== undefined && hasPathPrefix(u.path, input.PathPrefix)) entries.push({ key: `u:${u.userName.toLowerCase()}`, user: { UserName: u.userName, UserId: u.principalId } });
      } else if (ref.kind === 'role') {
        const r = await store.getRole(ref.accountId, ref.name);
        if (r !== undefined && hasPathPrefix(r.path, input.PathPrefix)) entries.push({ key: `r:${r.roleName.toLowerCase()}`, role: { RoleName: r.roleName, RoleId: r.roleId } });
      } else {
        const g = await store.getGroup(ref.accountId, ref.name);
        if (g !== undefined && hasPathPrefix(g.path, input.PathPrefix)) entries.push({ key: `g:${g.groupName.toLowerCase()}`, group: { GroupName: g.groupName, GroupId: g.groupId } });
      }
    }
    const key = (e: { key: string }) => e.key;
    const result = page(sortedBy(entries, key), key, input);
    return {
      PolicyGroups: result.items.flatMap((e) => (e.group === undefined ? [] : [e.group])),
      PolicyUsers: result.items.flatMap((e) => (e.user === undefined ? [] : [e.user])),
      PolicyRoles: result.items.flatMap((e) => (e.role === undefined ? [] : [e.role])),
      IsTruncated: result.IsTruncated,
      ...(result.Marker !== undefined && { Marker: result.Marker }),
    };
  },
};
