/** Digest signing keys: generation, sealing, rotation, selection, and the key ring. */
export type { SigningKey, StoredSigningKey } from './signing-key.js';
export { fingerprintOf, generateSigningKey, generateSigningKeyAsync, openSigningKey, publicKeyValue, sealSigningKey } from './signing-key.js';
export type { KeyWindow, RotationPolicy } from './rotation.js';
export { DEFAULT_ROTATION_POLICY, currentKey, isInvalidKeyRange, keysForRange, rotationPlan } from './rotation.js';
export type { SigningKeyRingOptions, SigningKeyStore } from './key-ring.js';
export { SigningKeyRing } from './key-ring.js';
