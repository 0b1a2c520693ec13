/**
 * The event log's tables on PostgreSQL: the same rows and indexes as SQLite's (each lookup index
 * ends in event_time, seq, so LookupEvents reads newest-first without a sort), plus log_head, the
 * one row whose lock orders appends (../event-store.ts).
 *
 * Both event tables are partitioned by day of event_time (../event-partitions.ts makes the
 * partitions as events arrive), so retention drops whole days instead of deleting rows. A
 * partitioned table's keys must include the partition column: the primary key is (seq,
 * event_time), and a resource row has no foreign key to its event; retention drops a day of
 * both tables together.
 */
export const EVENTS_SCHEMA: readonly string[] = [
  `
  CREATE TABLE IF NOT EXISTS log_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last_seq BIGINT NOT NULL
  );
  INSERT INTO log_head (id, last_seq) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
  CREATE TABLE IF NOT EXISTS events (
    seq BIGINT NOT NULL,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    event_time BIGINT NOT NULL,
    is_insight INTEGER NOT NULL,
    in_history INTEGER NOT NULL,
    to_trails INTEGER NOT NULL,
    event_id TEXT NOT NULL,
    event_name TEXT,
    read_only TEXT,
    username TEXT,
    event_source TEXT,
    access_key_id TEXT,
    record TEXT NOT NULL,
    PRIMARY KEY (seq, event_time)
  ) PARTITION BY RANGE (event_time);
  CREATE INDEX IF NOT EXISTS events_by_time ON events (account_id, region, is_insight, in_history, event_time, seq);
  CREATE INDEX IF NOT EXISTS events_by_event_id ON events (account_id, region, event_id, event_time, seq);
  CREATE INDEX IF NOT EXISTS events_by_event_name ON events (account_id, region, event_name, event_time, seq);
  CREATE INDEX IF NOT EXISTS events_by_username ON events (account_id, region, username, event_time, seq);
  CREATE INDEX IF NOT EXISTS events_by_event_source ON events (account_id, region, event_source, event_time, seq);
  CREATE INDEX IF NOT EXISTS events_by_access_key_id ON events (account_id, region, access_key_id, event_time, seq) WHERE access_key_id IS NOT NULL;
  CREATE INDEX IF NOT EXISTS events_by_account_seq ON events (account_id, seq);
  CREATE TABLE IF NOT EXISTS event_resources (
    seq BIGINT NOT NULL,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    event_time BIGINT NOT NULL,
    resource_type TEXT,
    resource_name TEXT
  ) PARTITION BY RANGE (event_time);
  CREATE INDEX IF NOT EXISTS event_resources_by_type ON event_resources (account_id, region, resource_type, event_time, seq);
  CREATE INDEX IF NOT EXISTS event_resources_by_name ON event_resources (account_id, region, resource_name, event_time, seq);
  CREATE INDEX IF NOT EXISTS event_resources_by_seq ON event_resources (seq);
`,
];
