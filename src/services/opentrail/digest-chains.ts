/**
 * ListDigestChains {TrailARN} → {DigestChains: [...]}: where each digest chain of a trail stands
 * (one per account and region it delivered to): active or ended, how many digests, the latest
 * digest's end time, object and tree size. The console's integrity page; what validate-logs
 * would walk. A member account of an organization trail sees its own chains only.
 */
import { accessTo, findTrail } from '../cloudtrail/operations/trails/find-trail.js';
import type { OpenTrailOperation } from './operation.js';
import { requiredString } from './proofs.js';

export const listDigestChains: OpenTrailOperation = {
  authorizationResource: (input) => (typeof input.TrailARN === 'string' ? input.TrailARN : '*'),
  async handle(input, context) {
    const trail = await findTrail(requiredString(input, 'TrailARN'), context);
    const manages = (await accessTo(trail, context)) === 'manage';
    const chains = (await context.services.digestChains.chainsOfTrail(trail.trailArn)).filter((c) => manages || c.accountId === context.caller.accountId);
    return {
      TrailARN: trail.trailArn,
      DigestChains: chains.map((c) => ({
        AccountId: c.accountId,
        Region: c.region,
        Active: c.active,
        DigestCount: c.digestCount,
        ...(c.latest !== undefined && {
          LatestDigestEndTime: c.latest.endTime / 1000,
          LatestDigestS3Bucket: c.latest.bucket,
          LatestDigestKey: c.latest.key,
          TreeSize: c.latest.treeSize,
        }),
      })),
    };
  },
};
