import { parseXML } from '@aws-sdk/xml-builder';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../errors.js';
import { encodeQueryError, encodeQueryResponse } from './encode-output.js';
import { testShapes } from './test-shapes.js';
import { xmlText } from './xml-text.js';
import { modelledError, queryWireError } from './wire-errors.js';
import * as iam from '../../../services/iam/model.gen.js';

const NS = 'https://example.amazonaws.com/doc/2026-01-01/';

function respond(output: unknown, outputShape: string | null = 'Output'): string {
  return encodeQueryResponse(
    testShapes,
    { operation: 'DoThing', xmlNamespace: NS, ...(outputShape !== null && { outputShape }), resultWrapper: 'DoThingResult', requestId: 'req-1' },
    output,
  );
}

describe('XML responses', () => {
  it.each([
    ['an operation without output', undefined, null, '<DoThingResponse xmlns="https://example.amazonaws.com/doc/2026-01-01/"><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></DoThingResponse>'],
    ['an empty output', {}, 'Output', '<DoThingResponse xmlns="https://example.amazonaws.com/doc/2026-01-01/"><DoThingResult></DoThingResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></DoThingResponse>'],
  ])('%s', (_what, output, shape, expected) => {
    expect(respond(output, shape)).toBe(expected);
  });

  it.each([
    ['strings, escaped', { Name: `a<b>&"c'\r\n` }, '<Name>a&lt;b&gt;&amp;&quot;c&apos;&#xD;\n</Name>'],
    ['characters XML 1.0 cannot carry', { Name: 'a\u0000b\u001Fc\uFFFEd\uD800e' }, '<Name>a\uFFFDb\uFFFDc\uFFFDd\uFFFDe</Name>'],
    ['pairs of surrogates kept', { Name: '😀' }, '<Name>😀</Name>'],
    ['numbers and booleans', { Count: 3, Ratio: 0.25, Enabled: false }, '<Count>3</Count><Ratio>0.25</Ratio><Enabled>false</Enabled>'],
    ['timestamps from seconds, in UTC', { When: Date.UTC(2026, 11, 1, 10) / 1000 }, '<When>2026-12-01T10:00:00Z</When>'],
    ['timestamps from a Date, with milliseconds', { When: new Date(Date.UTC(2026, 11, 1, 10, 0, 0, 250)) }, '<When>2026-12-01T10:00:00.250Z</When>'],
    ['lists as member elements', { Names: ['a', 'b'], Tags: [{ Key: 'k', Value: 'v' }] }, '<Tags><member><Key>k</Key><Value>v</Value></member></Tags><Names><member>a</member><member>b</member></Names>'],
    ['an empty list', { Names: [] }, '<Names></Names>'],
    ['maps as entries', { Attributes: { a: '1' } }, '<Attributes><entry><key>a</key><value>1</value></entry></Attributes>'],
    ['members in model order, absent and null ones left out', { Count: 1, Name: 'n', Ratio: null }, '<Name>n</Name><Count>1</Count>'],
  ])('%s', (_what, output, members) => {
    expect(respond(output)).toContain(`<DoThingResult>${members}</DoThingResult>`);
  });

  it.each([
    ['a string for an integer', { Count: '3' }],
    ['a fraction for an integer', { Count: 1.5 }],
    ['an object for a list', { Names: {} }],
    ['a string for a timestamp', { When: 'now' }],
  ])('throws on %s (a handler bug)', (_what, output) => {
    expect(() => respond(output)).toThrow();
  });

  it('is parsed by the AWS SDK for JavaScript v3', () => {
    const body = respond({ Name: 'bob & <alice>', Count: 2, Names: ['x'], When: 0 });
    expect(parseXML(body)).toEqual({
      DoThingResponse: {
        xmlns: NS,
        DoThingResult: { Name: 'bob & <alice>', Count: '2', Names: { member: 'x' }, When: '1970-01-01T00:00:00Z' },
        ResponseMetadata: { RequestId: 'req-1' },
      },
    });
  });

  it('round-trips any string through the SDK parser (XML-incapable characters as U+FFFD)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.array(fc.string({ unit: 'grapheme', maxLength: 10 }), { maxLength: 4 }), (name, names) => {
        // Framed by letters: the SDK's parser trims text and leaves blank elements out.
        const framed = `<${name}>`;
        const parsed = parseXML(respond({ Name: framed, Names: names })) as { DoThingResponse: { DoThingResult: { Name?: string } } };
        const expected = xmlText(framed).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&#xD;/g, '\r').replace(/&amp;/g, '&');
        expect(parsed.DoThingResponse.DoThingResult.Name).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('XML errors', () => {
  it('carries Type, Code, Message and RequestId', () => {
    expect(encodeQueryError(NS, { code: 'NoSuchEntity', message: 'The user with name <b> cannot be found.', httpStatus: 404 }, 'req-2')).toBe(
      `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The user with name &lt;b&gt; cannot be found.</Message></Error><RequestId>req-2</RequestId></ErrorResponse>`,
    );
    expect(encodeQueryError(NS, { code: 'InternalFailure', message: 'x', httpStatus: 500 }, 'r')).toContain('<Type>Receiver</Type>');
  });

  it.each([
    ['NoSuchEntityException', 'NoSuchEntity', 404],
    ['EntityAlreadyExistsException', 'EntityAlreadyExists', 409],
    ['LimitExceededException', 'LimitExceeded', 409],
    ['DeleteConflictException', 'DeleteConflict', 409],
    ['MalformedPolicyDocumentException', 'MalformedPolicyDocument', 400],
  ])('answers IAM %s as %s (%i), from the model', (shape, code, status) => {
    const error = modelledError(iam.shapes, shape, 'm');
    expect(error).toMatchObject({ code: shape, httpStatus: status });
    expect(queryWireError(iam.shapes, error)).toEqual({ code, message: 'm', httpStatus: status });
  });

  it.each([
    ['AccessDeniedException', 'AccessDenied', 403],
    ['InvalidSignatureException', 'SignatureDoesNotMatch', 403],
    ['UnrecognizedClientException', 'InvalidClientTokenId', 403],
    ['UnsupportedOperationException', 'UnsupportedOperation', 400],
    ['InternalFailure', 'InternalFailure', 500],
  ])('answers the pipeline error %s as %s', (jsonCode, code, status) => {
    expect(queryWireError(iam.shapes, new ServiceError(jsonCode, 'm', status === 500 ? 500 : 400))).toEqual({ code, message: 'm', httpStatus: status });
  });
});
