/**
 * XML responses of the AWS query protocol, driven by the model:
 *
 *   <CreateUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
 *     <CreateUserResult><User><UserName>bob</UserName>...</User></CreateUserResult>
 *     <ResponseMetadata><RequestId>...</RequestId></ResponseMetadata>
 *   </CreateUserResponse>
 *
 * Structure members are elements in model order (absent and null ones left out), list
 * elements are `<member>`, map entries `<entry><key/><value/></entry>`, timestamps ISO 8601
 * UTC (`2026-12-01T10:00:00Z`; outputs carry epoch seconds, as the generated types say, or a
 * Date), booleans `true`/`false`, blobs base64. An operation without output answers only the
 * ResponseMetadata. A value that does not fit its shape is a bug of the handler: encoding
 * throws, and the protocol turns that into InternalFailure before the call is recorded.
 */
import type { ShapeDescription, ShapeTable } from '../../model/validate-input.js';
import { MAX_INPUT_DEPTH } from '../../model/validate-input.js';
import { xmlName, xmlText } from './xml-text.js';

function lookupShape(shapes: ShapeTable, name: string): ShapeDescription {
  const shape = Object.hasOwn(shapes, name) ? shapes[name] : undefined;
  if (shape === undefined) throw new Error(`the model has no shape ${JSON.stringify(name)}`);
  return shape;
}

function ownValue(object: object, key: string): unknown {
  return Object.hasOwn(object, key) ? (object as Record<string, unknown>)[key] : undefined;
}

function misfit(shapeName: string, value: unknown): Error {
  return new Error(`output value of type ${typeof value} does not fit shape ${shapeName}`);
}

/** Seconds (or a Date) as `2026-12-01T10:00:00Z`, with milliseconds only when there are some. */
export function isoTimestamp(value: unknown): string | undefined {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value * 1000 : NaN;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return undefined;
  return new Date(Math.round(ms)).toISOString().replace('.000Z', 'Z');
}

function numberText(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return String(value);
}

class OutputEncoder {
  constructor(private readonly shapes: ShapeTable) {}

  /** The content of the element holding `value` (shape `shapeName`). */
  content(shapeName: string, value: unknown, depth: number): string {
    if (depth > MAX_INPUT_DEPTH) throw new Error(`output nests deeper than ${MAX_INPUT_DEPTH} levels`);
    const shape = lookupShape(this.shapes, shapeName);
    switch (shape.type) {
      case 'structure':
        return this.members(shapeName, shape, value, depth);
      case 'list': {
        if (!Array.isArray(value)) throw misfit(shapeName, value);
        const member = shape.member;
        if (member === undefined) return '';
        return value
          .filter((element) => element !== null && element !== undefined)
          .map((element) => `<member>${this.content(member, element, depth + 1)}</member>`)
          .join('');
      }
      case 'map': {
        if (value === null || typeof value !== 'object' || Array.isArray(value)) throw misfit(shapeName, value);
        const valueShape = shape.value;
        return Object.entries(value as Record<string, unknown>)
          .filter(([, entry]) => entry !== null && entry !== undefined)
          .map(([key, entry]) => {
            const encoded = valueShape === undefined ? '' : this.content(valueShape, entry, depth + 1);
            return `<entry><key>${xmlText(key)}</key><value>${encoded}</value></entry>`;
          })
          .join('');
      }
      case 'string':
        if (typeof value !== 'string') throw misfit(shapeName, value);
        return xmlText(value);
      case 'integer':
      case 'long':
        if (typeof value !== 'number' || !Number.isInteger(value)) throw misfit(shapeName, value);
        return String(value);
      case 'double':
      case 'float':
        if (typeof value !== 'number') throw misfit(shapeName, value);
        return numberText(value);
      case 'boolean':
        if (typeof value !== 'boolean') throw misfit(shapeName, value);
        return value ? 'true' : 'false';
      case 'timestamp': {
        const text = isoTimestamp(value);
        if (text === undefined) throw misfit(shapeName, value);
        return text;
      }
      case 'blob':
        if (typeof value === 'string') return xmlText(value);
        if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
        throw misfit(shapeName, value);
      default:
        throw misfit(shapeName, value);
    }
  }

  members(shapeName: string, shape: ShapeDescription, value: unknown, depth: number): string {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw misfit(shapeName, value);
    let out = '';
    for (const [name, member] of Object.entries(shape.members ?? {})) {
      const memberValue = ownValue(value, name);
      if (memberValue === null || memberValue === undefined) continue;
      const element = xmlName(member.locationName ?? name);
      out += `<${element}>${this.content(member.shape, memberValue, depth + 1)}</${element}>`;
    }
    return out;
  }
}

export interface QueryResponseParts {
  operation: string;
  xmlNamespace: string;
  /** The output shape and the element wrapping it; absent for operations without output. */
  outputShape?: string;
  resultWrapper?: string;
  requestId: string;
}

/** The body of a successful query-protocol response. Throws when `output` does not fit its shape. */
export function encodeQueryResponse(shapes: ShapeTable, parts: QueryResponseParts, output: unknown): string {
  const root = xmlName(`${parts.operation}Response`);
  let result = '';
  if (parts.outputShape !== undefined) {
    const encoder = new OutputEncoder(shapes);
    const content = encoder.members(parts.outputShape, lookupShape(shapes, parts.outputShape), output ?? {}, 0);
    const wrapper = xmlName(parts.resultWrapper ?? `${parts.operation}Result`);
    result = `<${wrapper}>${content}</${wrapper}>`;
  }
  const metadata = `<ResponseMetadata><RequestId>${xmlText(parts.requestId)}</RequestId></ResponseMetadata>`;
  return `<${root} xmlns="${xmlText(parts.xmlNamespace)}">${result}${metadata}</${root}>`;
}

/** The body of a query-protocol error response (`Type` is Sender for 4xx, Receiver for 5xx). */
export function encodeQueryError(xmlNamespace: string, error: { code: string; message: string; httpStatus: number }, requestId: string): string {
  const type = error.httpStatus >= 500 ? 'Receiver' : 'Sender';
  return (
    `<ErrorResponse xmlns="${xmlText(xmlNamespace)}"><Error><Type>${type}</Type><Code>${xmlText(error.code)}</Code>` +
    `<Message>${xmlText(error.message)}</Message></Error><RequestId>${xmlText(requestId)}</RequestId></ErrorResponse>`
  );
}
