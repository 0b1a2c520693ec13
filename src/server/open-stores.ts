/**
 * Opens the stores a configuration names. The server and the admin commands of the CLI both
 * start here, so they always agree on where data lives and how secrets are sealed.
 */
import { join } from 'node:path';
import type { Clock } from '../core/clock.js';
import type { OpenTrailConfig } from '../config/config.js';
import { sqliteFileOf, storeKindOf } from '../config/config.js';
import { securePrivateDir } from '../fs/private-files.js';
import { IdentityService } from '../iam/identity-service.js';
import { SecretBox } from '../iam/secret-box.js';
import type { ChannelStore } from '../store/channel-store.js';
import type { EventStore } from '../store/event-store.js';
import type { BucketOwners } from '../store/bucket-owners.js';
import type { AlarmStore } from '../store/monitoring/alarms.js';
import type { MetricStore } from '../store/monitoring/metrics.js';
import { SqliteAlarmStore } from '../store/sqlite/alarm-store.js';
import { SqliteMetricStore } from '../store/sqlite/metric-store.js';
import type { InsightStore } from '../store/insights/insight-store.js';
import { SqliteInsightStore } from '../store/sqlite/insight-store.js';
import type { ForwardedCallJournal } from '../store/forwarded-call-journal.js';
import { SqliteBucketOwners } from '../store/sqlite/bucket-owners.js';
import { SqliteForwardedCallJournal } from '../store/sqlite/forwarded-call-journal.js';
import { SqliteChannelStore } from '../store/sqlite/channel-store.js';
import { SqliteDeliveryCursorStore } from '../store/sqlite/delivery-cursor-store.js';
import { SqliteDigestChainStore } from '../store/sqlite/digest-chain-store.js';
import { SqliteMerkleLedger } from '../store/sqlite/merkle-ledger.js';
import { SqliteTrailStore } from '../store/sqlite/trail-store.js';
import { SqliteSigningKeyStore } from '../store/sqlite/signing-key-store.js';
import type { SigningKeyStore } from '../integrity/keys/index.js';
import type { DeliveryCursorStore } from '../store/delivery-cursor-store.js';
import type { DigestChainStore } from '../store/digest-chain-store.js';
import type { MerkleLedger } from '../store/merkle-ledger.js';
import type { TrailStore } from '../store/trail-store.js';
import type { LogStore } from '../store/monitoring/log-groups.js';
import type { ForwardingCursorStore } from '../store/forwarding-cursor-store.js';
import { SqliteForwardingCursorStore } from '../store/sqlite/forwarding-cursor-store.js';
import { SqliteLogStore } from '../store/sqlite/log-store.js';
import { openSqliteDatabase } from '../store/sqlite/database.js';
import { SqliteEventStore } from '../store/sqlite/event-store.js';
import { SqliteIdentityStore } from '../store/sqlite/identity-store.js';
import type { LeaseStore } from '../store/lease-store.js';
import { PostgresEventStore } from '../store/postgres/event-store.js';
import { postgresIdentityStore } from '../store/postgres/identity-stores.js';
import { PostgresLeaseStore } from '../store/postgres/lease-store.js';
import { postgresMonitoringStores } from '../store/postgres/monitoring-stores.js';
import { checkMasterKey, withClusterLock } from '../store/postgres/cluster.js';
import { openPool } from '../store/postgres/pool.js';
import { applySchema } from '../store/postgres/schema.js';
import { postgresTrailStores } from '../store/postgres/trail-stores.js';

export interface Stores {
  events: EventStore;
  identity: IdentityService;
  channels: ChannelStore;
  trails: TrailStore;
  cursors: DeliveryCursorStore;
  ledger: MerkleLedger;
  digestChains: DigestChainStore;
  signingKeys: SigningKeyStore;
  secretBox: SecretBox;
  /** The gateway's calls journaled before forwarding and not yet recorded. */
  forwardedCalls: ForwardedCallJournal;
  /** Who owns the buckets made through the gateway. */
  bucketOwners: BucketOwners;
  /** Hosted CloudWatch Logs. */
  logs: LogStore;
  /** How far each trail forwarded to CloudWatch Logs. */
  forwardingCursors: ForwardingCursorStore;
  /** CloudWatch metrics (per-minute aggregates) and alarms. */
  metrics: MetricStore;
  alarms: AlarmStore;
  /** The Insights detector's counts, position and incidents. */
  insights: InsightStore;
  /**
   * Which node runs each kind of work, when several share the database (PostgreSQL); absent on
   * SQLite, where the one process runs everything.
   */
  leases?: LeaseStore;
  /**
   * Runs one-time work (the first start) on one node at a time when several share the database;
   * on SQLite it just runs.
   */
  exclusively<T>(name: string, work: () => Promise<T>): Promise<T>;
  /** Flushes pending appends and closes the database. */
  close(): Promise<void>;
}

