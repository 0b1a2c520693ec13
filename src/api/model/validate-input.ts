/**
 * The runtime description of a service model (what scripts/gen-model.ts emits) and a walker
 * that checks a parsed JSON 1.1 request body against it, the way AWS's front end does:
 *
 * - a value of the wrong JSON type is a deserialization failure (SerializationException), and
 *   the first one found ends the walk, because AWS fails before it validates anything;
 * - a required member that is missing or null is a validation failure (ValidationException),
 *   reported in AWS's "N validation errors detected: Value null at '<path>' failed to satisfy
 *   constraint: Member must not be null" form, with paths such as
 *   `lookupAttributes.1.member.attributeKey` (lowerCamelCase members, 1-based list indexes);
 * - enum, length, range and pattern constraints are NOT checked here (CloudTrail answers those
 *   with operation-specific exceptions), but `checkConstraints` reports them in the same form
 *   for handlers that want it;
 * - unknown members are ignored and a null optional member counts as absent.
 *
 * Neither function throws, whatever the value (deep nesting, `__proto__` keys, odd objects).
 */

import { isObject } from '../../core/is-object.js';
import { compileModelPattern } from './model-pattern.js';

export type ShapeType =
  | 'structure'
  | 'list'
  | 'map'
  | 'string'
  | 'integer'
  | 'long'
  | 'boolean'
  | 'timestamp'
  | 'blob'
  | 'double'
  | 'float';

export interface MemberDescription {
  readonly shape: string;
  readonly location?: string;
  readonly locationName?: string;
}

export interface ShapeDescription {
  readonly type: ShapeType;
  readonly members?: Readonly<Record<string, MemberDescription>>;
  readonly required?: readonly string[];
  readonly member?: string;
  readonly key?: string;
  readonly value?: string;
  readonly min?: number;
  readonly max?: number;
  readonly enum?: readonly string[];
  readonly pattern?: string;
  readonly exception?: boolean;
  /** Query protocol: the error code on the wire when it is not the shape's name. */
  readonly errorCode?: string;
  readonly httpStatus?: number;
  /** Secrets (keys, tokens, passwords): never written to a record or a log. */
  readonly sensitive?: boolean;
}

export type ShapeTable = Readonly<Record<string, ShapeDescription>>;

export interface OperationDescription {
  readonly input?: string;
  readonly output?: string;
  /** Query protocol: the element wrapping the output (`CreateUserResult`). */
  readonly resultWrapper?: string;
  readonly errors: readonly string[];
  readonly http: { readonly method: string; readonly requestUri: string };
}

export interface ServiceMetadata {
  readonly apiVersion: string;
  readonly protocol: string;
  readonly jsonVersion?: string;
  readonly targetPrefix?: string;
  readonly signingName: string;
  readonly xmlNamespace?: string;
  readonly serviceId: string;
}

export interface InputProblem {
  kind: 'serialization' | 'validation';
  message: string;
}

/** Deeper values than this (structures, lists and maps inside each other) are refused. */
export const MAX_INPUT_DEPTH = 64;
/** AWS lists at most this many validation errors in one message. */
export const MAX_REPORTED_VALIDATION_ERRORS = 10;

/** Where a value sits, in both notations: the model's (`A[0].B`) and AWS's (`a.1.member.b`). */
interface Path {
  /** Model member names, 0-based indexes: used in serialization messages. */
  readonly model: string;
  /** lowerCamelCase member names, `.N.member` for list elements: used in validation messages. */
  readonly aws: string;
}

const ROOT: Path = { model: '', aws: '' };

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function memberPath(parent: Path, member: string): Path {
  return {
    model: parent.model === '' ? member : `${parent.model}.${member}`,
    aws: parent.aws === '' ? lowerFirst(member) : `${parent.aws}.${lowerFirst(member)}`,
  };
}

