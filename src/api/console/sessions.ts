/**
 * Web console sessions, in the server's memory. A session is what a sign-in with an access key
 * gives: a random token (the HttpOnly cookie) and a CSRF token (sent back in a header by the
 * console's own script, which a cross-site page cannot read). Sessions are found by the SHA-256
 * of their token, so the map holds nothing a memory dump could replay as a cookie.
 *
 * In memory by choice: a session is a convenience over an access key, not state worth a record
 * of its own; a restart signs everyone out (docs/console.md). The count is bounded: beyond
 * MAX_SESSIONS the oldest session ends.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../core/clock.js';

const MAX_SESSIONS = 10_000;

export interface ConsoleSession {
  accessKeyId: string;
  accountId: string;
  /** The region the console works in unless a call names another. */
  region: string;
  createdMs: number;
  expiresMs: number;
  csrfToken: string;
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

export class ConsoleSessions {
  readonly #byHash = new Map<string, ConsoleSession>();
  readonly #live = new Set<ConsoleSession>();
  readonly #lifetimeMs: number;
  readonly #clock: Clock;

  constructor(lifetimeMs: number, clock: Clock) {
    this.#lifetimeMs = lifetimeMs;
    this.#clock = clock;
  }

  get lifetimeMs(): number {
    return this.#lifetimeMs;
  }

  /** A new session for a key that just signed in; returns the cookie's token with it. */
  open(accessKeyId: string, accountId: string, region: string): { token: string; session: ConsoleSession } {
    this.#sweep();
    while (this.#byHash.size >= MAX_SESSIONS) {
      this.#end(this.#byHash.keys().next().value as string);
    }
    const token = randomBytes(32).toString('base64url');
    const nowMs = this.#clock.now();
    const session: ConsoleSession = {
      accessKeyId,
      accountId,
      region,
      createdMs: nowMs,
      expiresMs: nowMs + this.#lifetimeMs,
      csrfToken: randomBytes(32).toString('base64url'),
    };
    this.#byHash.set(hashOf(token), session);
    this.#live.add(session);
    return { token, session };
  }

  /** The live session of a cookie's token; an expired one ends here. */
  find(token: string | undefined): ConsoleSession | undefined {
    if (token === undefined || token === '') return undefined;
    const hash = hashOf(token);
    const session = this.#byHash.get(hash);
    if (session === undefined) return undefined;
    if (this.#clock.now() >= session.expiresMs) {
      this.#end(hash);
      return undefined;
    }
    return session;
  }

  /** Whether a session found earlier is still open (a stream checks before each write). */
  isOpen(session: ConsoleSession): boolean {
    return this.#clock.now() < session.expiresMs && this.#live.has(session);
  }

  close(token: string | undefined): void {
    if (token !== undefined) this.#end(hashOf(token));
  }

  /** Ends every session of a key (it was found deactivated or deleted). */
  closeKey(accessKeyId: string): void {
    for (const [hash, session] of this.#byHash) if (session.accessKeyId === accessKeyId) this.#end(hash);
  }

  #end(hash: string): void {
    const session = this.#byHash.get(hash);
    if (session !== undefined) this.#live.delete(session);
    this.#byHash.delete(hash);
  }

  #sweep(): void {
    const nowMs = this.#clock.now();
    for (const [hash, session] of this.#byHash) if (nowMs >= session.expiresMs) this.#end(hash);
  }
}