export interface OpenStoresOptions {
  /** Told when the data directory was accessible to other users (default: a line on stderr). */
  warn?: (message: string) => void;
}

function warnOnStderr(message: string): void {
  process.stderr.write(`opentrail: warning: ${message}\n`);
}

/** Opens the stores the configuration's store URL names: SQLite (the default) or PostgreSQL. */
export async function openStores(config: OpenTrailConfig, clock: Clock, options: OpenStoresOptions = {}): Promise<Stores> {
  return storeKindOf(config) === 'postgres' ? openPostgresStores(config, clock, options) : openSqliteStores(config, clock, options);
}

/**
 * Opens what the configuration names, in an order that leaves nothing behind on failure: the
 * master key first (a bad key fails before the database exists), then the database, then its
 * writer thread. When a step throws, what was opened before it is closed again: a writer
 * thread left running would keep the process alive after the error.
 */
/** The data directory made private, and the master key: the first steps on either store. */
function openSecretBox(config: OpenTrailConfig, options: OpenStoresOptions): SecretBox {
  const notice = securePrivateDir(config.dataDir);
  if (notice !== undefined) (options.warn ?? warnOnStderr)(notice);
  return SecretBox.open(config.masterKey, join(config.dataDir, 'master.key'));
}

function openSqliteStores(config: OpenTrailConfig, clock: Clock, options: OpenStoresOptions): Stores {
  const box = openSecretBox(config, options);
  const db = openSqliteDatabase(sqliteFileOf(config));
  let events: SqliteEventStore;
  try {
    const warn = options.warn ?? warnOnStderr;
    events = new SqliteEventStore(db, {
      maxPendingEvents: config.maxPendingEvents,
      onIndexFailure: (message) => warn(`the lookup index fell behind (retried; lookups scan the unindexed events meanwhile): ${message}`),
    });
  } catch (error) {
    db.close();
    throw error;
  }
  try {
    return {
      events,
      identity: new IdentityService(new SqliteIdentityStore(db), box, clock),
      channels: new SqliteChannelStore(db),
      trails: new SqliteTrailStore(db),
      cursors: new SqliteDeliveryCursorStore(db),
      ledger: new SqliteMerkleLedger(db),
      digestChains: new SqliteDigestChainStore(db),
      signingKeys: new SqliteSigningKeyStore(db),
      secretBox: box,
      forwardedCalls: new SqliteForwardedCallJournal(db),
      bucketOwners: new SqliteBucketOwners(db),
      logs: new SqliteLogStore(db),
      forwardingCursors: new SqliteForwardingCursorStore(db),
      metrics: new SqliteMetricStore(db),
      alarms: new SqliteAlarmStore(db),
      insights: new SqliteInsightStore(db),
      exclusively: async (_name, work) => work(),
      async close() {
        await events.close();
        db.close();
      },
    };
  } catch (error) {
    void events.close().finally(() => db.close());
    throw error;
  }
}

/** Connections per node: appends hold one at a time; the workers and lookups share the rest. */
const POSTGRES_POOL_SIZE = 10;

/**
 * Every port over one pool to the database, its schema applied first (safe when nodes start
 * together, see postgres/schema.ts). The master key seals secrets in the shared database, so
 * every node must be given the same one (OPENTRAIL_MASTER_KEY); a key file in a node's data
 * directory is only right for a single node.
 */
async function openPostgresStores(config: OpenTrailConfig, clock: Clock, options: OpenStoresOptions): Promise<Stores> {
  const box = openSecretBox(config, options);
  const pool = openPool(config.store, POSTGRES_POOL_SIZE);
  let events: PostgresEventStore;
  try {
    await applySchema(pool);
    await checkMasterKey(pool, box);
    events = await PostgresEventStore.over(pool, config.store, { maxPendingEvents: config.maxPendingEvents });
  } catch (error) {
    await pool.end();
    throw error;
  }
  return {
    events,
    identity: new IdentityService(postgresIdentityStore(pool), box, clock),
    ...postgresTrailStores(pool),
    ...postgresMonitoringStores(pool),
    secretBox: box,
    leases: new PostgresLeaseStore(pool),
    exclusively: async (name, work) => withClusterLock(pool, name, work),
    async close() {
      await events.close();
      await pool.end();
    },
  };
}
