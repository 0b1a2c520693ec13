/**
 * Runs a piece of work on one node at a time: the node tries for the work's lease every
 * `renewMs`, starts the work when it gets it and stops it as soon as a renewal fails (another
 * node took over after this one stalled, or the database is unreachable). The lease lasts `ttlMs`
 * from each renewal, so after a node dies another starts the work within ttlMs + renewMs, from
 * the work's stored cursor. Renewals are well inside the lease (renewMs at most a third of it), so
 * one slow round trip does not lose it.
 */
import type { Logger } from 'pino';
import type { LeaseStore } from '../store/lease-store.js';

export interface LeasedWork {
  /** Starts the work; what it answers stops it. */
  start(): { stop(): Promise<void> };
}

export interface LeaseTiming {
  ttlMs: number;
  renewMs: number;
}

export interface LeaseRunner {
  /** Whether this node runs the work now. */
  holding(): boolean;
  /** Stops the work if it runs here and gives the lease up, so another node need not wait for expiry. */
  stop(): Promise<void>;
}

export function runLeased(leases: LeaseStore, name: string, holder: string, work: LeasedWork, timing: LeaseTiming, logger: Logger): LeaseRunner {
  if (timing.renewMs * 3 > timing.ttlMs) throw new Error(`lease ${name}: renew at most every third of its lifetime`);
  let running: { stop(): Promise<void> } | undefined;
  let stopped = false;
  let tick: Promise<void> = Promise.resolve();

  const lose = async () => {
    const work = running;
    running = undefined;
    if (work !== undefined) await work.stop();
  };
  const attempt = async () => {
    let held: boolean;
    try {
      held = await leases.acquire(name, holder, timing.ttlMs);
    } catch (error) {
      logger.warn({ err: error, lease: name }, 'could not renew the lease; stopping its work here');
      held = false;
    }
    if (stopped) return;
    if (held && running === undefined) {
      logger.info({ lease: name, holder }, 'lease taken: starting its work on this node');
      running = work.start();
    } else if (!held && running !== undefined) {
      logger.warn({ lease: name, holder }, 'lease lost: stopping its work on this node');
      await lose();
    }
  };
  // A failure of the work's own start or stop is logged and the next tick tries again: a rejected
  // tick must not stop the renewals that follow it.
  const guarded = async () =>
    attempt().catch((error: unknown) => {
      logger.error({ err: error, lease: name }, 'starting or stopping the leased work failed');
    });
  const timer = setInterval(() => {
    tick = tick.then(guarded);
  }, timing.renewMs);
  tick = guarded();

  return {
    holding: () => running !== undefined,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await tick;
      const had = running !== undefined;
      await lose();
      if (had) await leases.release(name, holder).catch(() => undefined);
    },
  };
}
