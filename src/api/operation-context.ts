/** What an operation handler gets besides its input. */
import type { Clock } from '../core/clock.js';
import type { RecordResource } from '../core/record.js';
import type { Caller } from '../iam/caller.js';
import type { RequestContext } from '../iam/policy/index.js';
import type { IdentityService } from '../iam/identity-service.js';
import type { IngestionStatusBoard } from '../ingest/ingestion-status.js';
import type { ObjectStore } from '../objects/object-store.js';
import type { TopicDirectory } from '../notify/sns-topics.js';
import type { LogDestination } from '../workers/cloudwatch-logs/log-destination.js';
import type { ChannelStore } from '../store/channel-store.js';
import type { LogReader, LogStore } from '../store/monitoring/log-groups.js';
import type { DigestChainReader, DigestChainStore } from '../store/digest-chain-store.js';
import type { MerkleLedger, MerkleLedgerReader } from '../store/merkle-ledger.js';
import type { Trail, TrailReader, TrailStore } from '../store/trail-store.js';
import type { SigningKeyRing } from '../integrity/keys/index.js';
import type { EventReader, EventStore, PreparedEvent } from '../store/event-store.js';
import type { AppendResult } from '../store/event-store.js';
import type { ConflictReason, StateChange } from '../store/state-change.js';
import type { AlarmReader, AlarmStore } from '../store/monitoring/alarms.js';
import type { MetricStore } from '../store/monitoring/metrics.js';
import type { InsightMetricReader } from '../store/insights/insight-store.js';
import type { ServiceError } from './errors.js';

/** The long-lived parts of the server: what the pipeline is built from. */
export interface ServerServices {
  events: EventStore;
  identity: IdentityService;
  channels: ChannelStore;
  trails: TrailStore;
  /** What trails delivered, for proofs. */
  ledger: MerkleLedger;
  /** The digests trails wrote, whose tree heads proofs are checked against. */
  digestChains: DigestChainStore;
  /** Where trails deliver; CreateTrail checks the bucket exists here. */
  objects: ObjectStore;
  /** The SNS topics trails notify; CreateTrail/UpdateTrail check a topic exists here. */
  topics: TopicDirectory;
  /** Where trails forward to CloudWatch Logs; CreateTrail/UpdateTrail check a log group exists there. */
  logGroups: Pick<LogDestination, 'exists'>;
  /** Digest signing keys per region (ListPublicKeys). */
  keyRing: SigningKeyRing;
  /**
   * Before a trail is deleted: one bounded, best-effort attempt to deliver what is pending and
   * write its final digests. Never throws; the trail is deleted whatever it achieved.
   */
  finishTrail(trail: Trail): Promise<void>;
  ingestionStatus: IngestionStatusBoard;
  /** Hosted CloudWatch Logs: log groups, streams, events, metric filters. */
  logs: LogStore;
  clock: Clock;
  /** Days of event history kept and searchable. */
  retentionDays: number;
  /** CloudWatch metrics and alarms. */
  metrics: MetricStore;
  alarms: AlarmStore;
  /** The Insights detector's per-minute counts (ListInsightsMetricData). */
  insights: InsightMetricReader;
  /** Tells the alarm evaluator that metrics or alarms changed (after a commit); a no-op without one. */
  pokeAlarms(): void;
}

/**
 * The services as handlers see them: stores they can read, none they can write. A handler's
 * effects are staged (OperationContext.stage) and committed by the pipeline with the call's record.
 */
export type HandlerServices = Omit<ServerServices, 'events' | 'trails' | 'ledger' | 'digestChains' | 'channels' | 'logs' | 'metrics' | 'alarms'> & {
  logs: LogReader;
  metrics: Pick<MetricStore, 'minutes' | 'list'>;
  alarms: AlarmReader;
  events: EventReader;
  trails: TrailReader;
  ledger: MerkleLedgerReader;
  digestChains: DigestChainReader;
  channels: ChannelStore;
};

export interface CommitResult extends AppendResult {
  /** Log position of the call's own record. */
  callSeq: number;
}

/** An access key named in advance (the first start's, from configuration). */
export interface PresetAccessKey {
  accessKeyId: string;
  secretAccessKey: string;
}

/** What the call answers when a staged change meets a conflict at commit time. */
export type ConflictErrors = Partial<Record<ConflictReason, ServiceError>>;

export interface OperationContext {
  caller: Caller;
  /** The region of the request: its SigV4 credential scope's region. */
  region: string;
  requestId: string;
  nowMs: number;
  services: HandlerServices;
  /**
   * The request's condition keys (aws:SourceIp, aws:PrincipalArn, ...) that authorization
   * evaluated the caller's policies with; for handlers that evaluate a policy of their own
   * (AssumeRole, a role's trust policy). The pipeline always sets it.
   */
  conditions?: RequestContext;
  /** Resources the call touched, for the record's `resources` (handlers push to it). */
  resources: RecordResource[];
  /**
   * Stages a change of state. It is applied only in the commit of the call's record, after the
   * handler has returned; if that commit fails, nothing of it happens. `conflicts` says what
   * the call answers (and records) when the change can no longer be applied at commit time.
   */
  stage(change: StateChange, conflicts?: ConflictErrors): void;
  /** Set only for a local call that names the key CreateAccessKey makes (RequestPipeline.invokeLocal). */
  presetAccessKey?: PresetAccessKey;
  /**
   * The call acts on a resource of another account (AssumeRole of another account's role): that
   * account's history gets the call's record too, as CloudTrail does, joined by a sharedEventID.
   */
  shareRecordWith(accountId: string): void;
  /** Runs after the call's record (and its staged changes) committed: in-memory bookkeeping only. */
  afterCommit(effect: () => void): void;
  /**
   * Appends events together with this call's own record in one durable commit (one fsync for
   * both). The call's record then carries no responseElements. Use at most once per call.
   */
  commitWithCallRecord(events: readonly PreparedEvent[]): Promise<CommitResult>;
}
