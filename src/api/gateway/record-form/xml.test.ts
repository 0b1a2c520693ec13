import { describe, expect, it } from 'vitest';
import { childText, parseXml } from './xml.js';

describe('parseXml', () => {
  it('reads elements, text, entities and CDATA, dropping namespace prefixes and attributes', () => {
    const root = parseXml('<?xml version="1.0"?><s3:Error xmlns:s3="x" a=\'1>2\'><Code>No&amp;Such&#x4B;ey</Code><Message><![CDATA[a <b>]]></Message><Empty/></s3:Error>');
    expect(root?.name).toBe('Error');
    expect(childText(root, 'Code')).toBe('No&SuchKey');
    expect(childText(root, 'Message')).toBe('a <b>');
    expect(childText(root, 'Empty')).toBe('');
    expect(childText(root, 'Missing')).toBeUndefined();
  });

  it.each([
    ['a DOCTYPE (no entity expansion)', '<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'],
    ['mismatched tags', '<a><b></a></b>'],
    ['an unterminated document', '<a><b>'],
    ['two roots', '<a/><b/>'],
    ['text outside the root', 'junk<a/>'],
    ['an empty input', ''],
  ])('refuses %s', (_name, text) => {
    expect(parseXml(text)).toBeUndefined();
  });

  it('refuses what goes over its bounds', () => {
    expect(parseXml('<a>' + 'x'.repeat(100) + '</a>', { maxBytes: 50, maxDepth: 32, maxElements: 100 })).toBeUndefined();
    expect(parseXml('<a>'.repeat(40) + '</a>'.repeat(40))).toBeUndefined();
    expect(parseXml('<a>' + '<b/>'.repeat(20) + '</a>', { maxBytes: 1000, maxDepth: 32, maxElements: 10 })).toBeUndefined();
    expect(parseXml(undefined)).toBeUndefined();
  });

  it('leaves unknown entities as written', () => {
    expect(childText(parseXml('<a><b>&nbsp;&lt;</b></a>'), 'b')).toBe('&nbsp;<');
  });
});
