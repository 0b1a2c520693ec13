/**
 * A log event as the matchers read it. Its JSON is parsed on first need and kept, so any
 * number of patterns (the 15 CIS filters of a log group) cost one JSON.parse per event; a
 * message that does not start like JSON is never handed to JSON.parse (throwing is slow).
 */
import type { LogValue, PreparedLogEvent } from './index.js';
import { splitFields } from './delimited-fields.js';

/** The message is not JSON (or is not an object or array): JSON patterns never match it. */
export const NOT_JSON: unique symbol = Symbol('not JSON');

export class LogEvent implements PreparedLogEvent {
  #json: unknown = undefined;
  #parsed = false;
  #fields: string[] | undefined;

  constructor(readonly message: string) {}

  get json(): unknown {
    if (!this.#parsed) {
      this.#parsed = true;
      this.#json = parseJsonMessage(this.message);
    }
    return this.#json;
  }

  get fields(): string[] {
    return (this.#fields ??= splitFields(this.message));
  }
}

function parseJsonMessage(message: string): unknown {
  let i = 0;
  while (i < message.length && (message[i] === ' ' || message[i] === '\t' || message[i] === '\n' || message[i] === '\r')) i++;
  const first = message[i];
  if (first !== '{' && first !== '[') return NOT_JSON;
  try {
    return JSON.parse(message) as unknown;
  } catch {
    return NOT_JSON;
  }
}

/** The value at `path`; undefined when a step is missing. Objects and arrays come back as they are. */
export function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let value = root;
  for (const step of path) {
    if (value === null || typeof value !== 'object') return undefined;
    if (typeof step === 'number') {
      if (!Array.isArray(value)) return undefined;
      value = value[step];
    } else {
      if (Array.isArray(value) || !Object.hasOwn(value, step)) return undefined;
      value = (value as Record<string, unknown>)[step];
    }
  }
  return value;
}

/** A scalar as a LogValue; objects and arrays (which no selector may name) are undefined. */
export function asLogValue(value: unknown): LogValue | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return undefined;
}
