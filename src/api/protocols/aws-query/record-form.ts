/**
 * requestParameters and responseElements as CloudTrail writes them for query services (checked
 * against the real IAM and STS records in the shared samples):
 *
 * - member names in lowerCamelCase by lowering the first letter only (`AWSServiceName` is
 *   `aWSServiceName`, `SAMLMetadataDocument` is `sAMLMetadataDocument`);
 * - lists as arrays, maps as objects, numbers and booleans as JSON numbers and booleans;
 * - timestamps in the service's Java-style date text, in UTC: IAM writes
 *   `Jul 30, 2024 9:53:13 PM`, STS `Jul 30, 2024, 9:46:15 PM`;
 * - members whose shape is `sensitive` in the model (secret access keys, passwords, private
 *   keys) are left out, whoever built the value: CreateAccessKey's record has no
 *   secretAccessKey, CreateLoginProfile's no password. (Session tokens and policy documents
 *   are not sensitive in the models, and CloudTrail does record them.)
 * - a call without parameters records null.
 */
import type { ShapeDescription, ShapeTable } from '../../model/validate-input.js';
import { MAX_INPUT_DEPTH } from '../../model/validate-input.js';
import type { RecordedDateStyle } from '../recorded-date.js';
import { recordedTimestamp } from '../recorded-date.js';
import { setOwn } from './decode-input.js';

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function lookupShape(shapes: ShapeTable, name: string): ShapeDescription | undefined {
  return Object.hasOwn(shapes, name) ? shapes[name] : undefined;
}

class RecordWalker {
  constructor(
    private readonly shapes: ShapeTable,
    private readonly dates: RecordedDateStyle,
  ) {}

  value(shapeName: string, value: unknown, depth: number): unknown {
    const shape = lookupShape(this.shapes, shapeName);
    if (shape === undefined || depth > MAX_INPUT_DEPTH) return undefined;
    if (shape.sensitive === true) return undefined;
    switch (shape.type) {
      case 'structure':
        return this.structure(shape, value, depth);
      case 'list':
        if (!Array.isArray(value)) return undefined;
        return value.map((element: unknown) => (shape.member === undefined ? null : (this.value(shape.member, element, depth + 1) ?? null)));
      case 'map': {
        if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
        const out: Record<string, unknown> = {};
        for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
          setOwn(out, key, shape.value === undefined ? null : (this.value(shape.value, entry, depth + 1) ?? null));
        }
        return out;
      }
      case 'timestamp':
        return recordedTimestamp(value, this.dates);
      default:
        return value ?? undefined;
    }
  }

  /** Members in the value's own order (for inputs, the order the request gave them). */
  structure(shape: ShapeDescription, value: unknown, depth: number): Record<string, unknown> | undefined {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const members = shape.members ?? {};
    const out: Record<string, unknown> = {};
    for (const [name, memberValue] of Object.entries(value as Record<string, unknown>)) {
      const member = Object.hasOwn(members, name) ? members[name] : undefined;
      if (member === undefined || memberValue === null || memberValue === undefined) continue;
      const recorded = this.value(member.shape, memberValue, depth + 1);
      if (recorded !== undefined) setOwn(out, lowerFirst(name), recorded);
    }
    return out;
  }
}

/** The recorded form of `value` (shape `shapeName`), or null when it records nothing. */
export function recordedForm(shapes: ShapeTable, shapeName: string | undefined, value: unknown, dates: RecordedDateStyle): Record<string, unknown> | null {
  if (shapeName === undefined) return null;
  const shape = lookupShape(shapes, shapeName);
  if (shape === undefined) return null;
  const recorded = new RecordWalker(shapes, dates).structure(shape, value, 0);
  return recorded === undefined || Object.keys(recorded).length === 0 ? null : recorded;
}

/**
 * The strings of `value` that sit in sensitive members, so that messages quoting the input
 * (validation errors, which also land in the record) can leave them out.
 */
export function sensitiveStrings(shapes: ShapeTable, shapeName: string, value: unknown, depth = 0): string[] {
  const shape = lookupShape(shapes, shapeName);
  if (shape === undefined || depth > MAX_INPUT_DEPTH || value === null || value === undefined) return [];
  if (shape.sensitive === true) return typeof value === 'string' ? [value] : [];
  if (shape.type === 'structure' && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(shape.members ?? {}).flatMap(([name, member]) =>
      Object.hasOwn(value, name) ? sensitiveStrings(shapes, member.shape, (value as Record<string, unknown>)[name], depth + 1) : [],
    );
  }
  if (shape.type === 'list' && Array.isArray(value) && shape.member !== undefined) {
    const member = shape.member;
    return value.flatMap((element: unknown) => sensitiveStrings(shapes, member, element, depth + 1));
  }
  if (shape.type === 'map' && typeof value === 'object' && shape.value !== undefined) {
    const valueShape = shape.value;
    return Object.values(value as Record<string, unknown>).flatMap((entry) => sensitiveStrings(shapes, valueShape, entry, depth + 1));
  }
  return [];
}

/**
 * The model's shapes with some more marked sensitive: values a record must never hold although
 * the model does not flag them (STS's session token: CloudTrail records it, OpenTrail does not,
 * so that read access to the history never hands out usable credentials). Answers still carry them.
 */
export function withSensitiveShapes(shapes: ShapeTable, names: readonly string[]): ShapeTable {
  const marked: Record<string, ShapeDescription> = { ...shapes };
  for (const name of names) {
    const shape = lookupShape(shapes, name);
    if (shape === undefined) throw new Error(`no shape ${name} to mark sensitive`);
    marked[name] = { ...shape, sensitive: true };
  }
  return marked;
}
