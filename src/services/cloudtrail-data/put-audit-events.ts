/**
 * PutAuditEvents: up to 100 custom events into a channel. Each event is validated on its own;
 * failures come back in `failed` while the valid events of the same call are stored. The call
 * returns once the accepted events (and the call's own record) are durable, in one commit.
 * Retrying with the same event ids does not store them twice: the original eventIDs come back.
 */
import { auditRecord, isAuditEventFailure, validateAuditEvent } from '../../core/audit-event.js';
import { channelArn, parseChannelRef } from '../../core/channel-arn.js';
import { nameBasedGuid } from '../../core/ids.js';
import type { PreparedEvent } from '../../store/event-store.js';
import { clientError } from '../../api/errors.js';
import type { PutAuditEventsRequest, PutAuditEventsResponse } from './model.gen.js';
import type { OperationContext } from '../../api/operation-context.js';

export const MAX_EVENTS_PER_CALL = 100;
/** Sum of the eventData sizes (UTF-8 bytes) one call may carry. */
export const MAX_EVENT_DATA_BYTES_PER_CALL = 1024 * 1024;

type Failed = PutAuditEventsResponse['failed'][number];

function channelOf(input: PutAuditEventsRequest, context: OperationContext) {
  const ref = parseChannelRef(input.channelArn, context.caller.accountId, context.region);
  if (ref === undefined) throw clientError('InvalidChannelARN', `The channel ARN ${input.channelArn} is not valid.`);
  if (ref.accountId !== context.caller.accountId) {
    throw clientError('ChannelInsufficientPermission', "The caller's account must be the account that owns the channel.");
  }
  return ref;
}

export const putAuditEvents = {
  authorizationResource(input: PutAuditEventsRequest, context: OperationContext): string {
    const ref = typeof input.channelArn === 'string' ? parseChannelRef(input.channelArn, context.caller.accountId, context.region) : undefined;
    return ref === undefined ? '*' : channelArn(ref);
  },

  async handle(input: PutAuditEventsRequest, context: OperationContext): Promise<PutAuditEventsResponse> {
    const arn = channelArn(channelOf(input, context));
    const channel = await context.services.channels.get(arn);
    if (channel === undefined) throw clientError('ChannelNotFound', `Channel ${input.channelArn} was not found.`);
    context.resources.push({ accountId: channel.accountId, type: 'AWS::CloudTrail::Channel', ARN: channel.channelArn });

    const events = input.auditEvents;
    if (events.length < 1 || events.length > MAX_EVENTS_PER_CALL) {
      throw clientError('ValidationException', `auditEvents must hold 1 to ${MAX_EVENTS_PER_CALL} events; got ${events.length}.`);
    }
    const totalBytes = events.reduce((sum, e) => sum + Buffer.byteLength(e.eventData), 0);
    if (totalBytes > MAX_EVENT_DATA_BYTES_PER_CALL) {
      throw clientError('ValidationException', `The eventData of one call may total at most ${MAX_EVENT_DATA_BYTES_PER_CALL} bytes; got ${totalBytes}.`);
    }
    const ids = new Set<string>();
    for (const { id } of events) {
      if (!/^[-_A-Za-z0-9]{1,128}$/.test(id)) throw clientError('ValidationException', `Event id ${id.slice(0, 128)} must be 1-128 characters of letters, digits, - and _.`);
      if (ids.has(id)) throw clientError('DuplicatedAuditEventId', `Event id ${id} appears more than once in the call.`);
      ids.add(id);
    }

    const ingestionTime = new Date(context.nowMs).toISOString();
    const failed: Failed[] = [];
    const accepted: { id: string; event: PreparedEvent }[] = [];
    for (const auditEvent of events) {
      const result = validateAuditEvent(auditEvent.eventData, auditEvent.eventDataChecksum, channel.accountId);
      if (isAuditEventFailure(result)) {
        failed.push({ id: auditEvent.id, ...result });
        continue;
      }
      const facts = {
        eventId: nameBasedGuid(`${channel.channelArn}\n${auditEvent.id}`),
        eventTimeMs: result.eventTimeMs,
        region: channel.region,
        accountId: channel.accountId,
        channelArn: channel.channelArn,
        ingestionTime,
      };
      accepted.push({
        id: auditEvent.id,
        event: { accountId: channel.accountId, region: channel.region, ...auditRecord(facts, auditEvent.eventData, result.data), idempotent: true },
      });
    }

    const appended = await context.commitWithCallRecord(accepted.map((a) => a.event));
    const successful = accepted.map((a, i) => ({ id: a.id, eventID: appended.events[i]!.eventId }));
    context.services.ingestionStatus.noteAttempt(
      channel.channelArn,
      context.nowMs / 1000,
      successful.at(-1)?.eventID,
      successful.at(-1)?.eventID,
      failed[0]?.errorCode,
    );
    return { successful, failed };
  },
};
