import { describe, expect, it } from 'vitest';
import { clientOriginOf, withClientUrls } from './upstream-urls.js';

describe("the upstream's own address in its answers", () => {
  it('becomes the gateway address the client used, in JSON and XML, escaped or not', () => {
    const json = Buffer.from('{"QueueUrl":"http://127.0.0.1:5000/123456789012/jobs","Other":"http:\\/\\/127.0.0.1:5000\\/x"}');
    expect(withClientUrls(json, 'http://127.0.0.1:5000', 'http://127.0.0.1:4747').toString()).toBe(
      '{"QueueUrl":"http://127.0.0.1:4747/123456789012/jobs","Other":"http:\\/\\/127.0.0.1:4747\\/x"}',
    );
    const xml = Buffer.from('<Location>http://127.0.0.1:5000/finance/q3.pdf</Location>');
    expect(withClientUrls(xml, 'http://127.0.0.1:5000', 'https://gw.example:443').toString()).toBe('<Location>https://gw.example:443/finance/q3.pdf</Location>');
  });

  it('leaves other bytes, and bodies without it, exactly as they were', () => {
    const binary = Buffer.from([0xff, 0x00, 0xc3, 0xa9, 0x80]);
    expect(withClientUrls(binary, 'http://a:1', 'http://b:2')).toBe(binary);
    const mixed = Buffer.concat([Buffer.from('é http://a:1 '), binary]);
    expect(withClientUrls(mixed, 'http://a:1', 'http://b:2').equals(Buffer.concat([Buffer.from('é http://b:2 '), binary]))).toBe(true);
  });

  it('takes the client origin only from a Host header that is a host', () => {
    expect(clientOriginOf('127.0.0.1:4747', false)).toBe('http://127.0.0.1:4747');
    expect(clientOriginOf('[::1]:4747', true)).toBe('https://[::1]:4747');
    expect(clientOriginOf('evil.example/"><x', false)).toBeUndefined();
    expect(clientOriginOf('', false)).toBeUndefined();
  });
});
