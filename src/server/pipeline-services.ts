/**
 * The long-lived services the request pipeline is built from, assembled in one place for the
 * server, the admin CLI and the in-process test pipeline: they share the opened stores and
 * differ only in the parts passed here (the server's workers share its object store and key
 * ring, and only the server finishes a deleted trail's delivery).
 */
import type { ServerServices } from '../api/operation-context.js';
import { IngestionStatusBoard } from '../ingest/ingestion-status.js';
import type { Stores } from './open-stores.js';

/** What is not taken from the stores: each caller makes its own. */
export type PipelineParts = Pick<ServerServices, 'objects' | 'keyRing' | 'finishTrail' | 'topics' | 'logGroups' | 'clock' | 'retentionDays'> &
  Partial<Pick<ServerServices, 'pokeAlarms'>>;

export function pipelineServices(stores: Stores, parts: PipelineParts): ServerServices {
  return {
    events: stores.events,
    identity: stores.identity,
    channels: stores.channels,
    trails: stores.trails,
    ledger: stores.ledger,
    digestChains: stores.digestChains,
    objects: parts.objects,
    topics: parts.topics,
    logGroups: parts.logGroups,
    keyRing: parts.keyRing,
    finishTrail: parts.finishTrail,
    ingestionStatus: new IngestionStatusBoard(),
    logs: stores.logs,
    clock: parts.clock,
    retentionDays: parts.retentionDays,
    metrics: stores.metrics,
    alarms: stores.alarms,
    insights: stores.insights,
    pokeAlarms: parts.pokeAlarms ?? (() => undefined),
  };
}
