/**
 * Channels: CreateChannel, GetChannel, ListChannels, UpdateChannel, DeleteChannel.
 * Event data stores do not exist yet, so every channel feeds the event history (and the
 * trails); Destinations are stored and returned as given, without checking that the named
 * store exists.
 */
import { channelArn, newChannelId, parseChannelRef } from '../../../core/channel-arn.js';
import type { Channel, ChannelDestination, ChannelTag } from '../../../store/channel-store.js';
import { clientError } from '../../../api/errors.js';
import type { ServiceError } from '../../../api/errors.js';
import type { OperationContext } from '../../../api/operation-context.js';
import type { OperationSpec } from './operation-spec.js';

/** Channels per account and region (CloudTrail's quota). */
export const MAX_CHANNELS = 25;
const MAX_TAGS = 50;
const CHANNEL_NAME = /^[a-zA-Z0-9._-]{3,128}$/;
const LOCATION = /^[a-zA-Z0-9._/\-:*]{3,1024}$/;
const DESTINATION_TYPES = new Set(['EVENT_DATA_STORE', 'AWS_SERVICE']);

function checkName(name: string): void {
  if (!CHANNEL_NAME.test(name)) {
    throw clientError('InvalidParameterException', 'Channel name must be 3-128 characters of letters, digits, periods, underscores and hyphens.');
  }
}

function checkDestinations(destinations: ChannelDestination[]): void {
  if (destinations.length < 1 || destinations.length > 200) {
    throw clientError('InvalidParameterException', 'A channel needs 1 to 200 destinations.');
  }
  for (const { Type, Location } of destinations) {
    if (!DESTINATION_TYPES.has(Type)) throw clientError('InvalidParameterException', `Destination Type must be EVENT_DATA_STORE or AWS_SERVICE, got ${Type}.`);
    if (!LOCATION.test(Location)) throw clientError('InvalidParameterException', 'Destination Location must be 3-1024 characters of letters, digits and ._/-:*');
  }
}

function checkTags(tags: ChannelTag[]): void {
  if (tags.length > MAX_TAGS) throw clientError('TagsLimitExceededException', `A resource can have at most ${MAX_TAGS} tags.`);
  for (const tag of tags) {
    if (tag.Key.length < 1 || tag.Key.length > 128 || (tag.Value !== undefined && tag.Value.length > 256)) {
      throw clientError('InvalidTagParameterException', 'Tag keys must be 1-128 characters and values at most 256.');
    }
  }
}

export function channelNotFoundError(reference: string): ServiceError {
  return clientError('ChannelNotFoundException', `Channel ${reference} was not found.`);
}

/** The caller's channel named by ARN or id; another account's channel is simply not found. */
export async function resolveChannel(reference: string, context: OperationContext): Promise<Channel> {
  const ref = parseChannelRef(reference, context.caller.accountId, context.region);
  if (ref === undefined) throw clientError('ChannelARNInvalidException', `The channel ARN ${reference} is not valid.`);
  const channel = ref.accountId === context.caller.accountId ? await context.services.channels.get(channelArn(ref)) : undefined;
  if (channel === undefined) throw channelNotFoundError(reference);
  context.resources.push({ accountId: channel.accountId, type: 'AWS::CloudTrail::Channel', ARN: channel.channelArn });
  return channel;
}

/** For authorization: the ARN a channel reference names, or '*' when it names none. */
function channelResource(reference: string, context: OperationContext): string {
  const ref = parseChannelRef(reference, context.caller.accountId, context.region);
  return ref === undefined ? '*' : channelArn(ref);
}

function alreadyExists(name: string): ServiceError {
  return clientError('ChannelAlreadyExistsException', `A channel named ${name} already exists in this account and region.`);
}

