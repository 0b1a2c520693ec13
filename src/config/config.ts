/**
 * Configuration: defaults, then a JSON file (--config / OPENTRAIL_CONFIG), then environment
 * variables, then command-line flags; each later source wins. Invalid values fail at start with
 * a message naming the setting, never later.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { decodeMasterKey } from '../iam/master-key.js';
import { ConfigError } from './config-error.js';
import { parseObjectStoreUrl } from './object-store-url.js';
import { parseUpstreamEntries, parseUpstreamsObject } from './upstreams.js';
import type { UpstreamConfig, Upstreams } from './upstreams.js';

export { ConfigError } from './config-error.js';

export interface OpenTrailConfig {
  host: string;
  /** 0 picks a free port. */
  port: number;
  dataDir: string;
  /** Event store URL: `sqlite:` (the data dir's opentrail.db), `sqlite:<path>` or `postgres://user@host:port/database` (several nodes over one database). */
  store: string;
  retentionDays: number;
  /** Minutes of history the Insights baseline looks back on (default 28 days; down to hours for small deployments). */
  insightsBaselineMinutes: number;
  /** Minutes a web console session lasts from its sign-in. */
  consoleSessionMinutes: number;
  maxBodyBytes: number;
  /** Region recorded for a call whose credential scope could not be read. */
  defaultRegion: string;
  logLevel: string;
  accountId?: string;
  bootstrapAccessKeyId?: string;
  bootstrapSecretAccessKey?: string;
  /** base64 of 32 bytes; default: <data-dir>/master.key. */
  masterKey?: string;
  tlsCertFile?: string;
  tlsKeyFile?: string;
  /** Where trails deliver: `file:` (folders under <data-dir>/buckets) or `s3:` (any S3 API). */
  objectStore: string;
  /** Seconds between delivery passes: how long events wait before they are in a log file. */
  deliveryInterval: number;
  /** Events allowed to wait for a commit; beyond it calls get ThrottlingException (back-pressure). */
  maxPendingEvents: number;
  /** Seconds between a trail's digests (CloudTrail: an hour). */
  digestInterval: number;
  /** Seconds a digest signing key is valid; a new key takes over with a third of it overlapping. */
  signingKeyLifetime: number;
  /** Every delivered batch is also POSTed here (HMAC-signed with webhookSecret). */
  webhookUrl?: string;
  webhookSecret?: string;
  /**
   * The CloudWatch Logs API that trails forward to (`http://127.0.0.1:5000`); absent: trails
   * forward to log groups OpenTrail hosts itself.
   */
  cloudWatchLogsEndpoint?: string;
  /** Seconds a client has to send a request's headers (from the connection or the previous request). */
  headersTimeout: number;
  /** Seconds a client has to send a whole request, headers and body. */
  requestTimeout: number;
  /** Seconds shutdown waits for requests in progress before it closes their connections. */
  drainTimeout: number;
  /**
   * With several nodes over PostgreSQL: seconds a node's hold on a kind of background work lasts
   * without renewal (renewed every third of it). When a node dies, another takes its work within
   * about 1⅓ of this.
   */
  leaseSeconds: number;
  /**
   * Seconds a client has to send a whole request the gateway forwards (a large object takes
   * longer than any call to OpenTrail itself should).
   */
  gatewayRequestTimeout: number;
  /** The gateway's upstream per service signing name (upstreams.ts); none by default. */
  upstreams: Upstreams;
  /**
   * Comma-separated domains under which S3 clients address buckets virtual-hosted style
   * (`finance.localhost`): the label before the domain is the bucket.
   */
  s3Domains: string;
}

export const DEFAULT_PORT = 4747;

export const defaults: OpenTrailConfig = {
  host: '127.0.0.1',
  port: DEFAULT_PORT,
  dataDir: './data',
  store: 'sqlite:',
  retentionDays: 90,
  insightsBaselineMinutes: 28 * 24 * 60,
  consoleSessionMinutes: 12 * 60,
  maxBodyBytes: 2 * 1024 * 1024,
  defaultRegion: 'us-east-1',
  logLevel: 'info',
  objectStore: 'file:',
  deliveryInterval: 5,
  maxPendingEvents: 20_000,
  digestInterval: 3600,
  signingKeyLifetime: 30 * 86_400,
  headersTimeout: 10,
  requestTimeout: 30,
  drainTimeout: 10,
  leaseSeconds: 15,
  gatewayRequestTimeout: 3600,
  upstreams: {},
  s3Domains: 'localhost',
};

