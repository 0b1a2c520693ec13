/**
 * Opens the stores a configuration names. The server and the admin commands of the CLI both
 * start here, so they always agree on where data lives and how secrets are sealed.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../core/clock.js';
import type { OpenTrailConfig } from '../config/config.js';
import { sqliteFileOf } from '../config/config.js';
import { IdentityService } from '../iam/identity-service.js';
import { SecretBox } from '../iam/secret-box.js';
import type { ChannelStore } from '../store/channel-store.js';
import type { EventStore } from '../store/event-store.js';
import { SqliteChannelStore } from '../store/sqlite/channel-store.js';
import { SqliteTrailStore } from '../store/sqlite/trail-store.js';
import { SqliteSigningKeyStore } from '../store/sqlite/signing-key-store.js';
import type { SigningKeyStore } from '../integrity/keys/index.js';
import type { TrailStore } from '../store/trail-store.js';
import { openSqliteDatabase } from '../store/sqlite/database.js';
import { SqliteEventStore } from '../store/sqlite/event-store.js';
import { SqliteIdentityStore } from '../store/sqlite/identity-store.js';

export interface Stores {
  events: EventStore;
  identity: IdentityService;
  channels: ChannelStore;
  trails: TrailStore;
  signingKeys: SigningKeyStore;
  secretBox: SecretBox;
  /** Flushes pending appends and closes the database. */
  close(): Promise<void>;
}

export function openStores(config: OpenTrailConfig, clock: Clock): Stores {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const db = openSqliteDatabase(sqliteFileOf(config));
  const events = new SqliteEventStore(db, { maxPendingEvents: config.maxPendingEvents });
  const box = SecretBox.open(config.masterKey, join(config.dataDir, 'master.key'));
  const identity = new IdentityService(new SqliteIdentityStore(db), box, clock);
  return {
    events,
    identity,
    channels: new SqliteChannelStore(db),
    trails: new SqliteTrailStore(db),
    signingKeys: new SqliteSigningKeyStore(db),
    secretBox: box,
    async close() {
      await events.close();
      db.close();
    },
  };
}
