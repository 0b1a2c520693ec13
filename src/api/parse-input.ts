/**
 * Parse and validate step: the body must be valid UTF-8 JSON holding an object, nested at most
 * MAX_JSON_DEPTH levels, whose members have the model's types; required members must be present.
 */
import { MAX_JSON_DEPTH, exceedsJsonDepth } from '../core/json-depth.js';
import { ServiceError, protocolErrors } from './errors.js';
import type { ShapeTable } from './model/validate-input.js';
import { validateInput } from './model/validate-input.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function parseJsonBody(body: Buffer): Record<string, unknown> {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw protocolErrors.serialization('Request body is not valid UTF-8.');
  }
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw protocolErrors.serialization('Request body is not valid JSON.');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw protocolErrors.serialization('Request body must be a JSON object.');
  }
  if (exceedsJsonDepth(value)) {
    throw protocolErrors.serialization(`Request body nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep.`);
  }
  return value as Record<string, unknown>;
}

export function checkInput(shapes: ShapeTable, shapeName: string | undefined, input: Record<string, unknown>): void {
  if (shapeName === undefined) return;
  const problem = validateInput(shapes, shapeName, input);
  if (problem === undefined) return;
  throw problem.kind === 'serialization'
    ? protocolErrors.serialization(problem.message)
    : new ServiceError('ValidationException', problem.message);
}
