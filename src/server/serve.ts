/**
 * The composition root of `opentrail serve`: stores, first-start bootstrap, the pipeline, the
 * HTTP(S) server and the workers, and a graceful shutdown that finishes in-flight requests
 * (for at most the drain timeout) before the store is flushed and closed.
 *
 * Start-up opens things in an order that fails early and leaves nothing behind: the
 * configuration is checked when it is loaded, the TLS files when the server is created, then
 * the stores open; anything that fails after that closes them again before the error goes up.
 */
import { logDestinationFor } from './log-destination.js';
import { startForwardingWorker } from '../workers/cloudwatch-logs/forwarding-worker.js';
import { alarmActionPublisher, startAlarmWorker } from '../workers/alarms/index.js';
import type { AlarmWorker } from '../workers/alarms/index.js';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { AuthFailureLimiter } from '../api/auth-failure-limiter.js';
import { Gateway } from '../api/gateway/gateway.js';
import { recoverForwardedCalls } from '../api/gateway/in-flight.js';
import { gatewayModels } from '../api/gateway/models.js';
import { UpstreamClient, serverCredentialChain } from '../api/gateway/upstream-client.js';
import { ConsoleHandler } from '../api/console/console-handler.js';
import { firstClaiming, nodeHttpAdapter } from '../api/node-http.js';
import { RequestPipeline } from '../api/pipeline.js';
import type { Clock } from '../core/clock.js';
import type { OpenTrailConfig } from '../config/config.js';
import type { Upstreams } from '../config/upstreams.js';
import type { NewAccessKey } from '../iam/identity-service.js';
import { openObjectStore } from '../objects/open-object-store.js';
import { SnsTopicDirectory } from '../notify/sns-topics.js';
import { SigningKeyRing } from '../integrity/keys/index.js';
import { deliverTrail } from '../workers/delivery/deliver-trail.js';
import { startDeliveryWorker } from '../workers/delivery/delivery-worker.js';
import { startDigestWorker } from '../workers/digests/digest-worker.js';
import { digestTrail } from '../workers/digests/write-digest.js';
import { startPeriodic } from '../workers/periodic.js';
import { startRetentionWorker } from '../workers/retention.js';
import { startForwardedCallRecovery } from '../workers/forwarded-call-recovery.js';
import { placeWorker } from '../workers/placement.js';
import type { Placement, PlacedWorker } from '../workers/placement.js';
import { nodeName } from './node-name.js';
import { startInsightsWorker } from '../workers/insights/insights-worker.js';
import { detectorSettings } from '../core/insights/detector/settings.js';
import { deliveryNotifiers } from './notifiers.js';
import { writeCredentialsFile } from './credentials-file.js';
import { boundedFinish } from './finish-trail.js';
import { firstStart } from './first-start.js';
import { attachAdapter, closeGracefully, createOpenTrailServer, hasGateway, MAX_HEADER_BYTES, settlesWithin } from './http-server.js';
import { openStores } from './open-stores.js';
import { pipelineServices } from './pipeline-services.js';
import type { Stores } from './open-stores.js';

/**
 * How often trails forward new events to CloudWatch Logs: a query per forwarding trail, cheap
 * enough to run twice a second. Appends also start a pass at once (below); the tick is for
 * retries and for trails just given a log group.
 */
const FORWARDING_INTERVAL_MS = 500;

/**
 * How often every alarm is evaluated whatever happens: for missing data and periods that end.
 * New samples do not wait for it (they poke the worker).
 */
const ALARM_INTERVAL_MS = 10_000;
/** Seconds beyond the gateway's request timeout after which a journaled call is surely not in progress. */
const RECOVERY_MARGIN_S = 30;
/** Insights: a pass every 10 s; a minute is judged 30 s after it ended, so calls recorded a little late still count in it. */
const INSIGHTS_INTERVAL_MS = 10_000;
const INSIGHTS_LATENESS_MS = 30_000;

