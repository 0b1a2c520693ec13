/**
 * OpenTrail's own operations, beyond CloudTrail: Merkle proofs over what a trail delivered.
 *
 * GetEventProof {TrailARN, EventId, Region?, AccountId?} → the event's leaf in its tree (one per
 * account and region of the trail), its audit path to the tree head of the newest digest
 * (signed), and the log file and digest that hold it. GetConsistencyProof {TrailARN, Region?,
 * AccountId?, FirstTreeSize, SecondTreeSize?} → the proof that the tree at the second size
 * extends the tree at the first (RFC 6962). AccountId names a member account's tree of an
 * organization trail: by default the caller's own (for the trail's owner, its own account).
 * Proofs are checked against tree heads in signed digests, so the server need not be trusted.
 */
import { leafHash, toHex } from '../../integrity/merkle/index.js';
import type { DigestRecord } from '../../store/digest-chain-store.js';
import type { Trail } from '../../store/trail-store.js';
import type { TrailPartition } from '../../store/trail-partition.js';
import { clientError } from '../../api/errors.js';
import type { OperationContext } from '../../api/operation-context.js';
import { accessTo, findTrail } from '../cloudtrail/operations/trails/find-trail.js';
import type { OpenTrailOperation } from './operation.js';

export function requiredString(input: Record<string, unknown>, name: string): string {
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

/**
 * The tree a proof is asked of: the trail's, in the region asked (default: the request's), of
 * the account asked. An account that only sees an organization trail (a member) asks of its
 * own tree only; the trail's managers of any account's.
 */
async function partitionAsked(trail: Trail, input: Record<string, unknown>, context: OperationContext): Promise<TrailPartition> {
  const region = typeof input.Region === 'string' ? input.Region : context.region;
  const own = trail.config.IsOrganizationTrail === true ? context.caller.accountId : trail.accountId;
  const accountId = input.AccountId === undefined || input.AccountId === null ? own : input.AccountId;
  if (typeof accountId !== 'string' || !/^\d{12}$/.test(accountId)) throw clientError('ValidationException', 'AccountId must be a 12-digit account ID.');
  if (trail.config.IsOrganizationTrail !== true && accountId !== trail.accountId) {
    throw clientError('InvalidParameterException', `Trail ${trail.name} logs account ${trail.accountId} only; it has no tree of account ${accountId}.`);
  }
  if (accountId !== context.caller.accountId && (await accessTo(trail, context)) !== 'manage') {
    throw clientError('AccessDeniedException', `Account ${context.caller.accountId} may ask for proofs of its own events of organization trail ${trail.name} only.`);
  }
  return { trailArn: trail.trailArn, accountId, region };
}

async function latestDigest(trail: Trail, partition: TrailPartition, context: OperationContext): Promise<DigestRecord> {
  const digest = (await context.services.digestChains.digests(partition)).at(-1);
  if (digest === undefined) {
    const whose = partition.accountId === trail.accountId ? '' : ` for account ${partition.accountId}`;
    throw clientError('ProofNotYetAvailableException', `Trail ${trail.name} has no digest${whose} in ${partition.region} yet; proofs are against signed digests.`);
  }
  return digest;
}

function digestShape(digest: DigestRecord) {
  return { S3Bucket: digest.bucket, S3Object: digest.key, DigestEndTime: digest.endTime / 1000, TreeSize: digest.treeSize, RootHash: digest.rootHash };
}

/** The record's eventTime, which narrows the files searched for its leaf (undefined when it has none). */
function eventTimeOf(json: string): string | undefined {
  const time = (JSON.parse(json) as { eventTime?: unknown }).eventTime;
  return typeof time === 'string' ? time : undefined;
}

const resourceOf = (input: Record<string, unknown>) => (typeof input.TrailARN === 'string' ? input.TrailARN : '*');

export const getEventProof: OpenTrailOperation = {
  authorizationResource: resourceOf,
  async handle(input, context) {
    const trail = await findTrail(requiredString(input, 'TrailARN'), context);
    const eventId = requiredString(input, 'EventId');
    const partition = await partitionAsked(trail, input, context);
    const { region } = partition;
    const [event] = await context.services.events.lookup({
      accountId: partition.accountId,
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
    const digest = await latestDigest(trail, partition, context);
    const leaf = leafHash(Buffer.from(event.json, 'utf8'));
    const ledger = context.services.ledger;
    const index = await ledger.leafIndexOf(partition, leaf, digest.treeSize, eventTimeOf(event.json));
    if (index === undefined) {
      throw clientError(
        'EventNotDeliveredException',
        `Event ${eventId} is not among the ${digest.treeSize} events trail ${trail.name} delivered in ${region} up to its newest digest (not selected, or not yet covered by a digest).`,
      );
    }
    const file = await ledger.fileForLeaf(partition, index);
    return {
      TrailARN: trail.trailArn,
      Region: region,
      AccountId: partition.accountId,
      EventId: eventId,
      LeafIndex: index,
      LeafHash: toHex(leaf),
      TreeSize: digest.treeSize,
      RootHash: digest.rootHash,
      AuditPath: (await ledger.inclusionProof(partition, index, digest.treeSize)).map(toHex),
      ...(file !== undefined && { LogFile: { S3Bucket: file.bucket, S3Object: file.key } }),
      Digest: digestShape(digest),
    };
  },
};

export const getConsistencyProof: OpenTrailOperation = {
  authorizationResource: resourceOf,
  async handle(input, context) {
    const trail = await findTrail(requiredString(input, 'TrailARN'), context);
    const partition = await partitionAsked(trail, input, context);
    const digest = await latestDigest(trail, partition, context);
    const first = optionalSize(input, 'FirstTreeSize');
    if (first === undefined) throw clientError('ValidationException', 'FirstTreeSize is required.');
    const second = optionalSize(input, 'SecondTreeSize') ?? digest.treeSize;
    if (first > second || second > digest.treeSize) {
      throw clientError('InvalidParameterException', `Tree sizes must satisfy FirstTreeSize <= SecondTreeSize <= ${digest.treeSize} (the newest digest's).`);
    }
    const ledger = context.services.ledger;
    return {
      TrailARN: trail.trailArn,
      Region: partition.region,
      AccountId: partition.accountId,
      FirstTreeSize: first,
      SecondTreeSize: second,
      FirstRootHash: toHex(await ledger.rootAt(partition, first)),
      SecondRootHash: toHex(await ledger.rootAt(partition, second)),
      Proof: (await ledger.consistencyProof(partition, first, second)).map(toHex),
      Digest: digestShape(digest),
    };
  },
};
