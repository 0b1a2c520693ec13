/** What the validator reads from, and what it reports. */
import type { ParsedDigest } from '../digest/digest-reader.js';
import type { ObjectStore } from '../../objects/object-store.js';

/** The part of an object store validation needs (both adapters, and test doubles, have it). */
export type ObjectReader = Pick<ObjectStore, 'getObject' | 'listKeys'>;

/** A digest signing public key as ListPublicKeys gives it. */
export interface PublicKey {
  fingerprint: string;
  /** DER PKCS#1 RSAPublicKey (the base64-decoded `Value`). */
  der: Buffer;
}

/** ListPublicKeys for a time range (epoch ms). */
export type PublicKeySource = (startMs: number, endMs: number) => Promise<PublicKey[]>;

/** A digest that passed every check of its own. */
export interface VerifiedDigest {
  bucket: string;
  key: string;
  digest: ParsedDigest;
  /** Lowercase hex SHA-256 of the uncompressed digest. */
  sha256: string;
  /** The `signature` metadata, as stored. */
  signature: string;
  startMs: number;
  endMs: number;
}

export type DigestOutcome =
  | { status: 'valid'; verified: VerifiedDigest }
  | { status: 'missing' }
  | { status: 'invalid'; reason: string };

/**
 * `range`: a file the stock CLI would check for the requested time range (counted as it counts).
 * `outside`: a file outside that range, read only because the Merkle tree needs its records
 * (the tree is rebuilt from leaf 0, and with a trusted digest up to its size).
 */
export type Scope = 'range' | 'outside';

export type Entry =
  | { kind: 'digest'; scope: Scope; bucket: string; key: string; valid: true }
  | { kind: 'digest'; scope: Scope; bucket: string; key: string; valid: false; reason: string }
  | { kind: 'log'; scope: Scope; bucket: string; key: string; valid: true }
  | { kind: 'log'; scope: Scope; bucket: string; key: string; valid: false; reason: string }
  /**
   * A digest that nothing names any more: the one before a deleted digest. Inferred from the
   * time between `afterKey` (older, valid) and `beforeKey` (the missing or invalid digest).
   */
  | { kind: 'lost'; scope: Scope; bucket: string; estimatedEndMs: number; afterKey: string; beforeKey: string }
  /** Why log files that no digest lists were not looked for. */
  | { kind: 'unlisted'; status: 'not checked'; reason: string }
  /** A chain that starts without a previous digest while older digests exist (a logging gap). */
  | { kind: 'gap'; scope: Scope; nextEndMs: number; lastStartMs: number }
  /** The digest given with --trusted-digest: its own checks. */
  | { kind: 'trusted'; path: string; valid: true; location: string; treeSize: number }
  | { kind: 'trusted'; path: string; valid: false; reason: string }
  | { kind: 'merkle'; region: string; status: 'valid'; leaves: number }
  | { kind: 'merkle'; region: string; status: 'invalid'; reason: string }
  | { kind: 'merkle'; region: string; status: 'unavailable'; reason: string };

export interface Tally {
  valid: number;
  invalid: number;
}

export interface ValidationResult {
  /** In the order the CLI would print them: each digest, then its log files; the Merkle lines last. */
  entries: Entry[];
  digests: Record<Scope, Tally>;
  logs: Record<Scope, Tally>;
  /** Over the valid digests in range, clamped to the requested range (the CLI's "Results found"). */
  foundStartMs?: number;
  foundEndMs?: number;
  /** False when anything is invalid or missing. */
  ok: boolean;
}
