/**
 * What the file store keeps beside each object's bytes, and how it encrypts them.
 *
 * The sidecar is JSON with the user metadata, content type, encryption and the SHA-256 and size
 * of the stored bytes. It is written before the body, and a body is used only with the sidecar
 * whose hash it matches, so a reader never pairs a body with another put's metadata or encryption.
 *
 * Encryption: `aws:kms` seals the body at rest with AES-256-GCM under a key derived from the
 * master key and the KmsKeyId (SecretBox.sealBytes), and reading opens it. `AES256` (SSE-S3)
 * stores the bytes as they are: in S3 it is encryption at rest with keys the store manages,
 * invisible to every reader; the equivalent for a local folder is the file system's or the disk's
 * encryption, which only the operator can set up. The chosen type is recorded in the sidecar.
 */
import { createHash } from 'node:crypto';
import type { SecretBox } from '../../iam/secret-box.js';
import { ObjectStoreError } from '../errors.js';
import type { ObjectEncryption, PutObjectInput } from '../object-store.js';

export interface Sidecar {
  v: 1;
  sha256: string;
  size: number;
  contentType?: string;
  metadata: Record<string, string>;
  encryption: ObjectEncryption;
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function kmsContext(kmsKeyId: string): string {
  return `object-kms:${kmsKeyId}`;
}

function requireBox(box: SecretBox | undefined): SecretBox {
  if (box === undefined) {
    throw new ObjectStoreError('this file object store was opened without the master key; aws:kms objects need it', { retryable: false, code: 'NoMasterKey' });
  }
  return box;
}

/** The bytes to store for a put (sealed for `aws:kms`) and the sidecar that describes them. */
export function storedForm(input: PutObjectInput, box: SecretBox | undefined): { stored: Buffer; sidecar: Sidecar } {
  const encryption = input.encryption ?? { type: 'AES256' };
  let stored = input.body;
  if (encryption.type === 'aws:kms') {
    if (encryption.kmsKeyId === '') throw new ObjectStoreError('aws:kms encryption needs a KMS key id', { retryable: false, code: 'InvalidArgument' });
    stored = requireBox(box).sealBytes(input.body, kmsContext(encryption.kmsKeyId));
  }
  const sidecar: Sidecar = {
    v: 1,
    sha256: sha256(stored),
    size: stored.length,
    ...(input.contentType !== undefined && { contentType: input.contentType }),
    metadata: { ...input.metadata },
    encryption: encryption.type === 'aws:kms' ? { type: 'aws:kms', kmsKeyId: encryption.kmsKeyId } : { type: 'AES256' },
  };
  return { stored, sidecar };
}

export function encodeSidecar(sidecar: Sidecar): Buffer {
  return Buffer.from(JSON.stringify(sidecar), 'utf8');
}

/** The sidecar in these bytes; CorruptObject when they are not one. `where` names the sidecar folder for the message. */
export function parseSidecar(bytes: Buffer, bucket: string, key: string, where: string): Sidecar {
  try {
    const parsed = JSON.parse(bytes.toString('utf8')) as Sidecar;
    if (parsed.v === 1 && typeof parsed.sha256 === 'string' && typeof parsed.metadata === 'object') return parsed;
  } catch {
    // reported below
  }
  throw new ObjectStoreError(`the metadata of ${bucket}/${key} in ${where} is unreadable`, { retryable: false, code: 'CorruptObject' });
}

/** Whether the sidecar describes these stored bytes (false: another put's, or one cut short). */
export function describes(sidecar: Sidecar, stored: Buffer): boolean {
  return sidecar.sha256 === sha256(stored);
}

/** The object's bytes as put: stored bytes opened when the sidecar says they are sealed. */
export function openStored(stored: Buffer, sidecar: Sidecar, box: SecretBox | undefined, bucket: string, key: string): Buffer {
  if (sidecar.encryption.type !== 'aws:kms') return stored;
  try {
    return requireBox(box).openBytes(stored, kmsContext(sidecar.encryption.kmsKeyId));
  } catch (error) {
    if (error instanceof ObjectStoreError) throw error;
    throw new ObjectStoreError(`cannot decrypt ${bucket}/${key} (KMS key ${sidecar.encryption.kmsKeyId}): wrong master key or tampered file`, {
      retryable: false,
      code: 'DecryptionFailed',
      cause: error,
    });
  }
}
