/**
 * SQLite schema, applied in order by `PRAGMA user_version`. Append a migration; never edit one
 * that has shipped.
 */
import type { SqliteDatabase } from './database.js';
import { createMerkleTiles } from './merkle-tiles.js';
import { reindexEventResources } from './reindex-resources.js';

export const migrations: readonly (string | ((db: SqliteDatabase) => void))[] = [
  `
  -- The event log. seq is the log position: assigned at append, never reused.
  CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    event_time INTEGER NOT NULL,          -- epoch ms of the record's eventTime
    is_insight INTEGER NOT NULL,
    event_id TEXT NOT NULL,
    event_name TEXT,
    read_only TEXT,
    username TEXT,
    event_source TEXT,
    access_key_id TEXT,
    record TEXT NOT NULL                  -- canonical JSON, delivered byte for byte
  );
  -- One index per lookup attribute, each ending in the newest-first order of LookupEvents.
  CREATE INDEX events_by_time ON events (account_id, region, is_insight, event_time, seq);
  CREATE INDEX events_by_event_id ON events (account_id, region, event_id, event_time, seq);
  CREATE INDEX events_by_event_name ON events (account_id, region, event_name, event_time, seq);
  CREATE INDEX events_by_username ON events (account_id, region, username, event_time, seq);
  CREATE INDEX events_by_event_source ON events (account_id, region, event_source, event_time, seq);
  -- Custom events have no access key: a partial index skips them.
  CREATE INDEX events_by_access_key_id ON events (account_id, region, access_key_id, event_time, seq) WHERE access_key_id IS NOT NULL;
  -- ReadOnly (true/false) is too coarse to drive a scan: it is checked on rows found by another index.

  CREATE TABLE event_resources (
    seq INTEGER NOT NULL REFERENCES events (seq) ON DELETE CASCADE,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    event_time INTEGER NOT NULL,
    resource_type TEXT,
    resource_name TEXT
  );
  CREATE INDEX event_resources_by_type ON event_resources (account_id, region, resource_type, event_time, seq);
  CREATE INDEX event_resources_by_name ON event_resources (account_id, region, resource_name, event_time, seq);
  CREATE INDEX event_resources_by_seq ON event_resources (seq);

  -- Channels for custom events (cloudtrail-data PutAuditEvents).
  CREATE TABLE channels (
    channel_arn TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    destinations TEXT NOT NULL,           -- JSON, stored and returned as given
    tags TEXT NOT NULL,                   -- JSON list of {Key, Value}
    created_at INTEGER NOT NULL,
    UNIQUE (account_id, region, name)
  );

  -- Identity: accounts are tenants; users belong to one account; keys to one user.
  CREATE TABLE accounts (
    account_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE users (
    account_id TEXT NOT NULL REFERENCES accounts (account_id),
    user_name TEXT NOT NULL,
    principal_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, user_name)
  );
  CREATE TABLE access_keys (
    access_key_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    user_name TEXT NOT NULL,
    secret_sealed TEXT NOT NULL,          -- AES-256-GCM under the master key, never plaintext
    status TEXT NOT NULL,                 -- Active | Inactive
    created_at INTEGER NOT NULL,
    FOREIGN KEY (account_id, user_name) REFERENCES users (account_id, user_name)
  );
  CREATE TABLE user_policies (
    account_id TEXT NOT NULL,
    user_name TEXT NOT NULL,
    policy_name TEXT NOT NULL,
    kind TEXT NOT NULL,                   -- managed (document NULL: resolved by name) | inline
    document TEXT,
    PRIMARY KEY (account_id, user_name, policy_name),
    FOREIGN KEY (account_id, user_name) REFERENCES users (account_id, user_name)
  );
  `,
  `
  -- Trails: configuration, logging state and delivery status.
  CREATE TABLE trails (
    trail_arn TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    home_region TEXT NOT NULL,
    name TEXT NOT NULL,
    config TEXT NOT NULL,                 -- JSON: bucket, prefix, SNS, flags, KMS, CloudWatch Logs
    selectors TEXT,                       -- JSON selector configuration; NULL = CloudTrail's default
    tags TEXT NOT NULL,                   -- JSON list of {Key, Value}
    is_logging INTEGER NOT NULL,
    start_logging_time INTEGER,
    stop_logging_time INTEGER,
    status TEXT NOT NULL,                 -- JSON: latest delivery / notification times and errors
    created_at INTEGER NOT NULL,
    UNIQUE (account_id, home_region, name)
  );
  -- Where each trail's delivery stands in the event log: events up to last_seq are done.
  -- StopLogging sets until_seq (deliver nothing after it); StartLogging after a stop sets
  -- resume_seq: events in (until_seq, resume_seq] were made while stopped and are skipped.
  CREATE TABLE delivery_cursors (
    trail_arn TEXT PRIMARY KEY REFERENCES trails (trail_arn) ON DELETE CASCADE,
    last_seq INTEGER NOT NULL,
    until_seq INTEGER,
    resume_seq INTEGER,
    -- The batch being delivered (outbox): redone identically after a crash.
    batch_last_seq INTEGER,
    batch_delivery_time INTEGER
  );
  CREATE INDEX events_by_account_seq ON events (account_id, seq);
  `,
  `
  -- Integrity: signing keys per region (never updated or deleted; private keys sealed).
  CREATE TABLE signing_keys (
    region TEXT NOT NULL,
    valid_from INTEGER NOT NULL,
    valid_to INTEGER NOT NULL,
    fingerprint TEXT NOT NULL,
    public_key_der BLOB NOT NULL,
    private_key_sealed TEXT NOT NULL,
    PRIMARY KEY (region, valid_from)
  );
  -- Every log file a trail delivered, with its records' leaf hashes (32 bytes each, in order):
  -- what digests list, and what Merkle proofs are computed from.
  CREATE TABLE delivered_log_files (
    file_id INTEGER PRIMARY KEY,          -- recording order: digests take files by it
    trail_arn TEXT NOT NULL REFERENCES trails (trail_arn) ON DELETE CASCADE,
    region TEXT NOT NULL,
    bucket TEXT NOT NULL,
    key TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    newest_event_time TEXT NOT NULL,
    oldest_event_time TEXT NOT NULL,
    delivered_at INTEGER NOT NULL,
    leaf_first INTEGER NOT NULL,
    leaf_last INTEGER NOT NULL,
    leaf_hashes BLOB NOT NULL,
    UNIQUE (trail_arn, region, leaf_first)
  );
  CREATE INDEX delivered_log_files_by_id ON delivered_log_files (trail_arn, region, file_id);
  -- Each trail+region Merkle tree's size and compact frontier, extended with each batch.
  CREATE TABLE trail_trees (
    trail_arn TEXT NOT NULL REFERENCES trails (trail_arn) ON DELETE CASCADE,
    region TEXT NOT NULL,
    size INTEGER NOT NULL,
    frontier TEXT NOT NULL,
    PRIMARY KEY (trail_arn, region)
  );
  -- Each trail+region digest chain: where it stands, and a planned digest not yet confirmed.
  CREATE TABLE digest_chains (
    trail_arn TEXT NOT NULL REFERENCES trails (trail_arn) ON DELETE CASCADE,
    region TEXT NOT NULL,
    active INTEGER NOT NULL,
    last_end_time INTEGER,
    previous TEXT,                        -- JSON {bucket, key, hashValue, signature} of the last digest
    last_file_id INTEGER NOT NULL DEFAULT 0, -- files up to this one are in a digest already
    pending_end_time INTEGER,
    pending_max_file_id INTEGER,
    PRIMARY KEY (trail_arn, region)
  );
  -- Digests written, for proofs against a signed tree head.
  CREATE TABLE digests (
    trail_arn TEXT NOT NULL REFERENCES trails (trail_arn) ON DELETE CASCADE,
    region TEXT NOT NULL,
    end_time INTEGER NOT NULL,
    bucket TEXT NOT NULL,
    key TEXT NOT NULL,
    tree_size INTEGER NOT NULL,
    root_hash TEXT NOT NULL,
    PRIMARY KEY (trail_arn, region, end_time)
  );
  `,
  `
  -- Data and network-activity events stay in the log (trails deliver them) but are not part of
  -- the event history: LookupEvents filters on in_history, and the time index leads with it so
  -- a history of few management events among many data events is still a short index walk.
  ALTER TABLE events ADD COLUMN in_history INTEGER NOT NULL DEFAULT 1;
  UPDATE events SET in_history = 0
   WHERE json_extract(record, '$.eventCategory') IN ('Data', 'NetworkActivity')
      OR (json_extract(record, '$.eventCategory') IS NULL
          AND (json_type(record, '$.managementEvent') = 'false' OR json_extract(record, '$.managementEvent') = 'false'));
  DROP INDEX events_by_time;
  CREATE INDEX events_by_time ON events (account_id, region, is_insight, in_history, event_time, seq);
  -- Imported history is not delivered to trails unless asked (events import --deliver-to-trails):
  -- trails read past such events, their cursors moving on.
  ALTER TABLE events ADD COLUMN to_trails INTEGER NOT NULL DEFAULT 1;
  `,
  `
  -- Identity grows into IAM, STS and Organizations (issue 9). IAM names are unique per account
  -- whatever their case (the NOCASE indexes), and lookups by name ignore case.
  ALTER TABLE users ADD COLUMN path TEXT NOT NULL DEFAULT '/';
  ALTER TABLE users ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
  CREATE UNIQUE INDEX users_by_name ON users (account_id, user_name COLLATE NOCASE);
  CREATE INDEX access_keys_by_user ON access_keys (account_id, user_name COLLATE NOCASE);
  CREATE TABLE access_key_last_used (
    access_key_id TEXT PRIMARY KEY,
    used_at INTEGER NOT NULL,
    service_name TEXT NOT NULL,
    region TEXT NOT NULL
  );
  CREATE TABLE roles (
    account_id TEXT NOT NULL REFERENCES accounts (account_id),
    role_name TEXT NOT NULL,
    role_id TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    trust_policy TEXT NOT NULL,
    description TEXT,
    max_session_duration INTEGER NOT NULL,
    tags TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, role_name)
  );
  CREATE UNIQUE INDEX roles_by_name ON roles (account_id, role_name COLLATE NOCASE);
  CREATE TABLE iam_groups (
    account_id TEXT NOT NULL REFERENCES accounts (account_id),
    group_name TEXT NOT NULL,
    group_id TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, group_name)
  );
  CREATE UNIQUE INDEX iam_groups_by_name ON iam_groups (account_id, group_name COLLATE NOCASE);
  -- Names in the tables below are stored as the principal's stored name (exact case).
  CREATE TABLE group_members (
    account_id TEXT NOT NULL,
    group_name TEXT NOT NULL,
    user_name TEXT NOT NULL,
    PRIMARY KEY (account_id, group_name, user_name)
  );
  CREATE INDEX group_members_by_user ON group_members (account_id, user_name);
  -- Inline policies of users, roles and groups (principal_kind user | role | group).
  CREATE TABLE inline_policies (
    account_id TEXT NOT NULL,
    principal_kind TEXT NOT NULL,
    principal_name TEXT NOT NULL,
    policy_name TEXT NOT NULL,
    document TEXT NOT NULL,
    PRIMARY KEY (account_id, principal_kind, principal_name, policy_name)
  );
  CREATE UNIQUE INDEX inline_policies_by_name ON inline_policies (account_id, principal_kind, principal_name, policy_name COLLATE NOCASE);
  CREATE TABLE managed_policies (
    policy_arn TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (account_id),
    policy_name TEXT NOT NULL,
    policy_id TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    description TEXT,
    default_version_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX managed_policies_by_name ON managed_policies (account_id, policy_name COLLATE NOCASE);
  CREATE TABLE managed_policy_versions (
    policy_arn TEXT NOT NULL REFERENCES managed_policies (policy_arn) ON DELETE CASCADE,
    version_id TEXT NOT NULL,
    document TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (policy_arn, version_id)
  );
  -- Managed policies (customer managed, or AWS managed arn:aws:iam::aws:policy/...) attached.
  CREATE TABLE policy_attachments (
    account_id TEXT NOT NULL,
    principal_kind TEXT NOT NULL,
    principal_name TEXT NOT NULL,
    policy_arn TEXT NOT NULL,
    PRIMARY KEY (account_id, principal_kind, principal_name, policy_arn)
  );
  CREATE INDEX policy_attachments_by_policy ON policy_attachments (policy_arn, account_id);
  INSERT INTO inline_policies (account_id, principal_kind, principal_name, policy_name, document)
    SELECT account_id, 'user', user_name, policy_name, document FROM user_policies WHERE kind = 'inline';
  INSERT INTO policy_attachments (account_id, principal_kind, principal_name, policy_arn)
    SELECT account_id, 'user', user_name, 'arn:aws:iam::aws:policy/' || policy_name FROM user_policies WHERE kind = 'managed';
  DROP TABLE user_policies;
  -- STS temporary credentials. Only a hash of the session token is kept.
  CREATE TABLE sessions (
    access_key_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    secret_sealed TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    issuer TEXT NOT NULL,                 -- JSON SessionIssuer
    session_name TEXT,
    mfa_authenticated INTEGER NOT NULL,
    source_identity TEXT,
    issued_with_access_key_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX sessions_by_expiry ON sessions (expires_at);
  CREATE TABLE organizations (
    org_id TEXT PRIMARY KEY,
    management_account_id TEXT NOT NULL UNIQUE REFERENCES accounts (account_id),
    feature_set TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  -- Every account of an organization, the management account included.
  CREATE TABLE organization_accounts (
    account_id TEXT PRIMARY KEY REFERENCES accounts (account_id),
    org_id TEXT NOT NULL REFERENCES organizations (org_id),
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    joined_method TEXT NOT NULL,
    joined_at INTEGER NOT NULL
  );
  CREATE INDEX organization_accounts_by_org ON organization_accounts (org_id, joined_at);
  CREATE TABLE create_account_requests (
    request_id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organizations (org_id),
    account_name TEXT NOT NULL,
    email TEXT NOT NULL,
    state TEXT NOT NULL,
    account_id TEXT,
    failure_reason TEXT,
    requested_at INTEGER NOT NULL,
    completed_at INTEGER
  );
  CREATE TABLE delegated_admins (
    org_id TEXT NOT NULL REFERENCES organizations (org_id),
    account_id TEXT NOT NULL,
    service_principal TEXT NOT NULL,
    registered_at INTEGER NOT NULL,
    PRIMARY KEY (org_id, account_id, service_principal)
  );
  `,
  `
  -- Organization trails (issue 9, item 5): a trail logs several accounts, each with its own
  -- Merkle tree and digest chain per region, so the ledger and the chains are keyed by
  -- (trail, account, region). Every trail before this one logged its own account only: its
  -- rows take the trail's account. SQLite cannot change a primary key in place, so each table
  -- is rebuilt (file ids are kept: digest chains point at them).
  CREATE TABLE delivered_log_files_by_account (
    file_id INTEGER PRIMARY KEY,          -- recording order: digests take files by it
    trail_arn TEXT NOT NULL REFERENCES trails (trail_arn) ON DELETE CASCADE,
    account_id TEXT NOT NULL,             -- whose events the file holds
    region TEXT NOT NULL,
    bucket TEXT NOT NULL,
    key TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    newest_event_time TEXT NOT NULL,
    oldest_event_time TEXT NOT NULL,
    delivered_at INTEGER NOT NULL,
    leaf_first INTEGER NOT NULL,
    leaf_last INTEGER NOT NULL,
    leaf_hashes BLOB NOT NULL,
    UNIQUE (trail_arn, account_id, region, leaf_first)
  );
  INSERT INTO delivered_log_files_by_account
    SELECT f.file_id, f.trail_arn, t.account_id, f.region, f.bucket, f.key, f.sha256, f.newest_event_time, f.oldest_event_time,
           f.delivered_at, f.leaf_first, f.leaf_last, f.leaf_hashes
      FROM delivered_log_files f JOIN trails t ON t.trail_arn = f.trail_arn;
  DROP TABLE delivered_log_files;
  ALTER TABLE delivered_log_files_by_account RENAME TO delivered_log_files;
  CREATE INDEX delivered_log_files_by_id ON delivered_log_files (trail_arn, account_id, region, file_id);

  CREATE TABLE trail_trees_by_account (
    trail_arn TEXT NOT NULL REFERENCES trails (trail_arn) ON DELETE CASCADE,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    size INTEGER NOT NULL,
    frontier TEXT NOT NULL,
    PRIMARY KEY (trail_arn, account_id, region)
  );
  INSERT INTO trail_trees_by_account
    SELECT tt.trail_arn, t.account_id, tt.region, tt.size, tt.frontier FROM trail_trees tt JOIN trails t ON t.trail_arn = tt.trail_arn;
  DROP TABLE trail_trees;
  ALTER TABLE trail_trees_by_account RENAME TO trail_trees;

  CREATE TABLE digest_chains_by_account (
    trail_arn TEXT NOT NULL REFERENCES trails (trail_arn) ON DELETE CASCADE,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    active INTEGER NOT NULL,
    last_end_time INTEGER,
    previous TEXT,                        -- JSON {bucket, key, hashValue, signature} of the last digest
    last_file_id INTEGER NOT NULL DEFAULT 0, -- files up to this one are in a digest already
    pending_end_time INTEGER,
    pending_max_file_id INTEGER,
    PRIMARY KEY (trail_arn, account_id, region)
  );
  INSERT INTO digest_chains_by_account
    SELECT c.trail_arn, t.account_id, c.region, c.active, c.last_end_time, c.previous, c.last_file_id, c.pending_end_time, c.pending_max_file_id
      FROM digest_chains c JOIN trails t ON t.trail_arn = c.trail_arn;
  DROP TABLE digest_chains;
  ALTER TABLE digest_chains_by_account RENAME TO digest_chains;

  CREATE TABLE digests_by_account (
    trail_arn TEXT NOT NULL REFERENCES trails (trail_arn) ON DELETE CASCADE,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    end_time INTEGER NOT NULL,
    bucket TEXT NOT NULL,
    key TEXT NOT NULL,
    tree_size INTEGER NOT NULL,
    root_hash TEXT NOT NULL,
    PRIMARY KEY (trail_arn, account_id, region, end_time)
  );
  INSERT INTO digests_by_account
    SELECT d.trail_arn, t.account_id, d.region, d.end_time, d.bucket, d.key, d.tree_size, d.root_hash FROM digests d JOIN trails t ON t.trail_arn = d.trail_arn;
  DROP TABLE digests;
  ALTER TABLE digests_by_account RENAME TO digests;
  `,
  `
  -- IAM never reuses a managed policy's version ids: the highest number ever given is kept.
  ALTER TABLE managed_policies ADD COLUMN last_version_number INTEGER NOT NULL DEFAULT 0;
  UPDATE managed_policies SET last_version_number = COALESCE(
    (SELECT MAX(CAST(substr(v.version_id, 2) AS INTEGER)) FROM managed_policy_versions v WHERE v.policy_arn = managed_policies.policy_arn), 0);
  `,
  `
  -- Tags of customer managed policies (CreatePolicy's Tags; GetPolicy answers them).
  ALTER TABLE managed_policies ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
  `,
  `
  -- The gateway's write-ahead journal: a forwarded call is here, durable, before it reaches its
  -- upstream, and leaves in the transaction that appends its record (docs/gateway.md).
  CREATE TABLE forwarded_calls_in_flight (
    call_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    record TEXT NOT NULL,
    opened_at INTEGER NOT NULL
  );
  `,
  // Resources named per service (a bucket by its name, a user by its user name): stored events too.
  reindexEventResources,
  `
  -- Who owns each bucket made through the gateway: other accounts are refused its objects.
  CREATE TABLE gateway_bucket_owners (
    bucket TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  `,
  `
  -- Hosted CloudWatch Logs (docs/monitoring.md): groups, streams, events, metric filters.
  CREATE TABLE log_groups (
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    arn TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    retention_days INTEGER,
    kms_key_id TEXT,
    tags TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (account_id, region, name)
  );
  CREATE TABLE log_streams (
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    group_name TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    first_event_ts INTEGER,
    last_event_ts INTEGER,
    last_ingestion_time INTEGER,
    stored_bytes INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, region, group_name, name),
    FOREIGN KEY (account_id, region, group_name) REFERENCES log_groups (account_id, region, name) ON DELETE CASCADE
  );
  CREATE TABLE log_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    group_name TEXT NOT NULL,
    stream_name TEXT NOT NULL,
    timestamp INTEGER NOT NULL,
    ingestion_time INTEGER NOT NULL,
    message TEXT NOT NULL,
    dedupe_key TEXT,
    FOREIGN KEY (account_id, region, group_name, stream_name) REFERENCES log_streams (account_id, region, group_name, name) ON DELETE CASCADE
  );
  CREATE UNIQUE INDEX log_events_dedupe ON log_events (account_id, region, group_name, stream_name, dedupe_key) WHERE dedupe_key IS NOT NULL;
  CREATE INDEX log_events_by_time ON log_events (account_id, region, group_name, timestamp, id);
  CREATE INDEX log_events_by_stream ON log_events (account_id, region, group_name, stream_name, timestamp, id);
  CREATE TABLE metric_filters (
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    group_name TEXT NOT NULL,
    filter_name TEXT NOT NULL,
    pattern TEXT NOT NULL,
    transformations TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, region, group_name, filter_name),
    FOREIGN KEY (account_id, region, group_name) REFERENCES log_groups (account_id, region, name) ON DELETE CASCADE
  );
  -- CloudWatch metrics as per-minute aggregates; dimensions in canonical text (store/monitoring/metrics.ts).
  CREATE TABLE metric_minutes (
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    namespace TEXT NOT NULL,
    metric_name TEXT NOT NULL,
    dimensions TEXT NOT NULL,
    minute INTEGER NOT NULL,
    sample_count REAL NOT NULL,
    sum REAL NOT NULL,
    minimum REAL NOT NULL,
    maximum REAL NOT NULL,
    PRIMARY KEY (account_id, region, namespace, metric_name, dimensions, minute)
  ) WITHOUT ROWID;
  CREATE INDEX metric_minutes_by_minute ON metric_minutes (minute);
  -- CloudWatch alarms: configuration as JSON, state in columns (the evaluator compares and sets it).
  CREATE TABLE metric_alarms (
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    alarm_name TEXT NOT NULL,
    config TEXT NOT NULL,
    state_value TEXT NOT NULL,
    state_reason TEXT NOT NULL,
    state_reason_data TEXT,
    state_timestamp INTEGER NOT NULL,
    PRIMARY KEY (account_id, region, alarm_name)
  );
  CREATE TABLE alarm_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    alarm_name TEXT NOT NULL,
    timestamp INTEGER NOT NULL,
    item_type TEXT NOT NULL,
    summary TEXT NOT NULL,
    data TEXT NOT NULL
  );
  CREATE INDEX alarm_history_by_alarm ON alarm_history (account_id, region, alarm_name, timestamp);
  -- How far each trail forwarded to CloudWatch Logs; stop and resume positions as delivery_cursors.
  CREATE TABLE cwl_cursors (
    trail_arn TEXT PRIMARY KEY REFERENCES trails (trail_arn) ON DELETE CASCADE,
    last_seq INTEGER NOT NULL,
    until_seq INTEGER,
    resume_seq INTEGER,
    batch_last_seq INTEGER
  );
  INSERT INTO cwl_cursors (trail_arn, last_seq, until_seq, resume_seq)
    SELECT trail_arn, last_seq, until_seq, resume_seq FROM delivery_cursors;
  `,
  `
  -- Actions a CloudWatch alarm's transition owes (its SNS topics, the webhook), written in the
  -- transaction of the transition and deleted when they ran: a crash between loses none.
  CREATE TABLE alarm_action_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    alarm_name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    transition TEXT NOT NULL
  );
  CREATE INDEX alarm_history_by_time ON alarm_history (account_id, region, timestamp);
  `,
  `
  -- Insights (docs/insights.md). A trail's insight selectors: JSON list; NULL or [] = Insights off.
  ALTER TABLE trails ADD COLUMN insight_selectors TEXT;
  -- What the detector counts per API and minute (minute = epoch ms of its start); ListInsightsMetricData
  -- reads it too. calls: write calls for Management, all calls for Data; errors: failed calls.
  CREATE TABLE insight_minutes (
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    event_source TEXT NOT NULL,
    event_name TEXT NOT NULL,
    category TEXT NOT NULL,
    minute INTEGER NOT NULL,
    calls INTEGER NOT NULL,
    errors INTEGER NOT NULL,
    PRIMARY KEY (account_id, region, event_source, event_name, category, minute)
  ) WITHOUT ROWID;
  CREATE INDEX insight_minutes_by_minute ON insight_minutes (minute);
  -- The failed calls of insight_minutes by error code.
  CREATE TABLE insight_error_minutes (
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    event_source TEXT NOT NULL,
    event_name TEXT NOT NULL,
    category TEXT NOT NULL,
    error_code TEXT NOT NULL,
    minute INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (account_id, region, event_source, event_name, category, error_code, minute)
  ) WITHOUT ROWID;
  CREATE INDEX insight_error_minutes_by_minute ON insight_error_minutes (minute);
  -- Where the detector stands: events up to last_seq are counted, minutes up to evaluated_minute
  -- (epoch minute) judged.
  CREATE TABLE insight_detector (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last_seq INTEGER NOT NULL,
    evaluated_minute INTEGER
  );
  -- When the detector first saw each account and region: the start of its baseline (cold start).
  CREATE TABLE insight_partitions (
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    first_minute INTEGER NOT NULL,
    PRIMARY KEY (account_id, region)
  );
  -- Incidents being confirmed or in progress, per series (core/insights/detector/types.ts IncidentState).
  CREATE TABLE insight_incidents (
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    event_source TEXT NOT NULL,
    event_name TEXT NOT NULL,
    category TEXT NOT NULL,
    insight_type TEXT NOT NULL,
    state TEXT NOT NULL,
    PRIMARY KEY (account_id, region, event_source, event_name, category, insight_type)
  );
  `,
  `
  -- The lookup index leaves the events table (store/sqlite/lookup-index.ts): one narrow table of
  -- (hashed key, time, position) entries, kept by a consumer behind the log in the writer thread
  -- (event-indexer.ts). event_index_head is its cursor; the writer indexes what lies after it
  -- when it starts, so an existing log is indexed on the first start of this version.
  CREATE TABLE event_keys (
    key INTEGER NOT NULL,
    event_time INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (key, event_time, seq)
  ) WITHOUT ROWID;
  -- Each account and region of the log, numbered for the exact keys of attribute-less lookups.
  CREATE TABLE event_partitions (
    id INTEGER PRIMARY KEY,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    UNIQUE (account_id, region)
  );
  CREATE TABLE event_index_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last_seq INTEGER NOT NULL
  );
  INSERT INTO event_index_head (id, last_seq) VALUES (1, 0);
  DROP INDEX events_by_time;
  DROP INDEX events_by_event_id;
  DROP INDEX events_by_event_name;
  DROP INDEX events_by_username;
  DROP INDEX events_by_event_source;
  DROP INDEX events_by_access_key_id;
  DROP INDEX event_resources_by_type;
  DROP INDEX event_resources_by_name;
  `,
  createMerkleTiles,
];
