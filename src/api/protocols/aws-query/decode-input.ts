/**
 * Turns query-protocol parameters into an operation's input, shaped by the model the way the
 * JSON protocols' bodies are (so the same validator and handlers work on it):
 *
 *   UserName=bob                        { UserName: 'bob' }
 *   Tags.member.1.Key=k&Tags.member.1.Value=v   { Tags: [{ Key: 'k', Value: 'v' }] }  (lists 1-based)
 *   Tags=                               { Tags: [] }  (how SDKs send an empty list)
 *   Context.entry.1.key=a&Context.entry.1.value=b  { Context: { a: 'b' } }
 *   MaxItems=10, Enabled=true, When=2026-12-01T10:00:00Z   integers, booleans, timestamps
 *                                       (epoch seconds, as the generated types say)
 *
 * Parameters that name no member are ignored, as AWS does. A value that cannot have its
 * member's type (`MaxItems=ten`, `Enabled=maybe`) is an InvalidParameterValue error. List
 * indexes run from 1 to MAX_LIST_INDEX; gaps close up, in index order. Objects are built
 * member by member from the model, and map keys are set as own properties, so no parameter
 * can reach a prototype.
 */
import type { ShapeDescription, ShapeTable } from '../../model/validate-input.js';
import { MAX_INPUT_DEPTH } from '../../model/validate-input.js';
import type { FormParameters } from './form-params.js';
import { echo, queryErrors } from './query-errors.js';

export const MAX_LIST_INDEX = 1000;

/** The parameters as a tree on their dotted names: `Tags.member.1.Key` is four levels. */
interface ParameterNode {
  value?: string;
  children?: Map<string, ParameterNode>;
}

function parameterTree(parameters: FormParameters): ParameterNode {
  const root: ParameterNode = {};
  for (const [name, value] of parameters) {
    let node = root;
    for (const segment of name.split('.')) {
      node.children ??= new Map();
      let child = node.children.get(segment);
      if (child === undefined) {
        child = {};
        node.children.set(segment, child);
      }
      node = child;
    }
    node.value ??= value;
  }
  return root;
}

function lookupShape(shapes: ShapeTable, name: string): ShapeDescription {
  const shape = Object.hasOwn(shapes, name) ? shapes[name] : undefined;
  if (shape === undefined) throw new Error(`the model has no shape ${JSON.stringify(name)}`);
  return shape;
}

/** Sets an own, enumerable property whatever the key (`__proto__` included). */
export function setOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

const INTEGER = /^[+-]?\d{1,20}$/;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})$/i;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

function invalidValue(shape: ShapeDescription, value: string, path: string, expected: string): Error {
  const shown = shape.sensitive === true ? '' : ` '${echo(value)}'`;
  return queryErrors.invalidParameterValue(`Invalid value${shown} for parameter ${echo(path)}: expected ${expected}.`);
}

function timestampSeconds(text: string): number | undefined {
  if (ISO_8601.test(text)) {
    const ms = Date.parse(text.toUpperCase());
    return Number.isFinite(ms) ? ms / 1000 : undefined;
  }
  // Epoch seconds are accepted too (some clients send them for the query protocol).
  if (DECIMAL.test(text)) {
    const seconds = Number(text);
    return Number.isFinite(seconds) && Math.abs(seconds) < 1e11 ? seconds : undefined;
  }
  return undefined;
}

function scalar(shape: ShapeDescription, value: string, path: string): unknown {
  switch (shape.type) {
    case 'integer':
    case 'long': {
      const n = INTEGER.test(value) ? Number(value) : NaN;
      const fits = shape.type === 'integer' ? n >= INT32_MIN && n <= INT32_MAX : Number.isSafeInteger(n);
      if (!fits) throw invalidValue(shape, value, path, shape.type === 'integer' ? 'an integer' : 'a long integer');
      return n;
    }
    case 'double':
    case 'float': {
      const n = DECIMAL.test(value) ? Number(value) : NaN;
      if (!Number.isFinite(n)) throw invalidValue(shape, value, path, 'a number');
      return n;
    }
    case 'boolean': {
      const lower = value.toLowerCase();
      if (lower !== 'true' && lower !== 'false') throw invalidValue(shape, value, path, 'true or false');
      return lower === 'true';
    }
    case 'timestamp': {
      const seconds = timestampSeconds(value);
      if (seconds === undefined) throw invalidValue(shape, value, path, 'an ISO 8601 timestamp such as 2026-12-01T10:00:00Z');
      return seconds;
    }
    case 'blob':
      if (!BASE64.test(value)) throw invalidValue(shape, value, path, 'base64-encoded data');
      return value;
    default:
      return value;
  }
}

