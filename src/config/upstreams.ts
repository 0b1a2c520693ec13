/**
 * Where the gateway forwards each service's calls (docs/gateway.md). One upstream per service,
 * named by the service's SigV4 signing name (`s3`, `ec2`, `dynamodb`):
 *
 *   flag         --upstream s3=http://127.0.0.1:9000        (repeatable)
 *   environment  OPENTRAIL_UPSTREAMS="s3=http://127.0.0.1:9000,ec2=http://127.0.0.1:5000"
 *   config file  "upstreams": { "s3": "http://127.0.0.1:9000",
 *                               "ec2": { "url": "http://127.0.0.1:5000", "region": "eu-west-1",
 *                                        "accessKeyId": "…", "secretAccessKey": "…" } }
 *
 * Later sources win per service, as for every other setting. Without credentials of its own
 * an upstream is signed for with the server's AWS credential chain (environment, profile, …).
 */
import { ConfigError } from './config-error.js';

export interface UpstreamCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface UpstreamConfig {
  /** The base URL calls go to: scheme, host, port and an optional path prefix. */
  url: string;
  /** The region the upstream call is signed for; default: the caller's own. */
  region?: string;
  credentials?: UpstreamCredentials;
}

export type Upstreams = Readonly<Record<string, UpstreamConfig>>;

/**
 * Services that cannot have an upstream: those the request pipeline answers itself
 * (api/pipeline.ts HOSTED_SIGNING_NAMES, which a test holds this list to; configuration is
 * checked before any of the pipeline is loaded), and OpenTrail's own name.
 */
export const HOSTED_SERVICES: ReadonlySet<string> = new Set(['cloudtrail', 'cloudtrail-data', 'opentrail', 'iam', 'sts', 'organizations', 'logs', 'monitoring']);

const SERVICE_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

function checkedUrl(service: string, raw: unknown, where: string): string {
  if (typeof raw !== 'string') throw new ConfigError(`${where}: the upstream of ${service} must be a URL string`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${where}: the upstream of ${service} is not a URL: "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${where}: the upstream of ${service} must be http: or https:, got "${url.protocol}"`);
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new ConfigError(`${where}: the upstream of ${service} must not carry a query, fragment or user info`);
  }
  return url.href.replace(/\/$/, '');
}

function checkedService(service: string, where: string): string {
  if (!SERVICE_NAME.test(service)) throw new ConfigError(`${where}: "${service}" is not a service signing name (like s3 or ec2)`);
  if (HOSTED_SERVICES.has(service)) throw new ConfigError(`${where}: ${service} is served by OpenTrail itself and cannot have an upstream`);
  return service;
}

/** `s3=http://…` entries, from the flag (one each) or the environment (comma-separated). */
export function parseUpstreamEntries(entries: readonly string[], where: string): Record<string, UpstreamConfig> {
  const out: Record<string, UpstreamConfig> = {};
  for (const entry of entries.flatMap((e) => e.split(',')).map((e) => e.trim()).filter((e) => e !== '')) {
    const equals = entry.indexOf('=');
    if (equals <= 0) throw new ConfigError(`${where}: "${entry}" must be SERVICE=URL, like s3=http://127.0.0.1:9000`);
    const service = checkedService(entry.slice(0, equals), where);
    out[service] = { url: checkedUrl(service, entry.slice(equals + 1), where) };
  }
  return out;
}

function optionalString(value: unknown, what: string, where: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new ConfigError(`${where}: ${what} must be a non-empty string`);
  return value;
}

/** The config file's `upstreams` object. */
export function parseUpstreamsObject(value: unknown, where: string): Record<string, UpstreamConfig> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(`${where}: upstreams must be an object of service → URL or { url, region, accessKeyId, secretAccessKey }`);
  }
  const out: Record<string, UpstreamConfig> = {};
  for (const [name, raw] of Object.entries(value as Record<string, unknown>)) {
    const service = checkedService(name, where);
    if (typeof raw === 'string') {
      out[service] = { url: checkedUrl(service, raw, where) };
      continue;
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(`${where}: upstreams.${service} must be a URL or an object`);
    const fields = raw as Record<string, unknown>;
    for (const key of Object.keys(fields)) {
      if (!['url', 'region', 'accessKeyId', 'secretAccessKey', 'sessionToken'].includes(key)) {
        throw new ConfigError(`${where}: upstreams.${service} has an unknown setting "${key}"`);
      }
    }
    const accessKeyId = optionalString(fields.accessKeyId, `upstreams.${service}.accessKeyId`, where);
    const secretAccessKey = optionalString(fields.secretAccessKey, `upstreams.${service}.secretAccessKey`, where);
    const sessionToken = optionalString(fields.sessionToken, `upstreams.${service}.sessionToken`, where);
    if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
      throw new ConfigError(`${where}: upstreams.${service} needs both accessKeyId and secretAccessKey, or neither`);
    }
    const region = optionalString(fields.region, `upstreams.${service}.region`, where);
    out[service] = {
      url: checkedUrl(service, fields.url, where),
      ...(region !== undefined && { region }),
      ...(accessKeyId !== undefined && secretAccessKey !== undefined && {
        credentials: { accessKeyId, secretAccessKey, ...(sessionToken !== undefined && { sessionToken }) },
      }),
    };
  }
  return out;
}
