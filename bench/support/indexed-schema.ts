/**
 * The SQLite event log's tables as they were before the lookup index moved behind the log
 * ([throughput]): one synchronous B-tree index per lookup attribute on the events table and two
 * on its resources. The ingest benchmark's raw-insert baseline writes into this schema, so its
 * figure is the design the issue measured, beside the design the store has now.
 */
export const INDEXED_EVENT_LOG_SCHEMA = `
  CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    event_time INTEGER NOT NULL,
    is_insight INTEGER NOT NULL,
    event_id TEXT NOT NULL,
    event_name TEXT,
    read_only TEXT,
    username TEXT,
    event_source TEXT,
    access_key_id TEXT,
    record TEXT NOT NULL,
    in_history INTEGER NOT NULL DEFAULT 1,
    to_trails INTEGER NOT NULL DEFAULT 1
  );
  CREATE INDEX events_by_time ON events (account_id, region, is_insight, in_history, event_time, seq);
  CREATE INDEX events_by_event_id ON events (account_id, region, event_id, event_time, seq);
  CREATE INDEX events_by_event_name ON events (account_id, region, event_name, event_time, seq);
  CREATE INDEX events_by_username ON events (account_id, region, username, event_time, seq);
  CREATE INDEX events_by_event_source ON events (account_id, region, event_source, event_time, seq);
  CREATE INDEX events_by_access_key_id ON events (account_id, region, access_key_id, event_time, seq) WHERE access_key_id IS NOT NULL;
  CREATE INDEX events_by_account_seq ON events (account_id, seq);
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
`;
