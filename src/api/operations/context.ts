/** What an operation handler gets besides its input. */
import type { Clock } from '../../core/clock.js';
import type { RecordResource } from '../../core/record.js';
import type { Caller } from '../../iam/caller.js';
import type { IdentityService } from '../../iam/identity-service.js';
import type { IngestionStatusBoard } from '../../ingest/ingestion-status.js';
import type { ObjectStore } from '../../objects/object-store.js';
import type { TopicDirectory } from '../../notify/sns-topics.js';
import type { ChannelStore } from '../../store/channel-store.js';
import type { Trail, TrailStore } from '../../store/trail-store.js';
import type { SigningKeyRing } from '../../integrity/keys/index.js';
import type { EventStore, PreparedEvent } from '../../store/event-store.js';
import type { AppendResult } from '../../store/event-store.js';

/** The long-lived parts of the server that handlers use. */
export interface ServerServices {
  events: EventStore;
  identity: IdentityService;
  channels: ChannelStore;
  trails: TrailStore;
  /** Where trails deliver; CreateTrail checks the bucket exists here. */
  objects: ObjectStore;
  /** The SNS topics trails notify; CreateTrail/UpdateTrail check a topic exists here. */
  topics: TopicDirectory;
  /** Digest signing keys per region (ListPublicKeys). */
  keyRing: SigningKeyRing;
  /** Before a trail is deleted: deliver what is pending and write its final digests. */
  finishTrail(trail: Trail): Promise<void>;
  ingestionStatus: IngestionStatusBoard;
  clock: Clock;
  /** Days of event history kept and searchable. */
  retentionDays: number;
}

export interface CommitResult extends AppendResult {
  /** Log position of the call's own record. */
  callSeq: number;
}

export interface OperationContext {
  caller: Caller;
  /** The region of the request: its SigV4 credential scope's region. */
  region: string;
  requestId: string;
  nowMs: number;
  services: ServerServices;
  /** Resources the call touched, for the record's `resources` (handlers push to it). */
  resources: RecordResource[];
  /**
   * Appends events together with this call's own record in one durable commit (one fsync for
   * both). The call's record then carries no responseElements. Use at most once per call.
   */
  commitWithCallRecord(events: readonly PreparedEvent[]): Promise<CommitResult>;
}