/** How long DeleteTrail waits for the trail's last delivery before deleting it anyway. */
const FINISH_TRAIL_TIMEOUT_MS = 10_000;

export interface RunningServer {
  url: string;
  /** The web console's address (docs/console.md). */
  consoleUrl: string;
  /** Set on first start: the bootstrap key (its secret is shown only now). */
  bootstrapKey?: NewAccessKey;
  credentialsFile: string;
  /** The gateway's upstreams, by service. */
  upstreams: Upstreams;
  close(): Promise<void>;
}

/** The largest request or response body the gateway reads whole (every service but S3). */
const GATEWAY_BUFFERED_BODY_BYTES = 16 * 1024 * 1024;

/** The console's built files: dist/console beside the compiled server (dist/src/server/serve.js). */
function consoleRoot(): string {
  return fileURLToPath(new URL('../../console', import.meta.url));
}

async function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

export async function startServer(config: OpenTrailConfig, clock: Clock, logger: Logger): Promise<RunningServer> {
  const server = createOpenTrailServer(config);
  const stores = await openStores(config, clock, { warn: (message) => logger.warn({ dataDir: config.dataDir }, message) });
  try {
    return await serveWith(stores, server, config, clock, logger);
  } catch (error) {
    await stores.close();
    throw error;
  }
}

