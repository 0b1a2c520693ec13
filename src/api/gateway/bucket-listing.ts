/**
 * ListBuckets as one account sees it through the gateway: the buckets other accounts made
 * through it are left out of the upstream's answer (every account shares the upstream).
 */

const BUCKET_ENTRY = /<Bucket>([\s\S]*?)<\/Bucket>/g;
const NAME = /<Name>([^<]*)<\/Name>/;

/** The ListAllMyBucketsResult without the buckets named in `hidden`; the same bytes when none is. */
export function withoutBuckets(body: Buffer, hidden: ReadonlySet<string>): Buffer {
  if (hidden.size === 0) return body;
  const text = body.toString('utf8');
  let removed = false;
  const kept = text.replace(BUCKET_ENTRY, (entry, inner: string) => {
    const name = NAME.exec(inner)?.[1];
    if (name === undefined || !hidden.has(name)) return entry;
    removed = true;
    return '';
  });
  return removed ? Buffer.from(kept, 'utf8') : body;
}
