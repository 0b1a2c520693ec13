/**
 * Generates each service's `src/services/<service>/model.gen.ts` from the service models of the
 * installed botocore (found through `python3`).
 *
 *   npx tsx scripts/gen-model.ts          write the files
 *   npx tsx scripts/gen-model.ts --check  exit 1 when the checked-in files differ
 *
 * Only the structure of the models is used: every `documentation` field (and any other
 * prose, such as deprecation messages) is dropped, and no comment is derived from them.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileModelPattern } from '../src/api/model/model-pattern.js';
import { runGenerator, readServiceModel, tsString } from './botocore.js';

const REPO_DIR = fileURLToPath(new URL('../', import.meta.url));
const VALIDATE_INPUT = path.join(REPO_DIR, 'src/api/model/validate-input.ts');

interface ServiceSpec {
  readonly service: string;
  readonly apiVersion: string;
  readonly output: string;
}

const SERVICES: readonly ServiceSpec[] = [
  { service: 'cloudtrail', apiVersion: '2013-11-01', output: 'src/services/cloudtrail/model.gen.ts' },
  { service: 'cloudtrail-data', apiVersion: '2021-08-11', output: 'src/services/cloudtrail-data/model.gen.ts' },
  { service: 'iam', apiVersion: '2010-05-08', output: 'src/services/iam/model.gen.ts' },
  { service: 'sts', apiVersion: '2011-06-15', output: 'src/services/sts/model.gen.ts' },
  { service: 'organizations', apiVersion: '2016-11-28', output: 'src/services/organizations/model.gen.ts' },
  { service: 'logs', apiVersion: '2014-03-28', output: 'src/services/logs/model.gen.ts' },
  { service: 'cloudwatch', apiVersion: '2010-08-01', output: 'src/services/cloudwatch/model.gen.ts' },
];

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
  member?: ShapeRef;
  key?: ShapeRef;
  value?: ShapeRef;
  min?: number;
  max?: number;
  enum?: string[];
  pattern?: string;
  exception?: boolean;
  /** Query protocol errors: the wire code and HTTP status when they differ from the shape's. */
  error?: { code?: string; httpStatusCode?: number };
  sensitive?: boolean;
}

interface BotocoreOperation {
  name: string;
  http: { method: string; requestUri: string };
  input?: ShapeRef;
  output?: ShapeRef & { resultWrapper?: string };
  errors?: ShapeRef[];
}

interface BotocoreModel {
  metadata: {
    apiVersion: string;
    protocol: string;
    jsonVersion?: string;
    targetPrefix?: string;
    signingName?: string;
    xmlNamespace?: string;
    endpointPrefix: string;
    serviceId: string;
  };
  operations: Record<string, BotocoreOperation>;
  shapes: Record<string, BotocoreShape>;
}

const SHAPE_TYPES = new Set(['structure', 'list', 'map', 'string', 'integer', 'long', 'boolean', 'timestamp', 'blob', 'double', 'float']);

/**
 * Names a generated type must not take: built-ins of TypeScript and JavaScript (a shape called
 * `String` or `Date` would shadow them and mislead readers; `Record` is used by the output) and
 * the file's own exports. Such shapes get a `Shape_` prefix.
 */
const RESERVED_TYPE_NAMES = new Set([
  'Array', 'ArrayBuffer', 'BigInt', 'Boolean', 'Date', 'Error', 'Exclude', 'Extract', 'Function', 'Map',
  'NonNullable', 'Number', 'Object', 'Omit', 'Partial', 'Pick', 'Promise', 'Readonly', 'ReadonlyArray',
  'Record', 'RegExp', 'Required', 'ReturnType', 'Set', 'String', 'Symbol', 'Uint8Array',
  'OperationInputs', 'OperationName', 'OperationOutputs',
]);


// ---- emitting TypeScript ----

/** A single-quoted TypeScript string literal. */

function propertyKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) && name !== '__proto__' ? name : tsString(name);
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

class Emitter {
  private readonly typeNames = new Map<string, string>();

