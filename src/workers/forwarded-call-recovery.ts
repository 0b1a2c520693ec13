/**
 * With several nodes: the gateway's journal entries a dead node left behind. A node that dies
 * between forwarding a call and recording its answer leaves the call's journal entry; no other
 * node can tell it from a call still in progress, except by age. Every call ends within the
 * gateway's request timeout, so an entry older than that (and a margin) belongs to a node that
 * is gone, and is recorded with an unknown outcome, as a single node does on its restart.
 */
import type { Logger } from 'pino';
import { recoverForwardedCalls } from '../api/gateway/in-flight.js';
import type { Clock } from '../core/clock.js';
import type { EventStore } from '../store/event-store.js';
import type { ForwardedCallJournal } from '../store/forwarded-call-journal.js';
import type { PeriodicWorker } from './periodic.js';
import { startPeriodic } from './periodic.js';

const INTERVAL_MS = 30_000;

export function startForwardedCallRecovery(stores: { forwardedCalls: ForwardedCallJournal; events: EventStore }, clock: Clock, maxCallMs: number, logger: Logger): PeriodicWorker {
  return startPeriodic(
    'forwarded-call recovery',
    async () => {
      const recovered = await recoverForwardedCalls(stores.forwardedCalls, stores.events, clock.now() - maxCallMs);
      if (recovered > 0) logger.warn({ calls: recovered }, 'recorded forwarded calls a node left without recording their outcome');
    },
    INTERVAL_MS,
    logger,
    { runAtStart: true },
  );
}
