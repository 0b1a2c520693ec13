/**
 * AddTags, RemoveTags, ListTags on trails and channels (the resources OpenTrail has), named by
 * ARN. Another account's resource is not found.
 */
import { parseChannelRef } from '../../../../core/channel-arn.js';
import { checkTags } from '../../../../core/trail-rules.js';
import type { Tag } from '../../model.gen.js';
import { clientError } from '../../../../api/errors.js';
import type { OperationContext } from '../../../../api/operation-context.js';
import type { OperationSpec } from '../operation-spec.js';
import { channelNotFoundError, resolveChannel } from '../channels.js';
import { findTrail, trailNotFoundError } from './find-trail.js';

interface Tagged {
  tags: Tag[];
  /** Stages the resource's new tags. */
  save(tags: Tag[]): void;
}

async function taggedResource(resourceId: string, context: OperationContext, mutating: boolean): Promise<Tagged> {
  if (/^arn:[^:]+:cloudtrail:[^:]*:[^:]*:trail\//.test(resourceId)) {
    // ListTags tells of an unknown trail differently from AddTags/RemoveTags (core/unknown-trail.ts).
    const trail = await findTrail(resourceId, context, { forChange: mutating, unknownTrail: mutating ? 'as-given' : 'listed-arn' });
    const missing = trailNotFoundError(resourceId, context);
    return { tags: trail.tags, save: (tags) => context.stage({ kind: 'setTrailTags', trailArn: trail.trailArn, tags }, { missing }) };
  }
  if (parseChannelRef(resourceId, context.caller.accountId, context.region) !== undefined && resourceId.startsWith('arn:')) {
    const channel = await resolveChannel(resourceId, context);
    const missing = channelNotFoundError(resourceId);
    return { tags: channel.tags, save: (tags) => context.stage({ kind: 'setChannelTags', channelArn: channel.channelArn, tags }, { missing }) };
  }
  if (/^arn:[^:]+:cloudtrail:/.test(resourceId)) {
    throw clientError('ResourceTypeNotSupportedException', `Resource type of ${resourceId} is not supported; OpenTrail tags trails and channels.`);
  }
  throw clientError('CloudTrailARNInvalidException', `${resourceId} is not a valid CloudTrail ARN.`);
}

function tagProblem(tags: Tag[]): void {
  const problem = checkTags(tags);
  if (problem !== undefined) throw clientError(problem.code, problem.message);
}

export const addTags: OperationSpec<'AddTags'> = {
  authorizationResource: (input) => (typeof input.ResourceId === 'string' ? input.ResourceId : '*'),
  async handle(input, context) {
    const resource = await taggedResource(input.ResourceId, context, true);
    const byKey = new Map(resource.tags.map((t) => [t.Key, t]));
    // An existing key takes the new value (a key without a value stores none).
    for (const tag of input.TagsList) byKey.set(tag.Key, tag);
    const tags = [...byKey.values()];
    tagProblem(tags);
    resource.save(tags);
    return {};
  },
};

export const removeTags: OperationSpec<'RemoveTags'> = {
  authorizationResource: (input) => (typeof input.ResourceId === 'string' ? input.ResourceId : '*'),
  async handle(input, context) {
    const resource = await taggedResource(input.ResourceId, context, true);
    const removed = new Set(input.TagsList.map((t) => t.Key));
    resource.save(resource.tags.filter((t) => !removed.has(t.Key)));
    return {};
  },
};

export const listTags: OperationSpec<'ListTags'> = {
  async handle(input, context) {
    if (input.ResourceIdList.length > 20) throw clientError('InvalidParameterException', 'ResourceIdList can hold at most 20 ARNs.');
    const list = [];
    for (const resourceId of input.ResourceIdList) {
      const resource = await taggedResource(resourceId, context, false);
      list.push({ ResourceId: resourceId, TagsList: resource.tags });
    }
    return { ResourceTagList: list };
  },
};
