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

export interface ChannelStore {
  /** Rejects with AlreadyExistsError when the account has a channel of that name in the region. */
  create(channel: Channel): Promise<void>;
  get(channelArn: string): Promise<Channel | undefined>;
  /** Channels of an account in a region, by name, after the given name. */
  list(accountId: string, region: string, afterName: string | undefined, limit: number): Promise<Channel[]>;
  count(accountId: string, region: string): Promise<number>;
  /** Rejects with AlreadyExistsError when the new name is taken. Returns false when absent. */
  update(channelArn: string, changes: { name?: string; destinations?: ChannelDestination[] }): Promise<boolean>;
  delete(channelArn: string): Promise<boolean>;
  setTags(channelArn: string, tags: ChannelTag[]): Promise<void>;
}
