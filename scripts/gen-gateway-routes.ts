/**
 * Generates `src/services/<service>/routes.gen.ts` for the services the gateway fronts: what each
 * operation looks like on the wire (method, requestUri, the members bound to the URI, query string
 * and headers), from the newest model version of each in the installed botocore (found through
 * `python3`).
 *
 *   npx tsx scripts/gen-gateway-routes.ts          write the files
 *   npx tsx scripts/gen-gateway-routes.ts --check  exit 1 when the checked-in files differ
 *
 * Only the structure of the models is used: every `documentation` field is dropped and no comment
 * is derived from any prose in them.
 *
 * Choices:
 * - protocol: when the model lists `protocols`, the first that botocore supports in the order of
 *   its PRIORITY_ORDERED_SUPPORTED_PROTOCOLS (botocore/utils.py, used by ServiceModel.resolved_protocol),
 *   else `protocol`. A service whose resolved protocol the gateway does not speak is an error.
 * - bound: the input members with location `uri`, `querystring` or `header`, by locationName.
 *   Members with location `headers` (S3's `x-amz-meta-` metadata map) and query-string maps are
 *   left out: they bind a prefix or the rest of the query, not one wire name. Non-REST protocols
 *   bind nothing.
 * - payloadMember: the input's `payload` member when its shape is a blob.
 * - streamingOutput: the output's `payload` member is a blob or an event stream.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { GatewayProtocol } from '../src/api/gateway/contract.js';

const REPO_DIR = fileURLToPath(new URL('../', import.meta.url));

const SERVICES = ['s3', 'ec2', 'kms', 'sqs', 'sns', 'dynamodb', 'lambda', 'logs', 'secretsmanager', 'ssm'] as const;

/** botocore 1.43's PRIORITY_ORDERED_SUPPORTED_PROTOCOLS (botocore/utils.py). */
const BOTOCORE_PROTOCOL_PRIORITY = ['json', 'rest-json', 'rest-xml', 'smithy-rpc-v2-cbor', 'query', 'ec2'] as const;

const GATEWAY_PROTOCOLS: ReadonlySet<string> = new Set<GatewayProtocol>(['rest-xml', 'rest-json', 'json', 'query', 'ec2']);
const REST_PROTOCOLS: ReadonlySet<string> = new Set(['rest-xml', 'rest-json']);

// ---- the parts of a botocore service-2.json this script reads ----

interface ShapeRef {
  shape: string;
  location?: string;
  locationName?: string;
}

interface BotocoreShape {
  type: string;
  members?: Record<string, ShapeRef>;
  required?: string[];
  payload?: string;
  streaming?: boolean;
  eventstream?: boolean;
}

interface BotocoreOperation {
  name: string;
  http: { method: string; requestUri: string };
  input?: ShapeRef;
  output?: ShapeRef;
  deprecated?: boolean;
}

interface BotocoreModel {
  metadata: {
    apiVersion: string;
    protocol: string;
    protocols?: string[];
    jsonVersion?: string;
    targetPrefix?: string;
    signingName?: string;
    endpointPrefix: string;
  };
  operations: Record<string, BotocoreOperation>;
  shapes: Record<string, BotocoreShape>;
}

// ---- locating and reading botocore ----

interface Botocore {
  version: string;
  dir: string;
}

function locateBotocore(): Botocore {
  const result = spawnSync(
    'python3',
    ['-c', 'import botocore, os; print(botocore.__version__); print(os.path.dirname(botocore.__file__))'],
    { encoding: 'utf8' },
  );
  if (result.error !== undefined || result.status !== 0) {
    throw new Error(`cannot find botocore through python3: ${result.error?.message ?? result.stderr.trim()}`);
  }
  const [version, dir] = result.stdout.trim().split('\n');
  if (version === undefined || dir === undefined) throw new Error(`unexpected python3 output: ${result.stdout}`);
  return { version: version.trim(), dir: dir.trim() };
}

/** The newest API version botocore holds a service model for (versions are ISO dates). */
function newestApiVersion(botocore: Botocore, service: string): string {
  const dir = path.join(botocore.dir, 'data', service);
  if (!existsSync(dir)) throw new Error(`botocore ${botocore.version} has no ${service} models`);
  const versions = readdirSync(dir)
    .filter((name) => /^\d{4}-\d{2}-\d{2}$/.test(name))
    .filter((name) => existsSync(path.join(dir, name, 'service-2.json')) || existsSync(path.join(dir, name, 'service-2.json.gz')))
    .sort();
  const newest = versions.at(-1);
  if (newest === undefined) throw new Error(`botocore ${botocore.version} has no ${service} service-2.json`);
  return newest;
}

function readModel(botocore: Botocore, service: string, apiVersion: string): BotocoreModel {
  const base = path.join(botocore.dir, 'data', service, apiVersion, 'service-2.json');
  const text = existsSync(base) ? readFileSync(base, 'utf8') : gunzipSync(readFileSync(`${base}.gz`)).toString('utf8');
  return JSON.parse(text) as BotocoreModel;
}

// ---- emitting TypeScript ----