function elementPath(parent: Path, index: number): Path {
  return { model: `${parent.model}[${index}]`, aws: `${parent.aws}.${index + 1}.member` };
}

function mapValuePath(parent: Path, key: string): Path {
  // AWS reports problems of map values at the map itself ("Map value must satisfy ...").
  return { model: `${parent.model}[${JSON.stringify(key)}]`, aws: parent.aws };
}

function where(path: Path): string {
  return path.model === '' ? 'the top level' : `'${path.model}'`;
}

function serialization(message: string): InputProblem {
  return { kind: 'serialization', message };
}

function typeMismatch(expected: ShapeType, path: Path): InputProblem {
  return serialization(`Unexpected value type in payload: expected ${expected} at ${where(path)}`);
}

function tooDeep(path: Path): InputProblem {
  return serialization(`Unexpected value in payload: nesting deeper than ${MAX_INPUT_DEPTH} levels at ${where(path)}`);
}

/** A shape the model names; a name missing from the table is a bug of the table, not a pass. */
function lookupShape(shapes: ShapeTable, name: string): ShapeDescription {
  const shape = Object.hasOwn(shapes, name) ? shapes[name] : undefined;
  if (shape === undefined) throw new Error(`the model has no shape ${JSON.stringify(name)}`);
  return shape;
}

