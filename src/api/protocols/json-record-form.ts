/**
 * requestParameters and responseElements of a JSON service whose records CloudTrail writes from
 * the model (Organizations), as its real records show them:
 *
 * - member names in lowerCamelCase (the first letter lowered), in the value's own order;
 * - members whose shape is `sensitive` (Organizations' account names and e-mail addresses) are
 *   recorded as `****`, so the record says the member was given without saying what it was;
 * - timestamps (epoch seconds on the wire) as Java-style date text in UTC,
 *   `Nov 5, 2020 9:21:45 PM`;
 * - a call without parameters records null;
 * - members the model does not know are left out: only what the service understood is recorded.
 */
import type { ShapeDescription, ShapeTable } from '../model/validate-input.js';
import { MAX_INPUT_DEPTH } from '../model/validate-input.js';
import type { RecordedDateStyle } from './recorded-date.js';
import { recordedTimestamp } from './recorded-date.js';

export const HIDDEN_VALUE = '****';

/** Organizations' records write dates as IAM's do, without a comma after the year. */
const RECORDED_DATES: RecordedDateStyle = 'MMM d, yyyy h:mm:ss a';

function shapeOf(shapes: ShapeTable, name: string): ShapeDescription | undefined {
  return Object.hasOwn(shapes, name) ? shapes[name] : undefined;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function recordedValue(shapes: ShapeTable, shapeName: string, value: unknown, depth: number): unknown {
  const shape = shapeOf(shapes, shapeName);
  if (shape === undefined || depth > MAX_INPUT_DEPTH || value === undefined || value === null) return undefined;
  if (shape.sensitive === true) return HIDDEN_VALUE;
  switch (shape.type) {
    case 'structure':
      return recordedStructure(shapes, shape, value, depth);
    case 'list':
      if (!Array.isArray(value) || shape.member === undefined) return undefined;
      return value.map((element: unknown) => recordedValue(shapes, shape.member!, element, depth + 1) ?? null);
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value) || shape.value === undefined) return undefined;
      const out: Record<string, unknown> = {};
      for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
        Object.defineProperty(out, key, { value: recordedValue(shapes, shape.value, entry, depth + 1) ?? null, enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case 'timestamp':
      return recordedTimestamp(value, RECORDED_DATES);
    default:
      return value;
  }
}

function recordedStructure(shapes: ShapeTable, shape: ShapeDescription, value: unknown, depth: number): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const members = shape.members ?? {};
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(value as Record<string, unknown>)) {
    const description = Object.hasOwn(members, name) ? members[name] : undefined;
    if (description === undefined) continue;
    const recorded = recordedValue(shapes, description.shape, member, depth + 1);
    if (recorded !== undefined) out[lowerFirst(name)] = recorded;
  }
  return out;
}

/** The recorded form of a request or response structure; null when it has no members. */
export function recordedForm(shapes: ShapeTable, shapeName: string | undefined, value: unknown): Record<string, unknown> | null {
  if (shapeName === undefined) return null;
  const shape = shapeOf(shapes, shapeName);
  if (shape === undefined) return null;
  const out = recordedStructure(shapes, shape, value, 0);
  return out === undefined || Object.keys(out).length === 0 ? null : out;
}