/** A single-quoted TypeScript string literal. */
function str(value: string): string {
  const escaped = JSON.stringify(value)
    .slice(1, -1)
    .replace(/\\.|'/g, (match) => (match === '\\"' ? '"' : match === "'" ? "\\'" : match));
  return `'${escaped}'`;
}

function resolveProtocol(service: string, metadata: BotocoreModel['metadata']): GatewayProtocol {
  let protocol = metadata.protocol;
  if (metadata.protocols !== undefined && metadata.protocols.length > 0) {
    const listed = metadata.protocols;
    const chosen = BOTOCORE_PROTOCOL_PRIORITY.find((candidate) => listed.includes(candidate));
    if (chosen === undefined) throw new Error(`${service}: botocore supports none of the protocols ${listed.join(', ')}`);
    protocol = chosen;
  }
  if (!GATEWAY_PROTOCOLS.has(protocol)) throw new Error(`${service}: the gateway does not speak protocol ${protocol}`);
  return protocol as GatewayProtocol;
}

function shapeOf(model: BotocoreModel, service: string, name: string): BotocoreShape {
  const shape = Object.hasOwn(model.shapes, name) ? model.shapes[name] : undefined;
  if (shape === undefined) throw new Error(`${service}: unknown shape ${name}`);
  return shape;
}

function emitOperation(model: BotocoreModel, service: string, rest: boolean, operation: BotocoreOperation): string {
  const parts = [`name: ${str(operation.name)}`, `method: ${str(operation.http.method)}`, `requestUri: ${str(operation.http.requestUri)}`];
  const bound: string[] = [];
  let payloadMember: string | undefined;
  if (operation.input !== undefined) {
    const input = shapeOf(model, service, operation.input.shape);
    const required = new Set(input.required ?? []);
    if (rest) {
      for (const [member, ref] of Object.entries(input.members ?? {})) {
        const location = ref.location;
        if (location !== 'uri' && location !== 'querystring' && location !== 'header') continue;
        if (location === 'querystring' && shapeOf(model, service, ref.shape).type === 'map') continue;
        const wireName = ref.locationName ?? member;
        const fields = [`member: ${str(member)}`, `location: ${str(location)}`, `wireName: ${str(wireName)}`];
        if (required.has(member)) fields.push('required: true');
        bound.push(`{ ${fields.join(', ')} }`);
      }
    }
    if (input.payload !== undefined) {
      const ref = input.members?.[input.payload];
      if (ref === undefined) throw new Error(`${service}: ${operation.name} names an unknown payload ${input.payload}`);
      if (shapeOf(model, service, ref.shape).type === 'blob') payloadMember = input.payload;
    }
  }
  parts.push(`bound: [${bound.join(', ')}]`);
  if (payloadMember !== undefined) parts.push(`payloadMember: ${str(payloadMember)}`);
  if (operation.output !== undefined) {
    const output = shapeOf(model, service, operation.output.shape);
    const ref = output.payload === undefined ? undefined : output.members?.[output.payload];
    if (ref !== undefined) {
      const payload = shapeOf(model, service, ref.shape);
      if (payload.type === 'blob' || payload.eventstream === true) parts.push('streamingOutput: true');
    }
  }
  if (operation.deprecated === true) parts.push('deprecated: true');
  return `    { ${parts.join(', ')} },`;
}

function emit(model: BotocoreModel, service: string, apiVersion: string, botocoreVersion: string): string {
  const { metadata } = model;
  const protocol = resolveProtocol(service, metadata);
  const rest = REST_PROTOCOLS.has(protocol);
  const lines = [
    `// Generated by scripts/gen-gateway-routes.ts from botocore ${botocoreVersion} ${service}/${apiVersion}. Do not edit.`,
    "import type { GatewayServiceModel } from '../../api/gateway/contract.js';",
    '',
    'export const model = {',
    `  signingName: ${str(metadata.signingName ?? metadata.endpointPrefix)},`,
    `  eventSource: ${str(`${metadata.endpointPrefix}.amazonaws.com`)},`,
    `  protocol: ${str(protocol)},`,
    `  apiVersion: ${str(metadata.apiVersion)},`,
  ];
  if (protocol === 'json') {
    if (metadata.targetPrefix === undefined) throw new Error(`${service}: a json service without a targetPrefix`);
    lines.push(`  targetPrefix: ${str(metadata.targetPrefix)},`);
    if (metadata.jsonVersion !== undefined) lines.push(`  jsonVersion: ${str(metadata.jsonVersion)},`);
  }
  lines.push('  operations: [');
  const names = Object.keys(model.operations).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    const operation = model.operations[name];
    if (operation === undefined) continue;
    if (operation.name !== name) throw new Error(`${service}: operation ${name} is named ${operation.name}`);
    lines.push(emitOperation(model, service, rest, operation));
  }
  lines.push('  ],', '} as const satisfies GatewayServiceModel;');
  return `${lines.join('\n')}\n`;
}

// ---- main ----

function main(argv: readonly string[]): number {
  const check = argv.includes('--check');
  const unknown = argv.filter((arg) => arg !== '--check');
  if (unknown.length > 0) {
    console.error(`usage: npx tsx scripts/gen-gateway-routes.ts [--check]   (unknown: ${unknown.join(' ')})`);
    return 2;
  }
  const botocore = locateBotocore();
  const stale: string[] = [];
  for (const service of SERVICES) {
    const apiVersion = newestApiVersion(botocore, service);
    const text = emit(readModel(botocore, service, apiVersion), service, apiVersion, botocore.version);
    const file = path.join(REPO_DIR, 'src/services', service, 'routes.gen.ts');
    const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (current === text) continue;
    if (check) {
      stale.push(path.relative(process.cwd(), file));
    } else {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
      console.log(`wrote ${path.relative(process.cwd(), file)}`);
    }
  }
  if (stale.length > 0) {
    console.error(`out of date with botocore ${botocore.version}: ${stale.join(', ')}\nrun: npx tsx scripts/gen-gateway-routes.ts`);
    return 1;
  }
  if (check) console.log(`generated gateway route files are up to date with botocore ${botocore.version}`);
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  console.error(`gen-gateway-routes: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