  constructor(
    private readonly model: BotocoreModel,
    private readonly botocoreVersion: string,
    private readonly spec: ServiceSpec,
  ) {
    const taken = new Set<string>();
    for (const name of Object.keys(model.shapes).sort(byCodePoint)) {
      const shape = this.shape(name);
      if (!SHAPE_TYPES.has(shape.type)) throw new Error(`${spec.service}: shape ${name} has unsupported type ${shape.type}`);
      if (!this.isNamedType(shape)) continue;
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`${spec.service}: shape name ${name} is not an identifier`);
      const typeName = RESERVED_TYPE_NAMES.has(name) ? `Shape_${name}` : name;
      if (taken.has(typeName)) throw new Error(`${spec.service}: two shapes would be named ${typeName}`);
      taken.add(typeName);
      this.typeNames.set(name, typeName);
    }
  }

  private shape(name: string): BotocoreShape {
    const shape = Object.hasOwn(this.model.shapes, name) ? this.model.shapes[name] : undefined;
    if (shape === undefined) throw new Error(`${this.spec.service}: unknown shape ${name}`);
    return shape;
  }

  /** Structures become interfaces and enums string-literal unions; everything else is inlined. */
  private isNamedType(shape: BotocoreShape): boolean {
    return shape.type === 'structure' || (shape.type === 'string' && shape.enum !== undefined);
  }

  private typeName(shapeName: string): string {
    const name = this.typeNames.get(shapeName);
    if (name === undefined) throw new Error(`${this.spec.service}: shape ${shapeName} has no type name`);
    return name;
  }

  private tsType(shapeName: string): string {
    const shape = this.shape(shapeName);
    switch (shape.type) {
      case 'structure':
        return this.typeName(shapeName);
      case 'list': {
        const element = this.tsType(this.ref(shape.member, shapeName, 'member'));
        return /[|&]/.test(element) ? `(${element})[]` : `${element}[]`;
      }
      case 'map':
        return `Record<string, ${this.tsType(this.ref(shape.value, shapeName, 'value'))}>`;
      case 'string':
        return shape.enum !== undefined ? this.typeName(shapeName) : 'string';
      case 'blob':
        return 'string'; // base64 on the wire
      case 'boolean':
        return 'boolean';
      default:
        return 'number'; // integer, long, double, float, and timestamp (epoch seconds in JSON 1.1)
    }
  }

  private ref(ref: ShapeRef | undefined, owner: string, role: string): string {
    if (ref === undefined) throw new Error(`${this.spec.service}: shape ${owner} has no ${role}`);
    return ref.shape;
  }

  emit(): string {
    const { model, spec } = this;
    const lines: string[] = [];
    const out = (line = ''): void => {
      lines.push(line);
    };
    const operations = Object.values(model.operations);

    out(`// Generated by scripts/gen-model.ts from botocore ${this.botocoreVersion} ${spec.service}/${spec.apiVersion}. Do not edit.`);
    const validateInput = path.relative(path.dirname(path.join(REPO_DIR, spec.output)), VALIDATE_INPUT).replace(/\.ts$/, '.js');
    out(`import type { OperationDescription, ServiceMetadata, ShapeTable } from '${validateInput}';`);
    out();

    // metadata
    const meta = model.metadata;
    const metadata: [string, string | undefined][] = [
      ['apiVersion', meta.apiVersion],
      ['protocol', meta.protocol],
      ['jsonVersion', meta.jsonVersion],
      ['targetPrefix', meta.targetPrefix],
      ['signingName', meta.signingName ?? meta.endpointPrefix],
      ['xmlNamespace', meta.xmlNamespace],
      ['serviceId', meta.serviceId],
    ];
    out('export const metadata = {');
    for (const [key, value] of metadata) if (value !== undefined) out(`  ${key}: ${tsString(value)},`);
    out('} as const satisfies ServiceMetadata;');
    out();

    // operation names, in model order
    out('export const operationNames = [');
    for (const operation of operations) out(`  ${tsString(operation.name)},`);
    out('] as const;');
    out();
    out('export type OperationName = (typeof operationNames)[number];');
    out();

    // operations
    out('export const operations: { readonly [Op in OperationName]: OperationDescription } = {');
    for (const operation of operations) {
      const parts: string[] = [];
      if (operation.input !== undefined) parts.push(`input: ${tsString(operation.input.shape)}`);
      if (operation.output !== undefined) parts.push(`output: ${tsString(operation.output.shape)}`);
      if (operation.output?.resultWrapper !== undefined) parts.push(`resultWrapper: ${tsString(operation.output.resultWrapper)}`);
      parts.push(`errors: [${(operation.errors ?? []).map((e) => tsString(e.shape)).join(', ')}]`);
      parts.push(`http: { method: ${tsString(operation.http.method)}, requestUri: ${tsString(operation.http.requestUri)} }`);
      out(`  ${propertyKey(operation.name)}: {`);
      for (const part of parts) out(`    ${part},`);
      out('  },');
    }
    out('};');
    out();

    // shapes, sorted by name
    const shapeNames = Object.keys(model.shapes).sort(byCodePoint);
    out('export const shapes: ShapeTable = {');
    for (const name of shapeNames) {
      const shape = this.shape(name);
      // The validator trusts the table: every shape it names exists and every pattern compiles.
      for (const ref of [...Object.values(shape.members ?? {}), shape.member, shape.key, shape.value]) if (ref !== undefined) this.shape(ref.shape);
      if (shape.pattern !== undefined) compileModelPattern(shape.pattern);
      out(`  ${propertyKey(name)}: {`);
      out(`    type: ${tsString(shape.type)},`);
      if (shape.members !== undefined) {
        const members = Object.entries(shape.members);
        if (members.length === 0) {
          out('    members: {},');
        } else {
          out('    members: {');
          for (const [memberName, member] of members) {
            const parts = [`shape: ${tsString(member.shape)}`];
            if (member.location !== undefined) parts.push(`location: ${tsString(member.location)}`);
            if (member.locationName !== undefined) parts.push(`locationName: ${tsString(member.locationName)}`);
            out(`      ${propertyKey(memberName)}: { ${parts.join(', ')} },`);
          }
          out('    },');
        }
      }
      if (shape.required !== undefined) out(`    required: [${shape.required.map(tsString).join(', ')}],`);
      if (shape.member !== undefined) out(`    member: ${tsString(shape.member.shape)},`);
      if (shape.key !== undefined) out(`    key: ${tsString(shape.key.shape)},`);
      if (shape.value !== undefined) out(`    value: ${tsString(shape.value.shape)},`);
      if (shape.min !== undefined) out(`    min: ${shape.min},`);
      if (shape.max !== undefined) out(`    max: ${shape.max},`);
      if (shape.enum !== undefined) out(`    enum: [${shape.enum.map(tsString).join(', ')}],`);
      if (shape.pattern !== undefined) out(`    pattern: ${tsString(shape.pattern)},`);
      if (shape.exception === true) out('    exception: true,');
      if (shape.error?.code !== undefined) out(`    errorCode: ${tsString(shape.error.code)},`);
      if (shape.error?.httpStatusCode !== undefined) out(`    httpStatus: ${shape.error.httpStatusCode},`);
      if (shape.sensitive === true) out('    sensitive: true,');
      out('  },');
    }
    out('};');

    // types: enums and structures, sorted by name
    for (const name of shapeNames) {
      const shape = this.shape(name);
      if (!this.isNamedType(shape)) continue;
      const typeName = this.typeName(name);
      out();
      if (shape.type === 'string') {
        out(`export type ${typeName} = ${(shape.enum ?? []).map(tsString).join(' | ')};`);
        continue;
      }
      const members = Object.entries(shape.members ?? {});
      if (members.length === 0) {
        out(`export type ${typeName} = Record<string, never>;`);
        continue;
      }
      const required = new Set(shape.required ?? []);
      out(`export interface ${typeName} {`);
      for (const [memberName, member] of members) {
        out(`  ${propertyKey(memberName)}${required.has(memberName) ? '' : '?'}: ${this.tsType(member.shape)};`);
      }
      out('}');
    }

    // operation inputs and outputs
    for (const [typeName, role] of [['OperationInputs', 'input'], ['OperationOutputs', 'output']] as const) {
      out();
      out(`export interface ${typeName} {`);
      for (const operation of operations) {
        const ref = operation[role];
        out(`  ${propertyKey(operation.name)}: ${ref === undefined ? 'Record<string, never>' : this.tsType(ref.shape)};`);
      }
      out('}');
    }
    return `${lines.join('\n')}\n`;
  }
}

// ---- main ----

process.exitCode = runGenerator('gen-model', 'model files', process.argv.slice(2), (botocore) =>
  SERVICES.map((spec) => ({
    file: path.join(REPO_DIR, spec.output),
    text: new Emitter(readServiceModel<BotocoreModel>(botocore, spec.service, spec.apiVersion), botocore.version, spec).emit(),
  })),
);