/** Environment variable for each setting. */
const ENV: Record<keyof OpenTrailConfig, string> = {
  host: 'OPENTRAIL_HOST',
  port: 'OPENTRAIL_PORT',
  dataDir: 'OPENTRAIL_DATA_DIR',
  store: 'OPENTRAIL_STORE',
  retentionDays: 'OPENTRAIL_RETENTION_DAYS',
  insightsBaselineMinutes: 'OPENTRAIL_INSIGHTS_BASELINE_MINUTES',
  consoleSessionMinutes: 'OPENTRAIL_CONSOLE_SESSION_MINUTES',
  maxBodyBytes: 'OPENTRAIL_MAX_BODY_BYTES',
  defaultRegion: 'OPENTRAIL_DEFAULT_REGION',
  logLevel: 'OPENTRAIL_LOG_LEVEL',
  accountId: 'OPENTRAIL_ACCOUNT_ID',
  bootstrapAccessKeyId: 'OPENTRAIL_BOOTSTRAP_ACCESS_KEY_ID',
  bootstrapSecretAccessKey: 'OPENTRAIL_BOOTSTRAP_SECRET_ACCESS_KEY',
  masterKey: 'OPENTRAIL_MASTER_KEY',
  tlsCertFile: 'OPENTRAIL_TLS_CERT_FILE',
  tlsKeyFile: 'OPENTRAIL_TLS_KEY_FILE',
  objectStore: 'OPENTRAIL_OBJECT_STORE',
  deliveryInterval: 'OPENTRAIL_DELIVERY_INTERVAL',
  digestInterval: 'OPENTRAIL_DIGEST_INTERVAL',
  maxPendingEvents: 'OPENTRAIL_MAX_PENDING_EVENTS',
  signingKeyLifetime: 'OPENTRAIL_SIGNING_KEY_LIFETIME',
  webhookUrl: 'OPENTRAIL_WEBHOOK_URL',
  webhookSecret: 'OPENTRAIL_WEBHOOK_SECRET',
  cloudWatchLogsEndpoint: 'OPENTRAIL_CLOUDWATCH_LOGS_ENDPOINT',
  headersTimeout: 'OPENTRAIL_HEADERS_TIMEOUT',
  requestTimeout: 'OPENTRAIL_REQUEST_TIMEOUT',
  drainTimeout: 'OPENTRAIL_DRAIN_TIMEOUT',
  leaseSeconds: 'OPENTRAIL_LEASE_SECONDS',
  gatewayRequestTimeout: 'OPENTRAIL_GATEWAY_REQUEST_TIMEOUT',
  upstreams: 'OPENTRAIL_UPSTREAMS',
  s3Domains: 'OPENTRAIL_S3_DOMAINS',
};

const NUMERIC = new Set<keyof OpenTrailConfig>([
  'port',
  'retentionDays',
  'insightsBaselineMinutes',
  'consoleSessionMinutes',
  'maxBodyBytes',
  'deliveryInterval',
  'digestInterval',
  'signingKeyLifetime',
  'maxPendingEvents',
  'headersTimeout',
  'requestTimeout',
  'drainTimeout',
  'leaseSeconds',
  'gatewayRequestTimeout',
]);

type RawConfig = Partial<Record<keyof OpenTrailConfig, unknown>>;

function fromEnv(env: NodeJS.ProcessEnv): RawConfig {
  const raw: RawConfig = {};
  for (const [key, name] of Object.entries(ENV) as [keyof OpenTrailConfig, string][]) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  return raw;
}

function fromFile(file: string | undefined): RawConfig {
  if (file === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`cannot read config file ${file}: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`config file ${file} must hold a JSON object`);
  }
  for (const key of Object.keys(parsed)) {
    if (!Object.hasOwn(ENV, key)) throw new ConfigError(`config file ${file}: unknown setting "${key}"`);
  }
  return parsed;
}

/** One source's upstreams: the file's object, the environment's list, or the flags' entries. */
function upstreamsOf(value: unknown, where: string): Record<string, UpstreamConfig> {
  if (typeof value === 'string') return parseUpstreamEntries([value], where);
  if (Array.isArray(value) && value.every((entry) => typeof entry === 'string')) return parseUpstreamEntries(value, where);
  return parseUpstreamsObject(value, where);
}

function coerce(key: keyof OpenTrailConfig, value: unknown): string | number {
  if (NUMERIC.has(key)) {
    const n = typeof value === 'number' ? value : Number(value);
    if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${key} (${ENV[key]}) must be a non-negative integer, got "${String(value)}"`);
    return n;
  }
  if (typeof value !== 'string') throw new ConfigError(`${key} must be a string`);
  return value;
}

