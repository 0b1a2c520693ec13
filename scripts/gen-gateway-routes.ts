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
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GatewayProtocol } from '../src/api/gateway/contract.js';
import { newestApiVersion, readServiceModel, runGenerator, tsString } from './botocore.js';

const REPO_DIR = fileURLToPath(new URL('../', import.meta.url));

const SERVICES = ['s3', 'ec2', 'kms', 'sqs', 'sns', 'dynamodb', 'lambda', 'secretsmanager', 'ssm'] as const;

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

// ---- emitting TypeScript ----


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
  const parts = [`name: ${tsString(operation.name)}`, `method: ${tsString(operation.http.method)}`, `requestUri: ${tsString(operation.http.requestUri)}`];
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
        const fields = [`member: ${tsString(member)}`, `location: ${tsString(location)}`, `wireName: ${tsString(wireName)}`];
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
  if (payloadMember !== undefined) parts.push(`payloadMember: ${tsString(payloadMember)}`);
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
    `  signingName: ${tsString(metadata.signingName ?? metadata.endpointPrefix)},`,
    `  eventSource: ${tsString(`${metadata.endpointPrefix}.amazonaws.com`)},`,
    `  protocol: ${tsString(protocol)},`,
    `  apiVersion: ${tsString(metadata.apiVersion)},`,
  ];
  if (protocol === 'json') {
    if (metadata.targetPrefix === undefined) throw new Error(`${service}: a json service without a targetPrefix`);
    lines.push(`  targetPrefix: ${tsString(metadata.targetPrefix)},`);
    if (metadata.jsonVersion !== undefined) lines.push(`  jsonVersion: ${tsString(metadata.jsonVersion)},`);
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

process.exitCode = runGenerator('gen-gateway-routes', 'gateway route files', process.argv.slice(2), (botocore) =>
  SERVICES.map((service) => {
    const apiVersion = newestApiVersion(botocore, service);
    return {
      file: path.join(REPO_DIR, 'src/services', service, 'routes.gen.ts'),
      text: emit(readServiceModel<BotocoreModel>(botocore, service, apiVersion), service, apiVersion, botocore.version),
    };
  }),
);
