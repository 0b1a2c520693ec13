/** The PostgreSQL adapters of the trail-side ports, over the shared pool. */
import type { Pool } from 'pg';
import type { SigningKeyStore } from '../../integrity/keys/index.js';
import type { BucketOwners } from '../bucket-owners.js';
import type { ChannelStore } from '../channel-store.js';
import type { DeliveryCursorStore } from '../delivery-cursor-store.js';
import type { DigestChainStore } from '../digest-chain-store.js';
import type { ForwardedCallJournal } from '../forwarded-call-journal.js';
import type { ForwardingCursorStore } from '../forwarding-cursor-store.js';
import type { MerkleLedger } from '../merkle-ledger.js';
import type { TrailStore } from '../trail-store.js';
import { unsupportedPort } from './unsupported.js';

export interface TrailStores {
  channels: ChannelStore;
  trails: TrailStore;
  cursors: DeliveryCursorStore;
  ledger: MerkleLedger;
  digestChains: DigestChainStore;
  signingKeys: SigningKeyStore;
  forwardedCalls: ForwardedCallJournal;
  bucketOwners: BucketOwners;
  forwardingCursors: ForwardingCursorStore;
}

export function postgresTrailStores(_pool: Pool): TrailStores {
  return {
    channels: unsupportedPort('channels'),
    trails: unsupportedPort('trails'),
    cursors: unsupportedPort('cursors'),
    ledger: unsupportedPort('ledger'),
    digestChains: unsupportedPort('digestChains'),
    signingKeys: unsupportedPort('signingKeys'),
    forwardedCalls: unsupportedPort('forwardedCalls'),
    bucketOwners: unsupportedPort('bucketOwners'),
    forwardingCursors: unsupportedPort('forwardingCursors'),
  };
}
