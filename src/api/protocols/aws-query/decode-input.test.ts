import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../errors.js';
import { MAX_LIST_INDEX, decodeQueryInput } from './decode-input.js';
import { MAX_NAME_LENGTH, MAX_PARAMETERS, formParameters } from './form-params.js';
import { testShapes } from './test-shapes.js';
import { formRequest } from './test-requests.js';

function decode(body: string): Record<string, unknown> {
  return decodeQueryInput(testShapes, 'Input', formParameters(formRequest(body)));
}

function failure(run: () => unknown): { code: string; message: string; status: number } {
  try {
    run();
  } catch (error) {
    if (error instanceof ServiceError) return { code: error.code, message: error.message, status: error.httpStatus };
    throw error;
  }
  throw new Error('expected a ServiceError');
}

describe('decoding query parameters by the model', () => {
  it.each([
    ['strings, with + and percent-encoding', 'Name=a+b%26c%3D%E2%82%AC', { Name: 'a b&c=€' }],
    ['integers, longs, doubles', 'Count=-42&Big=9007199254740991&Ratio=1.5e3', { Count: -42, Big: 9007199254740991, Ratio: 1500 }],
    ['booleans in any case', 'Enabled=TRUE', { Enabled: true }],
    ['timestamps as epoch seconds', 'When=2026-12-01T10:00:00Z', { When: Date.UTC(2026, 11, 1, 10) / 1000 }],
    ['timestamps with an offset and fractions', 'When=2026-12-01T12:00:00.5%2B02:00', { When: Date.UTC(2026, 11, 1, 10) / 1000 + 0.5 }],
    ['blobs stay base64', 'Data=aGk%3D', { Data: 'aGk=' }],
    ['lists of structures, 1-based', 'Tags.member.1.Key=k1&Tags.member.2.Key=k2&Tags.member.1.Value=v1', { Tags: [{ Key: 'k1', Value: 'v1' }, { Key: 'k2' }] }],
    ['list indexes in order, gaps closed', 'Names.member.10=c&Names.member.2=b&Names.member.1=a', { Names: ['a', 'b', 'c'] }],
    ['an empty list', 'Names=', { Names: [] }],
    ['maps', 'Attributes.entry.1.key=a&Attributes.entry.1.value=1&Attributes.entry.2.key=b&Attributes.entry.2.value=2', { Attributes: { a: '1', b: '2' } }],
    ['nested structures', 'Inner.Name=x&Inner.Tags.member.1.Key=k', { Inner: { Name: 'x', Tags: [{ Key: 'k' }] } }],
    ['members in the order the request gave them', 'Count=1&Name=n', { Count: 1, Name: 'n' }],
    ['unknown parameters, Action and Version ignored', 'Action=Op&Version=1&Nope=1&name=lower', {}],
    ['the first of repeated parameters', 'Name=first&Name=second', { Name: 'first' }],
  ])('%s', (_what, body, expected) => {
    const input = decode(body);
    expect(input).toEqual(expected);
    expect(Object.keys(input)).toEqual(Object.keys(expected));
  });

  it('keeps map keys such as __proto__ as plain own keys', () => {
    const input = decode('Attributes.entry.1.key=__proto__&Attributes.entry.1.value=x');
    const attributes = input.Attributes as Record<string, unknown>;
    expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype);
    expect(Object.hasOwn(attributes, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it.each([
    ['a non-number for an integer', 'Count=ten', "Invalid value 'ten' for parameter Count: expected an integer."],
    ['an integer out of range', 'Count=2147483648', "Invalid value '2147483648' for parameter Count: expected an integer."],
    ['a fraction for an integer', 'Count=1.5', "Invalid value '1.5' for parameter Count: expected an integer."],
    ['maybe for a boolean', 'Enabled=maybe', "Invalid value 'maybe' for parameter Enabled: expected true or false."],
    ['a bad timestamp', 'When=yesterday', "Invalid value 'yesterday' for parameter When: expected an ISO 8601 timestamp such as 2026-12-01T10:00:00Z."],
    ['an impossible date', 'When=2026-13-45T10:00:00Z', "Invalid value '2026-13-45T10:00:00Z' for parameter When: expected an ISO 8601 timestamp such as 2026-12-01T10:00:00Z."],
    ['bad base64', 'Data=a*b', "Invalid value 'a*b' for parameter Data: expected base64-encoded data."],
    ['a list index of 0', 'Names.member.0=a', "Invalid list index '0' in parameter Names.member: indexes run from 1 to 1000."],
    ['a list index beyond the limit', `Names.member.${MAX_LIST_INDEX + 1}=a`, `Invalid list index '${MAX_LIST_INDEX + 1}' in parameter Names.member: indexes run from 1 to 1000.`],
    ['a list index that is not a number', 'Tags.member.x.Key=a', "Invalid list index 'x' in parameter Tags.member: indexes run from 1 to 1000."],
    ['a map entry without a key', 'Attributes.entry.1.value=a', 'Parameter Attributes.entry.1 has no key.'],
  ])('refuses %s with InvalidParameterValue', (_what, body, message) => {
    const error = failure(() => decode(body));
    expect(error).toEqual({ code: 'InvalidParameterValue', status: 400, message });
  });

  it('never quotes a sensitive value', () => {
    const shapes = { ...testShapes, SecretStr: { type: 'integer' as const, sensitive: true } };
    const error = failure(() => decodeQueryInput(shapes, 'Input', formParameters(formRequest('Secret=hunter2'))));
    expect(error.message).not.toContain('hunter2');
  });
});

describe('reading the parameters of a request', () => {
  it('takes the query string of a GET and of a POST', () => {
    expect([...formParameters(formRequest('', { method: 'GET', query: 'Action=A&Version=1' }))]).toEqual([['Action', 'A'], ['Version', '1']]);
    expect([...formParameters(formRequest('B=2', { query: 'A=1' }))]).toEqual([['A', '1'], ['B', '2']]);
  });

  it.each([
    ['a body that is not form-encoded', formRequest('{"Action":"x"}', { headers: { 'content-type': 'application/json' } })],
    ['a body without a content type', formRequest('Action=x', { headers: {} })],
    ['bad percent-encoding', formRequest('Name=%E2%82')],
    ['a body that is not UTF-8', formRequest('', { body: Buffer.from([0x41, 0x3d, 0xff]) })],
    ['too many parameters', formRequest(Array.from({ length: MAX_PARAMETERS + 1 }, (_, i) => `P${i}=1`).join('&'))],
    ['too long a name', formRequest(`${'N'.repeat(MAX_NAME_LENGTH + 1)}=1`)],
  ])('refuses %s with MalformedQueryString', (_what, bad) => {
    const error = failure(() => formParameters(bad));
    expect(error).toMatchObject({ code: 'MalformedQueryString', status: 400 });
  });

  it('stays fast on hostile bodies (deep names, many list elements)', () => {
    const deep = `Inner${'.Inner'.repeat(80)}.Name=x`;
    expect(failure(() => decode(deep)).code).toBe('InvalidParameterValue');
    const many = Array.from({ length: MAX_LIST_INDEX }, (_, i) => `Names.member.${i + 1}=${i}`).join('&');
    expect((decode(many).Names as unknown[]).length).toBe(MAX_LIST_INDEX);
  });
});
