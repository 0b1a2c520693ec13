/**
 * OpenTrail's own operations, beyond CloudTrail: Merkle proofs over what a trail delivered.
 *
 * GetEventProof {TrailARN, EventId, Region?} → the event's leaf in the trail+region tree, its
 * audit path to the tree head of the newest digest (signed), and the log file and digest that
 * hold it. GetConsistencyProof {TrailARN, Region?, FirstTreeSize, SecondTreeSize?} → the proof
 * that the tree at the second size extends the tree at the first (RFC 6962).
 * Proofs are checked against tree heads in signed digests, so the server need not be trusted.
 */
import { consistencyProof, inclusionProof, leafHash, rootOf, toHex } from '../../integrity/merkle/index.js';
import type { DigestRecord } from '../../store/digest-chain-store.js';
import type { Trail } from '../../store/trail-store.js';
import { clientError } from '../../api/errors.js';
import type { OperationContext } from '../../api/operation-context.js';
import { findTrail } from '../cloudtrail/operations/trails/find-trail.js';

export interface ProofOperation {
  handle(input: Record<string, unknown>, context: OperationContext): Promise<Record<string, unknown>>;
  authorizationResource(input: Record<string, unknown>): string;
}

function requiredString(input: Record<string, unknown>, name: string): string {
  const value = input[name];
  if (typeof value !== 'string' || value === '') throw clientError('ValidationException', `${name} is required and must be a string.`);
  return value;
}

function optionalSize(input: Record<string, unknown>, name: string): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (!Number.isSafeInteger(value) || (value as number) < 0) throw clientError('ValidationException', `${name} must be a non-negative integer.`);
  return value as number;
}

async function latestDigest(trail: Trail, region: string, context: OperationContext): Promise<DigestRecord> {
  const digest = (await context.services.digestChains.digests(trail.trailArn, region)).at(-1);
  if (digest === undefined) {
    throw clientError('ProofNotYetAvailableException', `Trail ${trail.name} has no digest in ${region} yet; proofs are against signed digests.`);
  }
  return digest;
}

function digestShape(digest: DigestRecord) {
  return { S3Bucket: digest.bucket, S3Object: digest.key, DigestEndTime: digest.endTime / 1000, TreeSize: digest.treeSize, RootHash: digest.rootHash };
}

const resourceOf = (input: Record<string, unknown>) => (typeof input.TrailARN === 'string' ? input.TrailARN : '*');

export const getEventProof: ProofOperation = {
  authorizationResource: resourceOf,
  async handle(input, context) {
    const trail = await findTrail(requiredString(input, 'TrailARN'), context);
    const eventId = requiredString(input, 'EventId');
    const region = typeof input.Region === 'string' ? input.Region : context.region;
    const [event] = await context.services.events.lookup({
      accountId: trail.accountId,
      region,
      attributes: [{ key: 'EventId', value: eventId }],
      startMs: 0,
      endMs: Number.MAX_SAFE_INTEGER,
      insights: false,
      // A trail delivers data events too; they have proofs though the event history omits them.
      includeDataEvents: true,
      limit: 1,
    });
    if (event === undefined) throw clientError('EventNotFoundException', `Event ${eventId} is not in the history of ${region}.`);
    const digest = await latestDigest(trail, region, context);
    const leaves = await context.services.ledger.leafHashes(trail.trailArn, region, digest.treeSize);
    const leaf = leafHash(Buffer.from(event.json, 'utf8'));
    const index = leaves.findIndex((l) => l.equals(leaf));
    if (index < 0) {
      throw clientError(
        'EventNotDeliveredException',
        `Event ${eventId} is not among the ${digest.treeSize} events trail ${trail.name} delivered in ${region} up to its newest digest (not selected, or not yet covered by a digest).`,
      );
    }
    const file = await context.services.ledger.fileForLeaf(trail.trailArn, region, index);
    return {
      TrailARN: trail.trailArn,
      Region: region,
      EventId: eventId,
      LeafIndex: index,
      LeafHash: toHex(leaf),
      TreeSize: digest.treeSize,
      RootHash: digest.rootHash,
      AuditPath: inclusionProof(leaves, index, digest.treeSize).map(toHex),
      ...(file !== undefined && { LogFile: { S3Bucket: file.bucket, S3Object: file.key } }),
      Digest: digestShape(digest),
    };
  },
};

export const getConsistencyProof: ProofOperation = {
  authorizationResource: resourceOf,
  async handle(input, context) {
    const trail = await findTrail(requiredString(input, 'TrailARN'), context);
    const region = typeof input.Region === 'string' ? input.Region : context.region;
    const digest = await latestDigest(trail, region, context);
    const first = optionalSize(input, 'FirstTreeSize');
    if (first === undefined) throw clientError('ValidationException', 'FirstTreeSize is required.');
    const second = optionalSize(input, 'SecondTreeSize') ?? digest.treeSize;
    if (first > second || second > digest.treeSize) {
      throw clientError('InvalidParameterException', `Tree sizes must satisfy FirstTreeSize <= SecondTreeSize <= ${digest.treeSize} (the newest digest's).`);
    }
    const leaves = await context.services.ledger.leafHashes(trail.trailArn, region, second);
    return {
      TrailARN: trail.trailArn,
      Region: region,
      FirstTreeSize: first,
      SecondTreeSize: second,
      FirstRootHash: toHex(rootOf(leaves.slice(0, first))),
      SecondRootHash: toHex(rootOf(leaves)),
      Proof: consistencyProof(leaves, first, second).map(toHex),
      Digest: digestShape(digest),
    };
  },
};