/** Own enumerable entries only, so `__proto__` and inherited properties are never consulted. */
function ownValue(object: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(object, key) ? Object.getOwnPropertyDescriptor(object, key)?.value : undefined;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Value rendering in AWS's constraint messages (Java's toString of the deserialized value). */
function render(value: unknown, depth = 0): string {
  if (value === null || value === undefined) return 'null';
  if (depth > 4) return '...';
  if (Array.isArray(value)) return `[${value.map((v) => render(v, depth + 1)).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return `{${entries.map(([k, v]) => `${k}=${render(v, depth + 1)}`).join(', ')}}`;
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value;
}

function constraintMessage(value: unknown, path: Path, constraint: string): string {
  const shown = value === null || value === undefined ? 'null' : `'${render(value)}'`;
  return `Value ${shown} at '${path.aws}' failed to satisfy constraint: ${constraint}`;
}

function validationProblem(messages: readonly string[]): InputProblem {
  const count = messages.length;
  return {
    kind: 'validation',
    message: `${count} validation error${count === 1 ? '' : 's'} detected: ${messages.join('; ')}`,
  };
}

const MEMBER_NOT_NULL = 'Member must not be null';

/** Thrown inside the walk to stop at the first serialization problem; never escapes. */
class Stop extends Error {
  constructor(readonly problem: InputProblem) {
    super(problem.message);
  }
}

class TypeWalker {
  readonly errors: string[] = [];

  constructor(private readonly shapes: ShapeTable) {}

  private addError(message: string): void {
    if (this.errors.length < MAX_REPORTED_VALIDATION_ERRORS) this.errors.push(message);
  }

  /** `value` is neither null nor undefined here. */
  walk(shapeName: string, value: unknown, path: Path, depth: number): void {
    const shape = lookupShape(this.shapes, shapeName);
    switch (shape.type) {
      case 'structure':
        return this.structure(shape, value, path, depth);
      case 'list':
        return this.list(shape, value, path, depth);
      case 'map':
        return this.map(shape, value, path, depth);
      case 'string':
        if (typeof value !== 'string') throw new Stop(typeMismatch('string', path));
        return;
      case 'integer':
      case 'long':
        if (typeof value !== 'number' || !Number.isInteger(value)) throw new Stop(typeMismatch(shape.type, path));
        return;
      case 'double':
      case 'float':
      case 'timestamp':
        if (typeof value !== 'number' || !Number.isFinite(value)) throw new Stop(typeMismatch(shape.type, path));
        return;
      case 'boolean':
        if (typeof value !== 'boolean') throw new Stop(typeMismatch('boolean', path));
        return;
      case 'blob':
        if (typeof value !== 'string' || !BASE64.test(value)) throw new Stop(typeMismatch('blob', path));
        return;
      default:
        return;
    }
  }

  private enter(path: Path, depth: number): void {
    if (depth >= MAX_INPUT_DEPTH) throw new Stop(tooDeep(path));
  }

  private structure(shape: ShapeDescription, value: unknown, path: Path, depth: number): void {
    if (!isObject(value)) throw new Stop(typeMismatch('structure', path));
    this.enter(path, depth);
    const required = shape.required ?? [];
    for (const [name, member] of Object.entries(shape.members ?? {})) {
      const memberValue = ownValue(value, name);
      const at = memberPath(path, name);
      if (memberValue === null || memberValue === undefined) {
        if (required.includes(name)) this.addError(constraintMessage(null, at, MEMBER_NOT_NULL));
        continue;
      }
      this.walk(member.shape, memberValue, at, depth + 1);
    }
  }

  private list(shape: ShapeDescription, value: unknown, path: Path, depth: number): void {
    if (!Array.isArray(value)) throw new Stop(typeMismatch('list', path));
    this.enter(path, depth);
    value.forEach((element: unknown, index) => {
      const at = elementPath(path, index);
      if (element === null || element === undefined) {
        this.addError(constraintMessage(null, at, MEMBER_NOT_NULL));
        return;
      }
      if (shape.member !== undefined) this.walk(shape.member, element, at, depth + 1);
    });
  }

  private map(shape: ShapeDescription, value: unknown, path: Path, depth: number): void {
    if (!isObject(value)) throw new Stop(typeMismatch('map', path));
    this.enter(path, depth);
    for (const [key, entry] of Object.entries(value)) {
      const at = mapValuePath(path, key);
      if (entry === null || entry === undefined) {
        this.addError(constraintMessage(value, path, `Map value must satisfy constraint: [${MEMBER_NOT_NULL}]`));
        continue;
      }
      if (shape.value !== undefined) this.walk(shape.value, entry, at, depth + 1);
    }
  }
}

/**
 * Checks `value` (a parsed JSON body) against shape `shapeName`: JSON types (serialization
 * problem, first one wins) and required members (validation problem listing up to
 * MAX_REPORTED_VALIDATION_ERRORS of them). Returns undefined when the value is acceptable.
 */
export function validateInput(shapes: ShapeTable, shapeName: string, value: unknown): InputProblem | undefined {
  try {
    if (value === null || value === undefined) {
      const shape = lookupShape(shapes, shapeName);
      if (shape.type === 'structure') return undefined; // an empty body
      return typeMismatch(shape.type, ROOT);
    }
    const walker = new TypeWalker(shapes);
    walker.walk(shapeName, value, ROOT, 0);
    return walker.errors.length > 0 ? validationProblem(walker.errors) : undefined;
  } catch (error) {
    // Anything else is a bug (or a table without a shape it names): an error, never a pass.
    if (error instanceof Stop) return error.problem;
    throw error;
  }
}

const patternCache = new Map<string, RegExp>();

function compilePattern(pattern: string): RegExp {
  let compiled = patternCache.get(pattern);
  if (compiled === undefined) {
    compiled = compileModelPattern(pattern);
    patternCache.set(pattern, compiled);
  }
  return compiled;
}

function lengthOf(value: unknown): number | undefined {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  if (isObject(value)) return Object.keys(value).length;
  return undefined;
}

/** The constraint texts a single value breaks (not descending into it). */
function brokenConstraints(shape: ShapeDescription, value: unknown): string[] {
  const broken: string[] = [];
  if (shape.enum !== undefined && typeof value === 'string' && !shape.enum.includes(value)) {
    broken.push(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
  }
  const numeric = shape.type === 'integer' || shape.type === 'long' || shape.type === 'double' || shape.type === 'float';
  if (numeric && typeof value === 'number') {
    if (shape.min !== undefined && value < shape.min) broken.push(`Member must have value greater than or equal to ${shape.min}`);
    if (shape.max !== undefined && value > shape.max) broken.push(`Member must have value less than or equal to ${shape.max}`);
  } else if (shape.type === 'string' || shape.type === 'list' || shape.type === 'map') {
    const length = lengthOf(value);
    if (length !== undefined) {
      if (shape.min !== undefined && length < shape.min) broken.push(`Member must have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && length > shape.max) broken.push(`Member must have length less than or equal to ${shape.max}`);
    }
  }
  if (shape.pattern !== undefined && typeof value === 'string') {
    if (!compilePattern(shape.pattern).test(value)) broken.push(`Member must satisfy regular expression pattern: ${shape.pattern}`);
  }
  return broken;
}