async function serveWith(stores: Stores, server: Server, config: OpenTrailConfig, clock: Clock, logger: Logger): Promise<RunningServer> {
  const objects = openObjectStore(config.objectStore, { dataDir: config.dataDir, secretBox: stores.secretBox });
  const credentialsFile = join(config.dataDir, 'credentials');
  const lifetimeMs = config.signingKeyLifetime * 1000;
  const keyRing = new SigningKeyRing({
    store: stores.signingKeys,
    box: stores.secretBox,
    clock,
    policy: { lifetimeMs, overlapMs: Math.floor(lifetimeMs / 3) },
  });
  // With several nodes, one node at a time delivers (or digests) a given trail; on one node this just runs.
  const perTrail = { exclusively: async <T>(name: string, work: () => Promise<T>) => stores.exclusively(name, work) };
  const deliveryDeps = { events: stores.events, trails: stores.trails, cursors: stores.cursors, ledger: stores.ledger, organizations: stores.identity.store, objects, clock, maxBatchEvents: 10_000, maxFileBytes: 8 * 1024 * 1024, ...perTrail };
  const digestDeps = { trails: stores.trails, cursors: stores.cursors, ledger: stores.ledger, organizations: stores.identity.store, digestChains: stores.digestChains, objects, keyRing, clock, intervalMs: config.digestInterval * 1000, ...perTrail };
  const placement: Placement = {
    ...(stores.leases !== undefined && { leases: stores.leases }),
    holder: nodeName(),
    timing: { ttlMs: config.leaseSeconds * 1000, renewMs: Math.floor((config.leaseSeconds * 1000) / 3) },
    logger,
  };
  // On one node, calls a previous run forwarded without recording their answer are recorded
  // first. Nodes sharing a database cannot tell a dead node's journal entries from a live one's
  // calls in progress, so there one node at a time records only those older than any call can
  // last (a worker below).
  if (placement.leases === undefined) {
    const recovered = await recoverForwardedCalls(stores.forwardedCalls, stores.events);
    if (recovered > 0) logger.warn({ calls: recovered }, 'recorded forwarded calls whose outcome a previous run did not record');
  }
  // Started with the other workers below; calls and forwarding that add metric samples poke it.
  // A `let` assigned once: a const would throw if a poke came before the worker started.
  // eslint-disable-next-line prefer-const
  let alarms: PlacedWorker<AlarmWorker> | undefined;
  const pokeAlarms = () => alarms?.current()?.poke();
  const logDestination = logDestinationFor(config, { logs: stores.logs, clock, logger, onMetrics: pokeAlarms });
  const authFailures = new AuthFailureLimiter(10);
  const pipeline = new RequestPipeline(
    pipelineServices(stores, {
      objects,
      topics: new SnsTopicDirectory(),
      logGroups: logDestination,
      pokeAlarms,
      keyRing,
      finishTrail: boundedFinish(
        async (trail) => {
          await deliverTrail(trail, deliveryDeps, () => undefined);
          if (trail.config.LogFileValidationEnabled) await digestTrail(trail, digestDeps, 'final');
        },
        FINISH_TRAIL_TIMEOUT_MS,
        logger,
      ),
      clock,
      retentionDays: config.retentionDays,
    }),
    { defaultRegion: config.defaultRegion, logger, authFailures },
  );
  const chain = serverCredentialChain();
  const gateway = new Gateway({
    identity: stores.identity,
    events: stores.events,
    bucketOwners: stores.bucketOwners,
    clock,
    logger,
    upstreams: new Map(Object.entries(config.upstreams).map(([service, upstream]) => [service, new UpstreamClient(upstream, chain)])),
    models: gatewayModels,
    s3Domains: config.s3Domains.split(',').map((d) => d.trim()).filter((d) => d !== ''),
    authFailures,
    bufferedBodyLimit: Math.max(GATEWAY_BUFFERED_BODY_BYTES, config.maxBodyBytes),
    defaultRegion: config.defaultRegion,
  });
  // Nodes starting together on an empty database: the first bootstraps, the others find its account.
  const bootstrapKey = await stores.exclusively('first-start', async () =>
    firstStart(stores.identity, pipeline, {
      ...(config.accountId !== undefined && { accountId: config.accountId }),
      ...(config.bootstrapAccessKeyId !== undefined && { accessKeyId: config.bootstrapAccessKeyId }),
      ...(config.bootstrapSecretAccessKey !== undefined && { secretAccessKey: config.bootstrapSecretAccessKey }),
    }),
  );
  if (bootstrapKey !== undefined) {
    writeCredentialsFile(credentialsFile, bootstrapKey.accessKeyId, bootstrapKey.secretAccessKey);
  }
  const limits = {
    maxBodyBytes: config.maxBodyBytes,
    maxHeaderBytes: MAX_HEADER_BYTES,
    headersTimeoutSeconds: config.headersTimeout,
    requestTimeoutSeconds: config.requestTimeout,
    enforceRequestTimeout: hasGateway(config),
  };
  const webConsole = new ConsoleHandler({
    root: consoleRoot(),
    identity: stores.identity,
    events: stores.events,
    objects,
    clock,
    logger,
    retentionDays: config.retentionDays,
    defaultRegion: config.defaultRegion,
    sessionLifetimeMs: config.consoleSessionMinutes * 60_000,
    maxBodyBytes: config.maxBodyBytes,
    tls: config.tlsCertFile !== undefined,
    handleCall: async (request, caller, region) => pipeline.handleForSession(request, caller, region),
    invoke: async (call) => pipeline.invokeLocal(call),
  });
  const adapter = nodeHttpAdapter(async (request) => pipeline.handle(request), limits, (error) =>
    logger.error({ err: error }, 'request failed outside the pipeline'),
    firstClaiming(webConsole, gateway),
  );
  attachAdapter(server, adapter);

  const address = await listen(server, config.port, config.host);
  const tls = config.tlsCertFile !== undefined;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `${tls ? 'https' : 'http'}://${host}:${address.port}`;
  const retention = placeWorker('retention', () => startRetentionWorker(stores.events, config.retentionDays, clock, logger, undefined, stores.identity.store, stores.logs), placement);
  const delivery = placeWorker('delivery', () => startDeliveryWorker(deliveryDeps, deliveryNotifiers(config), config.deliveryInterval * 1000, logger), placement);
  const digests = placeWorker('digests', () => startDigestWorker(digestDeps, logger), placement);
  alarms = placeWorker(
    'alarms',
    () => startAlarmWorker({ alarms: stores.alarms, metrics: stores.metrics, clock, intervalMs: ALARM_INTERVAL_MS, publish: alarmActionPublisher(config) }, logger),
    placement,
  );
  const alarmWork = alarms;
  const insights = placeWorker(
    'insights',
    () =>
      startInsightsWorker(
        {
          events: stores.events,
          insights: stores.insights,
          trails: stores.trails,
          clock,
          settings: detectorSettings(config.insightsBaselineMinutes),
          latenessMs: INSIGHTS_LATENESS_MS,
          batchEvents: 5000,
        },
        { intervalMs: INSIGHTS_INTERVAL_MS, retentionDays: config.retentionDays },
        logger,
      ),
    placement,
  );
  const forwarding = placeWorker(
    'cloudwatch-logs-forwarding',
    () =>
      startForwardingWorker(
        { events: stores.events, trails: stores.trails, cursors: stores.forwardingCursors, organizations: stores.identity.store, destination: logDestination, clock, maxBatchEvents: 1000 },
        FORWARDING_INTERVAL_MS,
        logger,
      ),
    placement,
  );
  const recovery =
    placement.leases === undefined
      ? undefined
      : placeWorker('forwarded-call-recovery', () => startForwardedCallRecovery(stores, clock, (config.gatewayRequestTimeout + RECOVERY_MARGIN_S) * 1000, logger), placement);
  // An append is forwarded at once rather than on the next tick: alarms then fire within
  // milliseconds of their call. The tick stays for retries after failures. With several nodes,
  // the forwarding node hears of other nodes' appends through the store's announcements.
  stores.events.onAppended(() => forwarding.current()?.poke());
  const authFailureSummaries = startPeriodic('failed-authentication summary', async () => pipeline.recordAuthFailureSummaries(), 15_000, logger);

  /** What was acknowledged reaches the trails' buckets before the store closes. */
  const flushWorkers = async () => {
    // First, so the Insights records of its last pass are in the final delivery.
    await insights.stop();
    await digests.stop();
    await recovery?.stop();
    await authFailureSummaries.stop();
    await pipeline
      .recordAuthFailureSummaries(true)
      .catch((error: unknown) => logger.warn({ err: error }, 'the failed-authentication summaries of this minute could not be recorded'));
    // The last passes run before the lease is given up, so no other node delivers the same events meanwhile.
    await delivery.stop(async (worker) => worker.runOnce().catch((error: unknown) => logger.warn({ err: error }, 'final delivery pass failed; it resumes on the next start')));
    await forwarding.stop(async (worker) =>
      worker.runOnce().catch((error: unknown) => logger.warn({ err: error }, 'final CloudWatch Logs forwarding pass failed; it resumes on the next start')),
    );
    // After the last forwarding: alarm actions owed are durable (the outbox) and run on the next start if not now.
    await alarmWork.stop();
  };

  let closing: Promise<void> | undefined;
  const close = async () => {
    closing ??= (async () => {
      await retention.stop();
      webConsole.closeStreams();
      await closeGracefully(server, adapter, config.drainTimeout, logger);
      // Bounded like the requests: an object store that does not answer must not hold shutdown.
      // What is not delivered now is delivered on the next start (the cursor is durable).
      if (!(await settlesWithin(flushWorkers(), config.drainTimeout * 1000))) {
        logger.warn({ drainTimeout: config.drainTimeout }, 'final delivery did not finish within the drain timeout; it resumes on the next start');
      }
      gateway.close();
      logDestination.destroy?.();
      await stores.close();
    })();
    return closing;
  };
  return { url, consoleUrl: `${url}/console/`, credentialsFile, upstreams: config.upstreams, close, ...(bootstrapKey && { bootstrapKey }) };
}