/** The elements of `Name.member.N` (or `Name.entry.N`), in index order. */
function indexed(node: ParameterNode | undefined, path: string): ParameterNode[] {
  if (node?.children === undefined) return [];
  const byIndex: [number, ParameterNode][] = [];
  for (const [key, child] of node.children) {
    const index = /^[1-9]\d{0,6}$/.test(key) ? Number(key) : NaN;
    if (!(index <= MAX_LIST_INDEX)) {
      throw queryErrors.invalidParameterValue(
        `Invalid list index '${echo(key)}' in parameter ${echo(path)}: indexes run from 1 to ${MAX_LIST_INDEX}.`,
      );
    }
    byIndex.push([index, child]);
  }
  return byIndex.sort((a, b) => a[0] - b[0]).map(([, child]) => child);
}

class InputDecoder {
  constructor(private readonly shapes: ShapeTable) {}

  /** The value of `node` as shape `shapeName`; undefined when the parameters give none. */
  decode(shapeName: string, node: ParameterNode, path: string, depth: number): unknown {
    const shape = lookupShape(this.shapes, shapeName);
    if (depth > MAX_INPUT_DEPTH) {
      throw queryErrors.invalidParameterValue(`Parameter ${echo(path)} nests deeper than ${MAX_INPUT_DEPTH} levels.`);
    }
    switch (shape.type) {
      case 'structure':
        return this.structure(shape, node, path, depth);
      case 'list':
        return this.list(shape, node, path, depth);
      case 'map':
        return this.map(shape, node, path, depth);
      default:
        return node.value === undefined ? undefined : scalar(shape, node.value, path);
    }
  }

  /** Members in the order the request gave them (CloudTrail's requestParameters keep that order). */
  structure(shape: ShapeDescription, node: ParameterNode, path: string, depth: number): Record<string, unknown> | undefined {
    if (node.children === undefined) return node.value === undefined ? undefined : {};
    const members = shape.members ?? {};
    const out: Record<string, unknown> = {};
    for (const [name, child] of node.children) {
      const member = Object.hasOwn(members, name) ? members[name] : undefined;
      if (member === undefined) continue;
      const value = this.decode(member.shape, child, path === '' ? name : `${path}.${name}`, depth + 1);
      if (value !== undefined) setOwn(out, name, value);
    }
    return out;
  }

  list(shape: ShapeDescription, node: ParameterNode, path: string, depth: number): unknown[] | undefined {
    const members = node.children?.get('member');
    if (members === undefined) return node.value === undefined ? undefined : [];
    const memberShape = shape.member;
    if (memberShape === undefined) return [];
    return indexed(members, `${path}.member`).map(
      (element, i) => this.decode(memberShape, element, `${path}.member.${i + 1}`, depth + 1) ?? null,
    );
  }

  map(shape: ShapeDescription, node: ParameterNode, path: string, depth: number): Record<string, unknown> | undefined {
    const entries = node.children?.get('entry');
    if (entries === undefined) return node.value === undefined ? undefined : {};
    const out: Record<string, unknown> = {};
    indexed(entries, `${path}.entry`).forEach((entry, i) => {
      const at = `${path}.entry.${i + 1}`;
      const key = entry.children?.get('key')?.value;
      if (key === undefined) throw queryErrors.invalidParameterValue(`Parameter ${echo(at)} has no key.`);
      if (Object.hasOwn(out, key)) return;
      const valueNode = entry.children?.get('value');
      const value = valueNode === undefined || shape.value === undefined ? undefined : this.decode(shape.value, valueNode, `${at}.value`, depth + 1);
      setOwn(out, key, value ?? null);
    });
    return out;
  }
}

/**
 * The input of an operation whose input shape is `inputShape`, from the request's parameters
 * (`Action` and `Version` among them are not members and so are skipped). Throws ServiceError.
 */
export function decodeQueryInput(shapes: ShapeTable, inputShape: string | undefined, parameters: FormParameters): Record<string, unknown> {
  if (inputShape === undefined) return {};
  const decoder = new InputDecoder(shapes);
  return decoder.structure(lookupShape(shapes, inputShape), parameterTree(parameters), '', 0) ?? {};
}
