/** Channel ARNs: `arn:aws:cloudtrail:<region>:<account>:channel/<id>`. */
import { randomUUID } from 'node:crypto';

const CHANNEL_ARN = /^arn:aws[a-z-]*:cloudtrail:([a-z0-9-]+):(\d{12}):channel\/([A-Za-z0-9-]{1,128})$/;
const CHANNEL_ID = /^[a-f0-9-]{36}$/;

export interface ChannelRef {
  region: string;
  accountId: string;
  channelId: string;
}

export function channelArn(ref: ChannelRef): string {
  return `arn:aws:cloudtrail:${ref.region}:${ref.accountId}:channel/${ref.channelId}`;
}

export function newChannelId(): string {
  return randomUUID();
}

/**
 * Reads a channel reference as CloudTrail accepts it: a full ARN, or the channel id (the ARN's
 * suffix), which then means the caller's account in the request's region. Undefined when it is
 * neither.
 */
export function parseChannelRef(value: string, accountId: string, region: string): ChannelRef | undefined {
  const match = CHANNEL_ARN.exec(value);
  if (match) return { region: match[1]!, accountId: match[2]!, channelId: match[3]! };
  if (CHANNEL_ID.test(value)) return { region, accountId, channelId: value };
  return undefined;
}
