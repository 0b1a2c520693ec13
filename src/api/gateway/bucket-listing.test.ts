import { describe, expect, it } from 'vitest';
import { withoutBuckets } from './bucket-listing.js';

const LISTING =
  '<?xml version="1.0" encoding="UTF-8"?><ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>o</ID></Owner><Buckets>' +
  '<Bucket><Name>finance</Name><CreationDate>2026-12-02T00:00:00.000Z</CreationDate></Bucket>' +
  '<Bucket><Name>theirs</Name><CreationDate>2026-12-02T00:00:00.000Z</CreationDate></Bucket>' +
  '<Bucket>\n  <Name>shared-legacy</Name>\n</Bucket>' +
  '</Buckets></ListAllMyBucketsResult>';

describe('ListBuckets through the gateway', () => {
  it("leaves out other accounts' buckets and keeps the rest byte for byte", () => {
    const out = withoutBuckets(Buffer.from(LISTING), new Set(['theirs'])).toString();
    expect(out).toContain('<Name>finance</Name>');
    expect(out).toContain('<Name>shared-legacy</Name>');
    expect(out).not.toContain('theirs');
    expect(out).toBe(LISTING.replace('<Bucket><Name>theirs</Name><CreationDate>2026-12-02T00:00:00.000Z</CreationDate></Bucket>', ''));
  });

  it('gives back the same buffer when nothing is hidden', () => {
    const body = Buffer.from(LISTING);
    expect(withoutBuckets(body, new Set())).toBe(body);
    expect(withoutBuckets(body, new Set(['absent']))).toBe(body);
  });
});
