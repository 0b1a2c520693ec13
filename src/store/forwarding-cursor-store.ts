/**
 * How far each trail forwarded its events to CloudWatch Logs: one cursor per trail, created
 * with it, with the stop and resume positions StopLogging and StartLogging set (as the
 * delivery cursor has), and the batch being forwarded (the outbox), so that a crash redoes
 * exactly that batch.
 */

export interface ForwardingCursor {
  trailArn: string;
  /** The last log position forwarded (or skipped as not the trail's). */
  lastSeq: number;
  /** Logging stopped: nothing after this position until resumeSeq. */
  untilSeq?: number;
  /** Logging started again: forwarding resumes after this position. */
  resumeSeq?: number;
  /** The end of the batch being forwarded, set before its first put. */
  batchLastSeq?: number;
}

export interface ForwardingCursorStore {
  cursor(trailArn: string): Promise<ForwardingCursor | undefined>;
  planBatch(trailArn: string, batchLastSeq: number): Promise<void>;
  /** Past a stop at or before the cursor: on to the resume position, the gap forgotten. */
  skipGap(trailArn: string): Promise<void>;
  /** Moves the cursor to the batch's end; false when the batch was reset meanwhile (the trail was pointed elsewhere). */
  completeBatch(trailArn: string, batchLastSeq: number): Promise<boolean>;
}