export function loadConfig(flags: RawConfig, env: NodeJS.ProcessEnv, configFile?: string): OpenTrailConfig {
  const layers = [fromFile(configFile ?? env.OPENTRAIL_CONFIG), fromEnv(env), flags];
  const config: Record<string, unknown> = { ...defaults };
  const sources = ['the config file', ENV.upstreams, '--upstream'];
  for (const [index, layer] of layers.entries()) {
    for (const [key, value] of Object.entries(layer) as [keyof OpenTrailConfig, unknown][]) {
      if (value === undefined) continue;
      // Per service: a later source replaces one service's upstream, not the others'.
      if (key === 'upstreams') config.upstreams = { ...(config.upstreams as Upstreams), ...upstreamsOf(value, sources[index]!) };
      else config[key] = coerce(key, value);
    }
  }
  const result = config as unknown as OpenTrailConfig;
  if (result.port > 65535) throw new ConfigError(`port must be at most 65535, got ${result.port}`);
  if (result.retentionDays < 1) throw new ConfigError('retentionDays must be at least 1');
  if (result.insightsBaselineMinutes < 60) throw new ConfigError('insightsBaselineMinutes must be at least 60');
  if (result.consoleSessionMinutes < 1) throw new ConfigError('consoleSessionMinutes must be at least 1');
  if ((result.tlsCertFile === undefined) !== (result.tlsKeyFile === undefined)) {
    throw new ConfigError('TLS needs both tlsCertFile and tlsKeyFile');
  }
  if (result.deliveryInterval < 1) throw new ConfigError('deliveryInterval must be at least 1 second');
  if (result.digestInterval < 1) throw new ConfigError('digestInterval must be at least 1 second');
  if (result.signingKeyLifetime < 3) throw new ConfigError('signingKeyLifetime must be at least 3 seconds');
  if ((result.webhookUrl === undefined) !== (result.webhookSecret === undefined)) {
    throw new ConfigError('a webhook needs both webhookUrl and webhookSecret');
  }
  // 0 would switch Node's limits off: a stuck client could then hold a connection forever.
  if (result.headersTimeout < 1) throw new ConfigError('headersTimeout (OPENTRAIL_HEADERS_TIMEOUT) must be at least 1 second');
  if (result.requestTimeout < result.headersTimeout) {
    throw new ConfigError(`requestTimeout (OPENTRAIL_REQUEST_TIMEOUT) must be at least headersTimeout (${result.headersTimeout} s), got ${result.requestTimeout}`);
  }
  if (result.leaseSeconds < 3) throw new ConfigError(`leaseSeconds (${ENV.leaseSeconds}) must be at least 3, got ${result.leaseSeconds}`);
  if (result.gatewayRequestTimeout < result.requestTimeout) {
    throw new ConfigError(`gatewayRequestTimeout (${ENV.gatewayRequestTimeout}) must be at least requestTimeout (${result.requestTimeout} s), got ${result.gatewayRequestTimeout}`);
  }
  result.dataDir = resolve(result.dataDir);
  // URLs and the master key are checked here too, so a typo fails before anything is created.
  storeKindOf(result);
  parseObjectStoreUrl(result.objectStore);
  if (result.cloudWatchLogsEndpoint !== undefined && !/^https?:\/\/[^/]+/.test(result.cloudWatchLogsEndpoint)) {
    throw new ConfigError(`cloudWatchLogsEndpoint (${ENV.cloudWatchLogsEndpoint}) must be an http(s) URL, got "${result.cloudWatchLogsEndpoint}"`);
  }
  if (result.masterKey !== undefined && result.masterKey !== '') decodeMasterKey(result.masterKey, `masterKey (${ENV.masterKey})`);
  return result;
}

export type StoreKind = 'sqlite' | 'postgres';

/** Which database an event store URL names. */
export function storeKindOf(config: Pick<OpenTrailConfig, 'store'>): StoreKind {
  const url = config.store;
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return 'postgres';
  if (url.startsWith('sqlite:')) return 'sqlite';
  throw new ConfigError(`unknown event store URL "${url}"; expected sqlite:, sqlite:<path> or postgres://user@host:port/database`);
}

/** The SQLite file an event store URL names. */
export function sqliteFileOf(config: OpenTrailConfig): string {
  const url = config.store;
  if (storeKindOf(config) === 'postgres') throw new ConfigError(`"${url}" names a PostgreSQL database, not a SQLite file`);
  if (url === 'sqlite:' || url === 'sqlite://') return resolve(config.dataDir, 'opentrail.db');
  if (url.startsWith('sqlite://')) return resolve(url.slice('sqlite://'.length));
  return resolve(url.slice('sqlite:'.length));
}
