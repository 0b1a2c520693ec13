/**
 * The channel port: channels through which applications send custom events. A channel
 * belongs to one account and one region; names are unique within them.
 */
export interface ChannelDestination {
  Type: 'EVENT_DATA_STORE' | 'AWS_SERVICE';
  Location: string;
}

export interface ChannelTag {
  Key: string;
  Value?: string;
}

export interface Channel {
  channelArn: string;
  accountId: string;
  region: string;
  name: string;
  source: string;
  destinations: ChannelDestination[];
  tags: ChannelTag[];
  createdAt: number;
}

/** Channels are created, changed and deleted only through staged state changes (../state-change.ts). */
export interface ChannelStore {
  get(channelArn: string): Promise<Channel | undefined>;
  /** Channels of an account in a region, by name, after the given name. */
  list(accountId: string, region: string, afterName: string | undefined, limit: number): Promise<Channel[]>;
  count(accountId: string, region: string): Promise<number>;
}