export const createChannel: OperationSpec<'CreateChannel'> = {
  async handle(input, context) {
    checkName(input.Name);
    if (input.Source !== 'Custom') {
      throw clientError('InvalidSourceException', `Source ${input.Source} is not supported; OpenTrail channels use the Custom source.`);
    }
    checkDestinations(input.Destinations);
    const tags = input.Tags ?? [];
    checkTags(tags);
    const { accountId } = context.caller;
    if ((await context.services.channels.count(accountId, context.region)) >= MAX_CHANNELS) {
      throw clientError('ChannelMaxLimitExceededException', `An account can have at most ${MAX_CHANNELS} channels per region.`);
    }
    const channel: Channel = {
      channelArn: channelArn({ region: context.region, accountId, channelId: newChannelId() }),
      accountId,
      region: context.region,
      name: input.Name,
      source: input.Source,
      destinations: input.Destinations,
      tags,
      createdAt: context.nowMs,
    };
    context.stage({ kind: 'createChannel', channel }, { exists: alreadyExists(input.Name) });
    context.resources.push({ accountId, type: 'AWS::CloudTrail::Channel', ARN: channel.channelArn });
    return { ChannelArn: channel.channelArn, Name: channel.name, Source: channel.source, Destinations: channel.destinations, Tags: tags };
  },
};

export const getChannel: OperationSpec<'GetChannel'> = {
  authorizationResource: (input, context) => channelResource(input.Channel, context),
  async handle(input, context) {
    const channel = await resolveChannel(input.Channel, context);
    return {
      ChannelArn: channel.channelArn,
      Name: channel.name,
      Source: channel.source,
      SourceConfig: { ApplyToAllRegions: false, AdvancedEventSelectors: [] },
      Destinations: channel.destinations,
      IngestionStatus: context.services.ingestionStatus.get(channel.channelArn),
    };
  },
};

export const listChannels: OperationSpec<'ListChannels'> = {
  async handle(input, context) {
    const limit = input.MaxResults ?? 1000;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw clientError('InvalidParameterException', 'MaxResults must be between 1 and 1000.');
    }
    let after: string | undefined;
    if (input.NextToken !== undefined) {
      after = Buffer.from(input.NextToken, 'base64url').toString('utf8');
      if (!CHANNEL_NAME.test(after) || Buffer.from(after).toString('base64url') !== input.NextToken) {
        throw clientError('InvalidNextTokenException', 'The NextToken is not valid.');
      }
    }
    const rows = await context.services.channels.list(context.caller.accountId, context.region, after, limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      Channels: page.map((c) => ({ ChannelArn: c.channelArn, Name: c.name })),
      ...(rows.length > limit && last !== undefined && { NextToken: Buffer.from(last.name).toString('base64url') }),
    };
  },
};

export const updateChannel: OperationSpec<'UpdateChannel'> = {
  authorizationResource: (input, context) => channelResource(input.Channel, context),
  async handle(input, context) {
    const channel = await resolveChannel(input.Channel, context);
    if (input.Name !== undefined) checkName(input.Name);
    if (input.Destinations !== undefined) checkDestinations(input.Destinations);
    context.stage(
      {
        kind: 'updateChannel',
        channelArn: channel.channelArn,
        ...(input.Name !== undefined && { name: input.Name }),
        ...(input.Destinations !== undefined && { destinations: input.Destinations }),
      },
      { exists: alreadyExists(input.Name ?? channel.name), missing: channelNotFoundError(input.Channel) },
    );
    return {
      ChannelArn: channel.channelArn,
      Name: input.Name ?? channel.name,
      Source: channel.source,
      Destinations: input.Destinations ?? channel.destinations,
    };
  },
};

export const deleteChannel: OperationSpec<'DeleteChannel'> = {
  authorizationResource: (input, context) => channelResource(input.Channel, context),
  async handle(input, context) {
    const channel = await resolveChannel(input.Channel, context);
    context.stage({ kind: 'deleteChannel', channelArn: channel.channelArn }, { missing: channelNotFoundError(input.Channel) });
    context.afterCommit(() => context.services.ingestionStatus.forget(channel.channelArn));
    return {};
  },
};
