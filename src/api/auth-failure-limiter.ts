/**
 * Bounds how many failed-authentication records one access key id can add to its account's
 * history. Knowing a key id is enough to fail a signature, so without a bound anyone could
 * flood an account's history. Per key id and calendar minute, the first `perMinute` failures
 * are recorded one by one; the rest are counted and summed up in one record once the minute
 * is over (AuthFailureSummary). Counts live in memory: a crash loses at most a minute of
 * counts, never a recorded failure.
 */
import type { AuthFailureCounts } from '../core/auth-failure-record.js';
import type { Caller } from '../iam/caller.js';

const MINUTE_MS = 60_000;

export interface AuthFailureSummary extends AuthFailureCounts {
  caller: Caller;
  region: string;
}

const MAX_SOURCES = 20;

interface Window {
  startMs: number;
  recorded: number;
  summary?: AuthFailureSummary;
}

export class AuthFailureLimiter {
  readonly #perMinute: number;
  readonly #windows = new Map<string, Window>();

  constructor(perMinute: number) {
    this.#perMinute = perMinute;
  }

  /** Whether this failure gets a record of its own; when not, it is counted for the summary. */
  admit(caller: Caller, region: string, errorCode: string, sourceIp: string, nowMs: number): boolean {
    const startMs = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS;
    const key = windowKey(caller, region, startMs);
    let window = this.#windows.get(key);
    if (window === undefined) {
      window = { startMs, recorded: 0 };
      this.#windows.set(key, window);
    }
    if (window.recorded < this.#perMinute) {
      window.recorded++;
      return true;
    }
    window.summary ??= {
      caller,
      region,
      windowStartMs: startMs,
      windowEndMs: startMs + MINUTE_MS,
      recorded: 0,
      unrecorded: 0,
      errorCodes: {},
      sourceIPAddresses: [],
    };
    const s = window.summary;
    s.recorded = window.recorded;
    s.unrecorded++;
    s.errorCodes[errorCode] = (s.errorCodes[errorCode] ?? 0) + 1;
    if (s.sourceIPAddresses.length < MAX_SOURCES && !s.sourceIPAddresses.includes(sourceIp)) s.sourceIPAddresses.push(sourceIp);
    return false;
  }

  /** Summaries of windows that ended before `nowMs` (all of them with `all`), removed from here. */
  takeEnded(nowMs: number, all = false): AuthFailureSummary[] {
    const ended: AuthFailureSummary[] = [];
    for (const [key, window] of this.#windows) {
      if (!all && window.startMs + MINUTE_MS > nowMs) continue;
      this.#windows.delete(key);
      if (window.summary !== undefined) ended.push(window.summary);
    }
    return ended;
  }

  /** Summaries whose record could not be appended come back, to be recorded on a later try. */
  putBack(summaries: readonly AuthFailureSummary[]): void {
    for (const summary of summaries) {
      this.#windows.set(windowKey(summary.caller, summary.region, summary.windowStartMs), { startMs: summary.windowStartMs, recorded: summary.recorded, summary });
    }
  }
}

function windowKey(caller: Caller, region: string, startMs: number): string {
  return `${caller.accessKeyId}\n${region}\n${startMs}`;
}