class ConstraintWalker {
  readonly errors: string[] = [];

  constructor(private readonly shapes: ShapeTable) {}

  private add(message: string): void {
    if (this.errors.length < MAX_REPORTED_VALIDATION_ERRORS) this.errors.push(message);
  }

  walk(shapeName: string, value: unknown, path: Path, depth: number): void {
    if (depth > MAX_INPUT_DEPTH || value === null || value === undefined) return;
    const shape = lookupShape(this.shapes, shapeName);
    for (const broken of brokenConstraints(shape, value)) this.add(constraintMessage(value, path, broken));
    if (shape.type === 'structure' && isObject(value)) {
      for (const [name, member] of Object.entries(shape.members ?? {})) {
        this.walk(member.shape, ownValue(value, name), memberPath(path, name), depth + 1);
      }
    } else if (shape.type === 'list' && Array.isArray(value) && shape.member !== undefined) {
      const memberShape = shape.member;
      value.forEach((element: unknown, index) => this.walk(memberShape, element, elementPath(path, index), depth + 1));
    } else if (shape.type === 'map' && isObject(value)) {
      this.mapEntries(shape, value, path, depth);
    }
  }

  /** AWS folds the problems of a map's keys and values into one message each, at the map. */
  private mapEntries(shape: ShapeDescription, value: Record<string, unknown>, path: Path, depth: number): void {
    const keyShape = shape.key === undefined ? undefined : lookupShape(this.shapes, shape.key);
    const valueShape = shape.value === undefined ? undefined : lookupShape(this.shapes, shape.value);
    const keyProblems = new Set<string>();
    const valueProblems = new Set<string>();
    for (const [key, entry] of Object.entries(value)) {
      if (keyShape !== undefined) for (const broken of brokenConstraints(keyShape, key)) keyProblems.add(broken);
      if (valueShape === undefined || entry === null || entry === undefined) continue;
      if (valueShape.type === 'structure' || valueShape.type === 'list' || valueShape.type === 'map') {
        this.walk(shape.value ?? '', entry, mapValuePath(path, key), depth + 1);
      } else {
        for (const broken of brokenConstraints(valueShape, entry)) valueProblems.add(broken);
      }
    }
    if (keyProblems.size > 0) {
      this.add(constraintMessage(value, path, `Map keys must satisfy constraint: [${[...keyProblems].join(', ')}]`));
    }
    if (valueProblems.size > 0) {
      this.add(constraintMessage(value, path, `Map value must satisfy constraint: [${[...valueProblems].join(', ')}]`));
    }
  }
}

/**
 * Reports the enum, length, range and pattern constraints of the model that `value` breaks,
 * as one validation problem in AWS's form (up to MAX_REPORTED_VALIDATION_ERRORS of them), or
 * undefined. Values of the wrong type are skipped: run validateInput first.
 */
export function checkConstraints(shapes: ShapeTable, shapeName: string, value: unknown): InputProblem | undefined {
  const walker = new ConstraintWalker(shapes);
  walker.walk(shapeName, value, ROOT, 0);
  return walker.errors.length > 0 ? validationProblem(walker.errors) : undefined;
}
