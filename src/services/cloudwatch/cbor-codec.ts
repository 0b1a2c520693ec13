/**
 * CBOR bodies of the Smithy RPC v2 CBOR protocol, through cbor2:
 *
 * - requests decode to the same JSON-like input the other protocols give handlers: timestamps
 *   (tag 1, epoch seconds, integer or float) become epoch seconds, byte strings base64 text,
 *   big integers numbers; anything else odd (other tags, maps with non-text keys, simple
 *   values, undefined) is a SerializationException, never a crash;
 * - outputs encode by the model's shapes: timestamp members (epoch seconds in handler outputs)
 *   as tag 1, blob members as byte strings.
 */
import { decode, encode } from 'cbor2';
import { protocolErrors } from '../../api/errors.js';
import type { ShapeTable } from '../../api/model/validate-input.js';
import { MAX_INPUT_DEPTH } from '../../api/model/validate-input.js';

function bad(message: string): Error {
  return protocolErrors.serialization(message);
}

function plain(value: unknown, depth: number): unknown {
  if (depth > MAX_INPUT_DEPTH) throw bad(`Request body nests maps and arrays more than ${MAX_INPUT_DEPTH} levels deep.`);
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) {
    const ms = value.getTime();
    if (!Number.isFinite(ms)) throw bad('A timestamp in the request body is not a valid epoch time.');
    return ms / 1000;
  }
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map((element) => plain(element, depth + 1));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) out[key] = plain(member, depth + 1);
    return out;
  }
  throw bad('The request body holds a CBOR item this service does not take (a map with non-text keys, a tag, a simple value or undefined).');
}

/** The input of a CBOR request body; an empty body is an empty input. */
export function decodeCborInput(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = decode(body, { rejectDuplicateKeys: true, maxDepth: MAX_INPUT_DEPTH + 2 });
  } catch {
    throw bad('The request body is not valid CBOR.');
  }
  const input = plain(value, 0);
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw bad('The request body must be a CBOR map.');
  return input as Record<string, unknown>;
}

function shaped(shapes: ShapeTable, shapeName: string | undefined, value: unknown, depth: number): unknown {
  const shape = shapeName !== undefined && Object.hasOwn(shapes, shapeName) ? shapes[shapeName] : undefined;
  if (shape === undefined || value === null || value === undefined || depth > MAX_INPUT_DEPTH) return value;
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || Array.isArray(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(value as Record<string, unknown>)) {
        if (member === undefined) continue;
        const description = shape.members !== undefined && Object.hasOwn(shape.members, name) ? shape.members[name] : undefined;
        out[name] = shaped(shapes, description?.shape, member, depth + 1);
      }
      return out;
    }
    case 'list':
      return Array.isArray(value) ? value.map((element: unknown) => shaped(shapes, shape.member, element, depth + 1)) : value;
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [key, entry] of Object.entries(value as Record<string, unknown>)) out[key] = shaped(shapes, shape.value, entry, depth + 1);
      return out;
    }
    case 'timestamp':
      return typeof value === 'number' ? new Date(value * 1000) : value;
    case 'blob':
      return typeof value === 'string' ? Buffer.from(value, 'base64') : value;
    default:
      return value;
  }
}

/** The CBOR body of an output of `shapeName` (absent: an empty map). */
export function encodeCborOutput(shapes: ShapeTable, shapeName: string | undefined, output: unknown): Buffer {
  return Buffer.from(encode(shapeName === undefined ? {} : (shaped(shapes, shapeName, output ?? {}, 0) ?? {})));
}

/** The CBOR body of an error: `__type`, `message` and the error's other members. */
export function encodeCborError(type: string, message: string, fields: Readonly<Record<string, string>>): Buffer {
  return Buffer.from(encode({ ...fields, __type: type, message }));
}
