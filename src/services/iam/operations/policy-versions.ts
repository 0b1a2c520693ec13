/**
 * Versions of customer managed policies: CreatePolicyVersion (at most 5), GetPolicyVersion,
 * ListPolicyVersions, DeletePolicyVersion (never the default), SetDefaultPolicyVersion. AWS
 * managed policies have one version, v1, that cannot change.
 */
import { awsManagedDocumentText } from '../../../iam/aws-managed-policies.js';
import type { PolicyVersion as StoredVersion } from '../../../iam/identity-store.js';
import { modelledError } from '../../../api/protocols/aws-query/wire-errors.js';
import { checkManagedPolicy, urlEncodeDocument } from '../documents.js';
import { iamErrors } from '../errors.js';
import { requireOwnPolicy, requirePolicy, storeOf } from '../lookups.js';
import { shapes } from '../model.gen.js';
import type { PolicyVersion } from '../model.gen.js';
import { page } from '../paging.js';
import { seconds } from '../shapes.js';
import type { OperationSpec } from './operation-spec.js';

export const VERSIONS_PER_POLICY = 5;

const concurrent = () => modelledError(shapes, 'ConcurrentModificationException', 'Another request changed this policy at the same time; retry.');

function versionNumber(versionId: string): number {
  return Number(versionId.slice(1));
}

function versionShape(version: StoredVersion, defaultVersionId: string, withDocument: boolean): PolicyVersion {
  return {
    ...(withDocument && { Document: urlEncodeDocument(version.document) }),
    VersionId: version.versionId,
    IsDefaultVersion: version.versionId === defaultVersionId,
    CreateDate: seconds(version.createdAt),
  };
}

export const createPolicyVersion: OperationSpec<'CreatePolicyVersion'> = {
  authorizationResource: (input) => input.PolicyArn,
  async handle(input, context) {
    const policy = await requireOwnPolicy(context, input.PolicyArn);
    checkManagedPolicy(input.PolicyDocument);
    const versions = await storeOf(context).listPolicyVersions(policy.policyArn);
    if (versions.length >= VERSIONS_PER_POLICY) throw iamErrors.versionsPerPolicy(VERSIONS_PER_POLICY);
    // IAM never gives a deleted version's id again: the store keeps the highest number given.
    const next = Math.max(policy.lastVersionNumber ?? 0, ...versions.map((v) => versionNumber(v.versionId))) + 1;
    const version: StoredVersion = { policyArn: policy.policyArn, versionId: `v${next}`, document: input.PolicyDocument, createdAt: context.nowMs };
    const setAsDefault = input.SetAsDefault === true;
    context.stage(
      { kind: 'createPolicyVersion', version, setAsDefault },
      { missing: iamErrors.noSuchPolicy(policy.policyArn), exists: concurrent(), inUse: iamErrors.versionsPerPolicy(VERSIONS_PER_POLICY) },
    );
    return { PolicyVersion: versionShape(version, setAsDefault ? version.versionId : policy.defaultVersionId, false) };
  },
};

export const getPolicyVersion: OperationSpec<'GetPolicyVersion'> = {
  authorizationResource: (input) => input.PolicyArn,
  async handle(input, context) {
    const resolved = await requirePolicy(context, input.PolicyArn);
    if (resolved.awsManaged) {
      if (input.VersionId !== 'v1') throw iamErrors.noSuchPolicyVersion(input.PolicyArn, input.VersionId);
      const document = awsManagedDocumentText(resolved.policy);
      return {
        PolicyVersion: { Document: urlEncodeDocument(document), VersionId: 'v1', IsDefaultVersion: true, CreateDate: seconds(resolved.policy.createdAt) },
      };
    }
    const version = await storeOf(context).getPolicyVersion(resolved.policy.policyArn, input.VersionId);
    if (version === undefined) throw iamErrors.noSuchPolicyVersion(input.PolicyArn, input.VersionId);
    return { PolicyVersion: versionShape(version, resolved.policy.defaultVersionId, true) };
  },
};

export const listPolicyVersions: OperationSpec<'ListPolicyVersions'> = {
  authorizationResource: (input) => input.PolicyArn,
  async handle(input, context) {
    const resolved = await requirePolicy(context, input.PolicyArn);
    const versions: PolicyVersion[] = resolved.awsManaged
      ? [{ VersionId: 'v1', IsDefaultVersion: true, CreateDate: seconds(resolved.policy.createdAt) }]
      : (await storeOf(context).listPolicyVersions(resolved.policy.policyArn)).map((v) => versionShape(v, resolved.policy.defaultVersionId, false));
    // Newest first, as IAM lists them; the key sorts that way too (zero-padded, inverted).
    const key = (v: PolicyVersion) => String(1e9 - versionNumber(v.VersionId!)).padStart(10, '0');
    const result = page(versions, key, input);
    return { Versions: result.items, IsTruncated: result.IsTruncated, ...(result.Marker !== undefined && { Marker: result.Marker }) };
  },
};

export const deletePolicyVersion: OperationSpec<'DeletePolicyVersion'> = {
  authorizationResource: (input) => input.PolicyArn,
  async handle(input, context) {
    const policy = await requireOwnPolicy(context, input.PolicyArn);
    const version = await storeOf(context).getPolicyVersion(policy.policyArn, input.VersionId);
    if (version === undefined) throw iamErrors.noSuchPolicyVersion(input.PolicyArn, input.VersionId);
    if (version.versionId === policy.defaultVersionId) throw iamErrors.defaultVersion();
    context.stage(
      { kind: 'deletePolicyVersion', policyArn: policy.policyArn, versionId: version.versionId },
      // Gone meanwhile, or made the default meanwhile (the commit refuses both).
      { missing: iamErrors.noSuchPolicyVersion(input.PolicyArn, input.VersionId) },
    );
    return {};
  },
};

export const setDefaultPolicyVersion: OperationSpec<'SetDefaultPolicyVersion'> = {
  authorizationResource: (input) => input.PolicyArn,
  async handle(input, context) {
    const policy = await requireOwnPolicy(context, input.PolicyArn);
    const version = await storeOf(context).getPolicyVersion(policy.policyArn, input.VersionId);
    if (version === undefined) throw iamErrors.noSuchPolicyVersion(input.PolicyArn, input.VersionId);
    context.stage(
      { kind: 'setDefaultPolicyVersion', policyArn: policy.policyArn, versionId: version.versionId, timeMs: context.nowMs },
      { missing: iamErrors.noSuchPolicyVersion(input.PolicyArn, input.VersionId) },
    );
    return {};
  },
};
