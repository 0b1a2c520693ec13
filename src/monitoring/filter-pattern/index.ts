/**
 * CloudWatch Logs filter patterns (../../../docs/monitoring.md): parsed once, matched against
 * many log events. CONTRACT of the monitoring work: the signatures below are fixed; the
 * implementation replaces the bodies.
 */

/** A value a selector reads from a log event. */
export type LogValue = string | number | boolean | null;

export interface FilterPattern {
  readonly source: string;
  /** Regex terms (`%...%`) in it, for CloudWatch's quota (2 per pattern). */
  readonly regexCount: number;
}

/** A pattern that does not parse: `position` is the 0-based offset in the source where it failed. */
export class FilterPatternError extends Error {
  readonly position: number;

  constructor(message: string, position: number) {
    super(message);
    this.name = 'FilterPatternError';
    this.position = position;
  }
}

/** A log event as patterns read it: its message, its JSON parsed at most once whatever the number of patterns. */
export interface PreparedLogEvent {
  readonly message: string;
}

export interface LogEventMatch {
  /**
   * The value a metricValue or dimension selector names: `$.a.b[0]` for any event with a JSON
   * message, a field name (`[ip, user, ...]`) or `$1`, `$2`... for space-delimited patterns.
   * undefined when the event has no such value.
   */
  valueOf(selector: string): LogValue | undefined;
  /** Space-delimited patterns: the fields they extracted, by name (TestMetricFilter's extractedValues: `$name`). */
  readonly extractedValues?: Readonly<Record<string, string>>;
}

/** Parses a pattern; the empty pattern (or whitespace) matches every event. Throws FilterPatternError. */
export function parseFilterPattern(source: string): FilterPattern {
  throw new FilterPatternError(`filter patterns are not implemented yet: ${source}`, 0);
}

export function prepareLogEvent(message: string): PreparedLogEvent {
  return { message };
}

/** The match of the event, or undefined when the pattern does not match it. */
export function matchLogEvent(pattern: FilterPattern, event: PreparedLogEvent | string): LogEventMatch | undefined {
  void event;
  throw new Error(`filter patterns are not implemented yet: ${pattern.source}`);
}
