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
import { PostgresBucketOwners } from './bucket-owners.js';
import { PostgresChannelStore } from './channel-store.js';
import { PostgresDeliveryCursorStore } from './delivery-cursor-store.js';
import { PostgresDigestChainStore } from './digest-chain-store.js';
import { PostgresForwardedCallJournal } from './forwarded-call-journal.js';
import { PostgresForwardingCursorStore } from './forwarding-cursor-store.js';
import { PostgresMerkleLedger } from './merkle-ledger.js';
import { PostgresSigningKeyStore } from './signing-key-store.js';
import { PostgresTrailStore } from './trail-store.js';

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

export function postgresTrailStores(pool: Pool): TrailStores {
  return {
    channels: new PostgresChannelStore(pool),
    trails: new PostgresTrailStore(pool),
    cursors: new PostgresDeliveryCursorStore(pool),
    ledger: new PostgresMerkleLedger(pool),
    digestChains: new PostgresDigestChainStore(pool),
    signingKeys: new PostgresSigningKeyStore(pool),
    forwardedCalls: new PostgresForwardedCallJournal(pool),
    bucketOwners: new PostgresBucketOwners(pool),
    forwardingCursors: new PostgresForwardingCursorStore(pool),
  };
}
