/**
 * CloudWatch Logs filter patterns (../../../docs/monitoring.md): parsed once, matched against
 * many log events. The three languages (JSON `{ ... }`, space-delimited `[ ... ]`, text terms)
 * each have their parser in this folder; ./compile.ts turns the result into closures.
 */
import { compile, type Matcher } from './compile.js';
import { FilterPatternError } from './error.js';
import { LogEvent } from './log-event.js';
import { parsePatternAst } from './parser.js';

export { FilterPatternError } from './error.js';

/** A value a selector reads from a log event. */
export type LogValue = string | number | boolean | null;

export interface FilterPattern {
  readonly source: string;
  /** Regex terms (`%...%`) in it, for CloudWatch's quota (2 per pattern). */
  readonly regexCount: number;
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

class CompiledPattern implements FilterPattern {
  constructor(
    readonly source: string,
    readonly regexCount: number,
    readonly match: Matcher,
  ) {}
}

/** Patterns that reached matchLogEvent as plain objects (e.g. rebuilt from storage), compiled once each. */
const compiledElsewhere = new WeakMap<FilterPattern, CompiledPattern>();

/** Parses a pattern; the empty pattern (or whitespace) matches every event. Throws FilterPatternError. */
export function parseFilterPattern(source: string): FilterPattern {
  const { ast, regexCount } = parsePatternAst(source);
  return new CompiledPattern(source, regexCount, compile(ast));
}

export function prepareLogEvent(message: string): PreparedLogEvent {
  return new LogEvent(message);
}

/** The match of the event, or undefined when the pattern does not match it. */
export function matchLogEvent(pattern: FilterPattern, event: PreparedLogEvent | string): LogEventMatch | undefined {
  let compiled: CompiledPattern | undefined = pattern instanceof CompiledPattern ? pattern : compiledElsewhere.get(pattern);
  if (compiled === undefined) {
    const parsed = parseFilterPattern(pattern.source);
    if (!(parsed instanceof CompiledPattern)) throw new FilterPatternError('internal: the parser returned a foreign pattern', 0);
    compiled = parsed;
    compiledElsewhere.set(pattern, compiled);
  }
  const prepared = event instanceof LogEvent ? event : new LogEvent(typeof event === 'string' ? event : event.message);
  return compiled.match(prepared);
}
