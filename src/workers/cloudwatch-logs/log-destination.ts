/**
 * Where a trail's CloudWatch Logs forwarding goes: a log group hosted by OpenTrail, or one in an
 * external CloudWatch Logs API. Both take the same events; both make a redone batch harmless
 * (each event is keyed by its record's eventID in its stream).
 */

export interface LogGroupRef {
  accountId: string;
  region: string;
  logGroupName: string;
}

/** A CloudTrail record on its way to a log stream: its eventTime and its JSON, as delivered. */
export interface ForwardedEvent {
  timestamp: number;
  message: string;
  /** The record's eventID: unique in its stream. */
  eventId: string;
}

export interface LogDestination {
  readonly kind: 'hosted' | 'external';
  /** Whether the group exists (CreateTrail and UpdateTrail refuse one that does not). */
  exists(group: LogGroupRef): Promise<boolean>;
  /**
   * Puts the events into the stream (made when missing), in order. `redo`: the batch was
   * planned by an earlier attempt that may have put some of it; those are not put twice.
   */
  put(group: LogGroupRef, stream: string, events: readonly ForwardedEvent[], redo: boolean): Promise<void>;
}

/** `arn:aws:logs:<region>:<account>:log-group:<name>:*` → its parts (the trail rules checked its form). */
export function logGroupOfArn(arn: string): LogGroupRef | undefined {
  const match = /^arn:aws[a-z-]*:logs:([a-z0-9-]+):(\d{12}):log-group:(.+?)(?::\*)?$/.exec(arn);
  if (match === null) return undefined;
  return { region: match[1]!, accountId: match[2]!, logGroupName: match[3]! };
}

/**
 * CloudTrail's stream of a trail's events: `<account>_CloudTrail_<region>`, and for an
 * organization trail `<organization id>_<account>_CloudTrail_<region>`.
 */
export function cloudTrailStreamName(accountId: string, region: string, organizationId?: string): string {
  return `${organizationId !== undefined ? `${organizationId}_` : ''}${accountId}_CloudTrail_${region}`;
}
