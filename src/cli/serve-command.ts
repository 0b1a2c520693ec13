/** `opentrail serve`: run the service until SIGTERM / SIGINT. */
import type { Command } from 'commander';
import type { Logger } from 'pino';
import { loadConfig } from '../config/config.js';
import { systemClock } from '../core/clock.js';
import { PROFILE } from '../server/credentials-file.js';
import { startServer } from '../server/serve.js';
import type { RunningServer } from '../server/serve.js';
import { tuneHeapForServer } from './heap-settings.js';
import { createLogger } from './logger.js';
import { configFlags, withConfigOptions } from './options.js';
import type { ConfigOptions } from './options.js';

function banner(server: RunningServer, region: string): string {
  const lines = [`OpenTrail listening on ${server.url}`, `Web console: ${server.consoleUrl} (sign in with an access key)`];
  const key = server.bootstrapKey;
  if (key !== undefined) {
    lines.push(
      `First start: created account ${key.accountId} with user "${key.userName}" (full access).`,
      `  access key id:     ${key.accessKeyId}`,
      `  secret access key: ${key.secretAccessKey}   (shown only now; stored encrypted)`,
    );
  }
  for (const [service, upstream] of Object.entries(server.upstreams)) lines.push(`Gateway: ${service} calls go to ${upstream.url}, recorded.`);
  lines.push(
    `AWS credentials (profile "${PROFILE}") are in ${server.credentialsFile}. Use them with:`,
    `  export AWS_SHARED_CREDENTIALS_FILE=${server.credentialsFile}`,
    `  aws --profile ${PROFILE} --region ${region} --endpoint-url ${server.url} cloudtrail lookup-events`,
    `or copy the [${PROFILE}] section into ~/.aws/credentials.`,
  );
  return lines.join('\n') + '\n';
}

interface ServeOptions extends ConfigOptions {
  port?: string;
  host?: string;
  accountId?: string;
  retentionDays?: string;
  insightsBaselineMinutes?: string;
  consoleSessionMinutes?: string;
  deliveryInterval?: string;
  objectStore?: string;
  digestInterval?: string;
  headersTimeout?: string;
  requestTimeout?: string;
  drainTimeout?: string;
  leaseSeconds?: string;
  upstream?: string[];
  gatewayRequestTimeout?: string;
  cloudwatchLogsEndpoint?: string;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Logs the last line, lets the asynchronous log destination write it out, then exits. */
function exitAfterLogs(logger: Logger, code: number): void {
  logger.flush(() => process.exit(code));
}

export function registerServeCommand(program: Command): void {
  withConfigOptions(program.command('serve').description('run the OpenTrail service'))
    .option('--port <port>', 'port to listen on (0 picks a free one)')
    .option('--host <host>', 'address to listen on')
    .option('--account-id <id>', 'account id to create on first start')
    .option('--retention-days <days>', 'days of event history to keep')
    .option('--insights-baseline-minutes <minutes>', 'minutes of history the Insights baseline looks back on (default 40320, 28 days)')
    .option('--console-session-minutes <minutes>', 'minutes a web console sign-in lasts (default 720)')
    .option('--delivery-interval <seconds>', 'seconds between trail deliveries (default 5)')
    .option('--object-store <url>', 'where trails deliver: file: (default) or s3:')
    .option('--digest-interval <seconds>', 'seconds between digest files of a trail (default 3600)')
    .option('--headers-timeout <seconds>', 'seconds a client has to send the headers of a request (default 10)')
    .option('--request-timeout <seconds>', 'seconds a client has to send a whole request (default 30)')
    .option('--drain-timeout <seconds>', 'seconds shutdown waits for requests in progress (default 10)')
    .option('--lease-seconds <seconds>', 'with several nodes on PostgreSQL: how long a node holds a kind of background work without renewing (default 15)')
    .option('--gateway-request-timeout <seconds>', 'seconds a client has to send a whole request the gateway forwards (default 3600)')
    .option('--upstream <service=url>', 'forward this service\'s calls there, recorded (repeatable; e.g. s3=http://127.0.0.1:9000)', collect, [])
    .option('--cloudwatch-logs-endpoint <url>', 'forward trails to this CloudWatch Logs API instead of the log groups OpenTrail hosts')
    .action(async (options: ServeOptions) => {
      const config = loadConfig(
        {
          ...configFlags(options),
          port: options.port,
          host: options.host,
          accountId: options.accountId,
          retentionDays: options.retentionDays,
          insightsBaselineMinutes: options.insightsBaselineMinutes,
          consoleSessionMinutes: options.consoleSessionMinutes,
          deliveryInterval: options.deliveryInterval,
          objectStore: options.objectStore,
          digestInterval: options.digestInterval,
          headersTimeout: options.headersTimeout,
          requestTimeout: options.requestTimeout,
          drainTimeout: options.drainTimeout,
          leaseSeconds: options.leaseSeconds,
          gatewayRequestTimeout: options.gatewayRequestTimeout,
          cloudWatchLogsEndpoint: options.cloudwatchLogsEndpoint,
          upstreams: options.upstream !== undefined && options.upstream.length > 0 ? options.upstream : undefined,
        },
        process.env,
        options.config,
      );
      const logger = createLogger(config.logLevel);
      tuneHeapForServer();
      const server = await startServer(config, systemClock, logger);
      process.stdout.write(banner(server, config.defaultRegion));
      logger.info({ url: server.url, dataDir: config.dataDir, store: config.store }, 'started');

      let signals = 0;
      const shutdown = (signal: string) => {
        signals++;
        if (signals > 1) {
          logger.warn({ signal }, 'second signal: exiting without waiting');
          exitAfterLogs(logger, 1);
          return;
        }
        logger.info({ signal, drainTimeout: config.drainTimeout }, 'shutting down: finishing in-flight requests');
        // Exit explicitly once closed: a connection of a notifier or object store still open
        // must not keep the process running after the stores are closed.
        server.close().then(
          () => {
            logger.info('stopped');
            exitAfterLogs(logger, 0);
          },
          (error: unknown) => {
            logger.error({ err: error }, 'shutdown failed');
            exitAfterLogs(logger, 1);
          },
        );
      };
      process.on('SIGTERM', () => shutdown('SIGTERM'));
      process.on('SIGINT', () => shutdown('SIGINT'));
    });
}
